import { cp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseFlags, UsageError } from '../cli/flags.ts';
import { writeExecutorOutput } from '../io/executor-output.ts';
import { readJsonIfExists, writeText } from '../io/files.ts';
import { gcsMount, joinUri, toLocalPath } from '../io/gcs-path.ts';
import { METRICS_JSON, MODEL_JSON } from '../model/artifact-files.ts';
import { componentLog } from './log.ts';
import { modelRootUri, writeLatest } from './serving.ts';

/** A version is one folder name: safe in a gs:// object name and a file path. */
const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A version from the clock, e.g. 20261126T141233Z, for pushes that were given none. */
export function timestampVersion(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function recordedAccuracy(metricsDir: string | undefined): Promise<number | undefined> {
  if (metricsDir === undefined) return undefined;
  const data = (await readJsonIfExists(join(metricsDir, METRICS_JSON))) as { accuracy?: unknown } | undefined;
  return typeof data?.accuracy === 'number' ? data.accuracy : undefined;
}

/**
 * pusher: copies a model to `<serving root>/penguins/<version>/`, points LATEST at it and writes its URI
 * to --pushed_uri. It pushes what it is given: deciding whether to push is the pipeline's job (penguins
 * runs the pusher only when the evaluator blessed the model and the run's `push` is true, TFX's
 * Evaluator → Pusher contract). Run by hand, it checks the model artifact and pushes it.
 */
export async function runPusher(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const flags = parseFlags(argv, {
    required: ['model', 'serving_root', 'pushed_uri'],
    optional: ['version', 'metrics', 'executor_output'],
  });
  const version = flags.version ?? timestampVersion(new Date());
  if (!VERSION_PATTERN.test(version)) {
    throw new UsageError(`flag --version must match ${VERSION_PATTERN.source}, got '${version}'`, 'version');
  }
  const mount = gcsMount(env);
  const log = componentLog('pusher');

  await stat(join(flags.model, MODEL_JSON)).catch((e: unknown) => {
    throw new Error(`${flags.model} holds no ${MODEL_JSON}: not a model artifact`, { cause: e });
  });
  const uri = joinUri(modelRootUri(flags.serving_root), version);
  const dest = toLocalPath(uri, mount);
  // Same version → same folder: a retried task overwrites its own earlier copy.
  await cp(flags.model, dest, { recursive: true, force: true });
  log(`copied ${flags.model} to ${dest}`);
  const accuracy = await recordedAccuracy(flags.metrics);
  await writeLatest(flags.serving_root, mount, {
    version,
    uri,
    ...(accuracy === undefined ? {} : { accuracy }),
    pushedAt: new Date().toISOString(),
  });
  log(`LATEST → ${version}${accuracy === undefined ? '' : ` (accuracy ${accuracy})`}`);
  await writeText(flags.pushed_uri, uri);
  log(`pushed ${uri}`);
  await writeExecutorOutput(flags.executor_output, { parameterValues: { pushed_uri: uri } });
}
