// Where a run's report is: its gs:// URI, and in local mode a copy on disk to open in a browser
// (the fake GCS serves no browsable page). `conveyor runs show <id> --open` prints both.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { TrainingRunResult } from '@conveyor/contracts';
import { ObjectStore, parseGsUri } from '@conveyor/gcp';
import { parseEnv } from '@conveyor/platform';
import { localEnvironment, stackConfigFromEnv } from '@conveyor/stack';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Variables `--open` reads (parsed once with zod, each problem naming its variable); the local stack fills them unless CONVEYOR_LOCAL=false. */
const reportEnvSchema = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).default('conveyor-local'),
  /** fake-gcs-server URL: local mode, the report is copied to disk. Google Cloud Storage when unset. */
  CONVEYOR_STORAGE_ENDPOINT: z.url().optional(),
});

/** Where the report of a run is. */
export interface ReportPlace {
  /** gs:// URI of report.html. */
  readonly htmlUri: string;
  /** gs:// URI of report.md. */
  readonly markdownUri: string;
  /** Local mode: the downloaded report.html. */
  readonly path?: string | undefined;
  /** Google Cloud: the object in the browser (needs a signed-in Google account with read access). */
  readonly browserUrl?: string | undefined;
}

/** The report's storage settings and the local directory reports are copied to. */
function reportSettings(env: Record<string, string | undefined>): {
  projectId: string;
  storageEndpoint?: string | undefined;
  dataDir: string;
} {
  let local: Record<string, string> = {};
  let dataDir = tmpdir();
  if (env['CONVEYOR_LOCAL'] !== 'false') {
    const stack = stackConfigFromEnv(env, repoRoot);
    local = localEnvironment(stack);
    dataDir = stack.dataDir;
  }
  const parsed = parseEnv(reportEnvSchema, { ...local, ...env });
  return {
    projectId: parsed.GOOGLE_CLOUD_PROJECT,
    storageEndpoint: parsed.CONVEYOR_STORAGE_ENDPOINT,
    dataDir,
  };
}

/**
 * Locates a finished run's report; in local mode (CONVEYOR_STORAGE_ENDPOINT set) downloads
 * report.html to `<data dir>/reports/<run id>/report.html` (the OS temp dir outside a local stack).
 * @returns undefined when the run has no report (it failed, or its worker predates reports)
 * @throws ConfigError naming a bad variable; GcpError when the download fails
 */
export async function locateReport(
  result: TrainingRunResult,
  env: Record<string, string | undefined> = process.env,
): Promise<ReportPlace | undefined> {
  if (!result.report) return undefined;
  const { htmlUri, markdownUri } = result.report;
  const settings = reportSettings(env);
  if (!settings.storageEndpoint) {
    const { bucket, object } = parseGsUri(htmlUri);
    return { htmlUri, markdownUri, browserUrl: `https://storage.cloud.google.com/${bucket}/${object}` };
  }
  // Emulator: without this the Google auth library probes the GCE metadata server and warns.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const store = new ObjectStore({ projectId: settings.projectId, endpoint: settings.storageEndpoint });
  const html = await store.read(htmlUri);
  // Run ids are workflow ids: anything but a plain file name segment must not steer the path.
  const folder = result.runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const path = join(settings.dataDir, 'reports', folder, 'report.html');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html);
  return { htmlUri, markdownUri, path };
}
