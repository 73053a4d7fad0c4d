import { join } from 'node:path';
import { doubleValue, intValue, parseFlags, UsageError } from '../cli/flags.ts';
import { readExamples } from '../data/load.ts';
import { writeExecutorOutput } from '../io/executor-output.ts';
import { writeText } from '../io/files.ts';
import { encodeFeatures, encodeLabels, fitPreprocessing, inputWidth } from '../model/features.ts';
import { HISTORY_JSON } from '../model/artifact-files.ts';
import { saveModel } from '../model/model-io.ts';
import { buildClassifier, train, useCpuBackend } from '../model/network.ts';
import { componentLog } from './log.ts';

/** Seed of weight initialisation and batch order when none is given. */
const DEFAULT_SEED = 42;

/**
 * trainer: standardises features from the train split, trains the dense classifier with Adam
 * for `--num_epochs` at `--learning_rate`, and writes the Model artifact (tfjs format +
 * preprocessing.json + history.json) with the training history as metadata.
 */
export async function runTrainer(argv: readonly string[], _env: NodeJS.ProcessEnv): Promise<void> {
  const flags = parseFlags(argv, {
    required: ['train_examples', 'num_epochs', 'learning_rate', 'model'],
    optional: ['seed', 'executor_output'],
  });
  const epochs = intValue('num_epochs', flags.num_epochs);
  if (epochs < 1) throw new UsageError(`flag --num_epochs must be at least 1, got ${epochs}`, 'num_epochs');
  const learningRate = doubleValue('learning_rate', flags.learning_rate);
  if (learningRate <= 0)
    throw new UsageError(`flag --learning_rate must be positive, got ${learningRate}`, 'learning_rate');
  const seed = flags.seed === undefined ? DEFAULT_SEED : intValue('seed', flags.seed);
  const log = componentLog('trainer');

  const rows = await readExamples(flags.train_examples);
  const pre = fitPreprocessing(rows);
  const features = encodeFeatures(pre, rows);
  const labels = encodeLabels(pre, rows);
  log(`${rows.length} examples, ${inputWidth(pre)} inputs, classes ${pre.labels.join('/')}`);

  log(`using ${await useCpuBackend()}`);
  const model = buildClassifier(inputWidth(pre), pre.labels.length, seed, learningRate);
  const started = performance.now();
  const history = await train(model, features, labels, pre.labels.length, epochs, seed, (r) =>
    log(`epoch ${r.epoch}/${epochs} loss=${r.loss.toFixed(4)} accuracy=${r.accuracy.toFixed(4)}`),
  );
  const seconds = (performance.now() - started) / 1000;
  log(`trained ${epochs} epochs in ${seconds.toFixed(2)} s (learning_rate=${learningRate}, seed=${seed})`);

  await saveModel(model, pre, flags.model);
  await writeText(join(flags.model, HISTORY_JSON), `${JSON.stringify(history, null, 2)}\n`);
  log(`wrote model to ${flags.model}`);
  const last = history[history.length - 1];
  await writeExecutorOutput(flags.executor_output, {
    artifacts: {
      model: {
        framework: 'tfjs',
        num_epochs: epochs,
        learning_rate: learningRate,
        seed,
        train_examples: rows.length,
        training_seconds: Number(seconds.toFixed(3)),
        final_loss: last?.loss ?? null,
        final_accuracy: last?.accuracy ?? null,
        loss: history.map((h) => h.loss),
        accuracy: history.map((h) => h.accuracy),
      },
    },
  });
}
