import { join } from 'node:path';
import { doubleValue, parseFlags } from '../cli/flags.ts';
import type { Penguin } from '../data/penguin.ts';
import { readExamples } from '../data/load.ts';
import { writeExecutorOutput } from '../io/executor-output.ts';
import { writeText } from '../io/files.ts';
import { gcsMount, toLocalPath } from '../io/gcs-path.ts';
import { encodeFeatures, encodeLabels } from '../model/features.ts';
import { classificationReport, metricsMetadata, type ClassificationReport } from '../model/metrics.ts';
import { METRICS_JSON } from '../model/artifact-files.ts';
import { loadModel } from '../model/model-io.ts';
import { predictClasses, useCpuBackend } from '../model/network.ts';
import { componentLog, type Log } from './log.ts';
import { readLatest } from './serving.ts';

/** Accuracy a model needs on the eval split to be blessed, unless --threshold says otherwise. */
const DEFAULT_THRESHOLD = 0.9;

async function evaluate(modelDir: string, rows: readonly Penguin[]): Promise<ClassificationReport> {
  const { model, preprocessing } = await loadModel(modelDir);
  const predicted = predictClasses(model, encodeFeatures(preprocessing, rows));
  model.dispose();
  return classificationReport(preprocessing.labels, encodeLabels(preprocessing, rows), predicted);
}

/**
 * The served model's accuracy on the same eval split: re-evaluated from its files, or, if they
 * cannot be read, the accuracy recorded in LATEST. Undefined when nothing was pushed yet.
 */
async function baselineAccuracy(
  servingRoot: string,
  mount: string,
  rows: readonly Penguin[],
  log: Log,
): Promise<number | undefined> {
  const latest = await readLatest(servingRoot, mount);
  if (latest === undefined) {
    log(`no model pushed under ${servingRoot} yet: only the threshold counts`);
    return undefined;
  }
  try {
    const report = await evaluate(toLocalPath(latest.uri, mount), rows);
    log(
      `served model ${latest.version} (${latest.uri}) scores accuracy=${report.accuracy.toFixed(4)} on this eval split`,
    );
    return report.accuracy;
  } catch (e: unknown) {
    if (typeof latest.accuracy !== 'number') throw e;
    log(
      `cannot re-evaluate served model ${latest.version} (${e instanceof Error ? e.message : String(e)}); using its recorded accuracy ${latest.accuracy}`,
    );
    return latest.accuracy;
  }
}

/**
 * evaluator: accuracy, per-class precision/recall/F1 and the confusion matrix on the eval split
 * (Metrics artifact: metrics.json + executor-output metadata), then blesses the model ("true" to
 * --blessed) when accuracy ≥ --threshold and not below the served model's on the same split.
 */
export async function runEvaluator(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const flags = parseFlags(argv, {
    required: ['model', 'eval_examples', 'metrics', 'blessed'],
    optional: ['serving_root', 'threshold', 'executor_output'],
  });
  const threshold =
    flags.threshold === undefined ? DEFAULT_THRESHOLD : doubleValue('threshold', flags.threshold);
  const mount = gcsMount(env);
  const log = componentLog('evaluator');

  log(`using ${await useCpuBackend()}`);
  const rows = await readExamples(flags.eval_examples);
  const report = await evaluate(flags.model, rows);
  log(
    `accuracy=${report.accuracy.toFixed(4)} macro_f1=${report.macroF1.toFixed(4)} on ${report.examples} eval examples`,
  );
  for (const m of report.perClass) {
    log(
      `  ${m.label}: precision=${m.precision.toFixed(3)} recall=${m.recall.toFixed(3)} f1=${m.f1.toFixed(3)} support=${m.support}`,
    );
  }
  log(
    `confusion matrix (rows actual, columns predicted ${report.labels.join('/')}): ${JSON.stringify(report.confusionMatrix)}`,
  );

  const baseline =
    flags.serving_root === undefined
      ? undefined
      : await baselineAccuracy(flags.serving_root, mount, rows, log);
  const reasons: string[] = [];
  if (report.accuracy < threshold)
    reasons.push(`accuracy ${report.accuracy.toFixed(4)} < threshold ${threshold}`);
  if (baseline !== undefined && report.accuracy < baseline) {
    reasons.push(`accuracy ${report.accuracy.toFixed(4)} < served model's ${baseline.toFixed(4)}`);
  }
  const blessed = reasons.length === 0;
  log(
    blessed
      ? `BLESSED (threshold ${threshold}${baseline === undefined ? '' : `, served ${baseline.toFixed(4)}`})`
      : `NOT blessed: ${reasons.join('; ')}`,
  );

  const metadata = {
    ...metricsMetadata(report),
    threshold,
    blessed,
    ...(baseline === undefined ? {} : { baseline_accuracy: baseline }),
  };
  await writeText(
    join(flags.metrics, METRICS_JSON),
    `${JSON.stringify({ ...report, threshold, blessed, baselineAccuracy: baseline ?? null }, null, 2)}\n`,
  );
  await writeText(flags.blessed, blessed ? 'true' : 'false');
  await writeExecutorOutput(flags.executor_output, {
    artifacts: { metrics: metadata },
    parameterValues: { blessed: blessed ? 'true' : 'false' },
  });
}
