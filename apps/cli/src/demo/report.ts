// The finished run's report on local disk: the copy the workflow's writeReport stored next to the
// run's artifacts when there is one, otherwise rendered here from the job's Model artifact history.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingRunResult } from '@conveyor/contracts';
import { GcpError, type ObjectStore, type PipelineJobInfo } from '@conveyor/gcp';
import { historyFromMetadata, renderReport } from '@conveyor/report';

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

/** `<pipeline root>/runs/<pipeline job id>`: where the job's artifacts and its report live. */
export function runDirectory(pipelineRoot: string, pipelineJob: string): string {
  return `${pipelineRoot.replace(/\/$/, '')}/runs/${pipelineJob.split('/').pop() ?? pipelineJob}`;
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
 * Puts report.html and report.md under `<dataDir>/reports/<run id>/`.
 * @param getJob reads the pipeline job (for the history) when the report must be rendered here
 */
export async function saveReport(options: {
  readonly result: TrainingRunResult;
  readonly store: ObjectStore;
  readonly getJob: (name: string) => Promise<PipelineJobInfo>;
  readonly pipelineRoot: string;
  readonly dataDir: string;
  readonly webUiUrl: string;
}): Promise<ReportFiles> {
  const { result, store } = options;
  const dir = join(options.dataDir, 'reports', result.runId);
  await mkdir(dir, { recursive: true });
  const files = { html: join(dir, 'report.html'), markdown: join(dir, 'report.md') };
  const gcsDir = runDirectory(options.pipelineRoot, result.pipelineJob);
  const [html, markdown] = await Promise.all([
    readIfPresent(store, `${gcsDir}/report.html`),
    readIfPresent(store, `${gcsDir}/report.md`),
  ]);
  if (html !== undefined && markdown !== undefined) {
    await Promise.all([writeFile(files.html, html), writeFile(files.markdown, markdown)]);
    const epochs =
      /data-series="loss"[^>]*points="([^"]*)"/.exec(html)?.[1]?.trim().split(/\s+/).filter(Boolean).length ??
      0;
    return { ...files, gcsUri: `${gcsDir}/report.html`, epochs };
  }
  // The workflow did not write one (an older worker): render it from the trainer's Model artifact.
  const job = await options.getJob(result.pipelineJob);
  const model = job.tasks
    .flatMap((t) => Object.values(t.outputs).flat())
    .find((a) => /Model$/.test(a.schemaTitle));
  const history = model ? historyFromMetadata(model.metadata) : [];
  const report = renderReport({ ...result, history, webUiUrl: options.webUiUrl });
  await Promise.all([writeFile(files.html, report.html), writeFile(files.markdown, report.markdown)]);
  return { ...files, epochs: history.length };
}
