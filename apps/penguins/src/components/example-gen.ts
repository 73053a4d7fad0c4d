import { doubleValue, intValue, parseFlags } from '../cli/flags.ts';
import { defaultDatasetPath, readRecords, writeExamples } from '../data/load.ts';
import { cleanRecords } from '../data/penguin.ts';
import { stratifiedSplit } from '../data/split.ts';
import { writeExecutorOutput } from '../io/executor-output.ts';
import { gcsMount, toLocalPath } from '../io/gcs-path.ts';
import { componentLog } from './log.ts';

/** Seed of the split when none is given: fixed, so runs without one still agree. */
const DEFAULT_SEED = 42;
/** Share of each species held out for evaluation. */
const DEFAULT_EVAL_FRACTION = 0.2;

/**
 * example-gen: reads the Palmer Penguins data (built in, or `--data_uri` CSV/JSON), drops
 * incomplete rows, splits train/eval stratified by species with a seed, and writes two Dataset
 * artifacts with their row counts as metadata.
 */
export async function runExampleGen(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const flags = parseFlags(argv, {
    required: ['train_examples', 'eval_examples'],
    optional: ['data_uri', 'seed', 'eval_fraction', 'executor_output'],
  });
  const seed = flags.seed === undefined ? DEFAULT_SEED : intValue('seed', flags.seed);
  const evalFraction =
    flags.eval_fraction === undefined
      ? DEFAULT_EVAL_FRACTION
      : doubleValue('eval_fraction', flags.eval_fraction);
  const log = componentLog('example-gen');

  const source =
    flags.data_uri === undefined ? defaultDatasetPath() : toLocalPath(flags.data_uri, gcsMount(env));
  log(`reading ${source}`);
  const records = await readRecords(source);
  const { rows, dropped } = cleanRecords(records);
  log(`${records.length} records, ${dropped} incomplete dropped, ${rows.length} kept`);
  if (rows.length === 0) throw new Error(`no complete examples in ${source}`);

  const split = stratifiedSplit(rows, evalFraction, seed);
  log(
    `split seed=${seed} eval_fraction=${evalFraction}: ${split.train.length} train, ${split.eval.length} eval`,
  );
  const trainFile = await writeExamples(flags.train_examples, split.train);
  const evalFile = await writeExamples(flags.eval_examples, split.eval);
  log(`wrote ${trainFile} and ${evalFile}`);

  const counts = (rs: typeof rows): Record<string, number> =>
    Object.fromEntries(
      [...new Set(rs.map((r) => r.species))].sort().map((s) => [s, rs.filter((r) => r.species === s).length]),
    );
  await writeExecutorOutput(flags.executor_output, {
    artifacts: {
      train_examples: { rows: split.train.length, species: counts(split.train), seed, source },
      eval_examples: { rows: split.eval.length, species: counts(split.eval), seed, source },
    },
  });
}
