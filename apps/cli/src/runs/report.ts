// Where a run's report is: its gs:// URI, and on the local target a copy on disk to open in a browser
// (the fake GCS serves no browsable page). `conveyor runs show <id> --open` prints both.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TrainingRunResult } from '@conveyor/contracts';
import type { ObjectStore } from '@conveyor/gcp';
import { parseGsUri } from '@conveyor/gcp/uris';

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

/** Where reports are copied: `<dataDir>/reports/<run id>/` (run ids are workflow ids, made file-name safe). */
export function localReportDir(dataDir: string, runId: string): string {
  // Anything but a plain file name segment must not steer the path.
  const folder = runId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return join(dataDir, 'reports', folder);
}

/** The browser link of a Cloud Storage object. */
export function storageBrowserUrl(uri: string): string {
  const { bucket, object } = parseGsUri(uri);
  return `https://storage.cloud.google.com/${bucket}/${object}`;
}

/**
 * Locates a finished run's report. With a local store (fake GCS), downloads report.html to
 * `<dataDir>/reports/<run id>/report.html`; on Google Cloud gives the object's browser link.
 * @returns undefined when the run has no report (it failed, or its worker predates reports)
 * @throws GcpError when the download fails
 */
export async function locateReport(
  result: TrainingRunResult,
  where: { readonly local: boolean; readonly store: () => Promise<ObjectStore>; readonly dataDir: string },
): Promise<ReportPlace | undefined> {
  if (!result.report) return undefined;
  const { htmlUri, markdownUri } = result.report;
  if (!where.local) return { htmlUri, markdownUri, browserUrl: storageBrowserUrl(htmlUri) };
  const html = await (await where.store()).read(htmlUri);
  const path = join(localReportDir(where.dataDir, result.runId), 'report.html');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html);
  return { htmlUri, markdownUri, path };
}
