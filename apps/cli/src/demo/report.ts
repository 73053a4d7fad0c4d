// The finished run's report on local disk: the copy the run stored next to its artifacts
// (`result.report`). The worker's report activity is the one place a report is rendered (it reads the
// curves the pipeline declares); the demo only copies it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingRunResult } from '@conveyor/contracts';
import { GcpError, type ObjectStore } from '@conveyor/gcp';
import { localReportDir } from '../runs/report.ts';

/** Where the report is. */
export interface ReportFiles {
  /** Local path of report.html (open it in a browser). */
  readonly html: string;
  readonly markdown: string;
  /** gs:// URI of the stored report, when the workflow wrote one. */
  readonly gcsUri?: string | undefined;
  /** Epochs plotted. */
  readonly epochs: number;
}

async function readIfPresent(store: ObjectStore, uri: string): Promise<string | undefined> {
  try {
    return (await store.read(uri)).toString('utf8');
  } catch (e: unknown) {
    if (e instanceof GcpError && e.kind === 'not-found') return undefined;
    throw e;
  }
}

/**
 * Puts report.html and report.md under `<dataDir>/reports/<run id>/` (where `conveyor runs show --open`
 * puts it too). Undefined when the run stored no report (its report stage failed).
 */
export async function saveReport(options: {
  readonly result: TrainingRunResult;
  readonly store: ObjectStore;
  readonly dataDir: string;
}): Promise<ReportFiles | undefined> {
  const { result, store } = options;
  const dir = localReportDir(options.dataDir, result.runId);
  await mkdir(dir, { recursive: true });
  const files = { html: join(dir, 'report.html'), markdown: join(dir, 'report.md') };
  if (result.report) {
    const [html, markdown] = await Promise.all([
      readIfPresent(store, result.report.htmlUri),
      readIfPresent(store, result.report.markdownUri),
    ]);
    if (html !== undefined && markdown !== undefined) {
      await Promise.all([writeFile(files.html, html), writeFile(files.markdown, markdown)]);
      const points = /data-series="loss"[^>]*points="([^"]*)"/
        .exec(html)?.[1]
        ?.trim()
        .split(/\s+/)
        .filter(Boolean);
      return { ...files, gcsUri: result.report.htmlUri, epochs: points?.length ?? 0 };
    }
  }
  return undefined;
}
