import { gcpErrorKindOf, type TrainingRunResult } from '@conveyor/contracts';
import { historyFromMetadata, parseHistoryJson, renderReport, type EpochPoint } from '@conveyor/report';
import { translating } from './failures.ts';
import type { ActivityDeps } from './types.ts';

/** Where `writeReport` put the report. */
export interface ReportLocation {
  /** gs:// URI of `report.html`. */
  readonly htmlUri: string;
  /** gs:// URI of `report.md`. */
  readonly markdownUri: string;
  /** Epochs of training history found (0: the trainer recorded none, the plot says so). */
  readonly epochs: number;
}

/** Options of {@link createReportActivities}. */
export interface ReportOptions {
  /** Link to a run in the Temporal Web UI, e.g. `(id) => http://127.0.0.1:8233/namespaces/default/workflows/${id}`. */
  readonly webUiUrl?: ((runId: string) => string) | undefined;
}

/** The run's output directory: `<pipeline root>/runs/<pipeline job id>`, where the job's artifacts live too. */
export function runDirectoryFor(pipelineRoot: string, pipelineJob: string): string {
  const jobId = pipelineJob.split('/').pop() ?? pipelineJob;
  return `${pipelineRoot.replace(/\/$/, '')}/runs/${jobId}`;
}

/** Whether a GCS read failed because the object is not there. */
function isNotFound(e: unknown): boolean {
  return gcpErrorKindOf(e) === 'not-found';
}

/**
 * Report activities. `writeReport` renders the run report (libs/report) and stores `report.html`
 * and `report.md` next to the run's artifacts. The per-epoch history comes from the job's Model
 * artifact: its metadata (`loss[]`, `accuracy[]`, as the penguins trainer writes it), else the
 * `history.json` inside the model directory; a run without either still gets a report.
 */
export function createReportActivities(
  deps: Pick<ActivityDeps, 'store' | 'pipelines' | 'settings'>,
  options: ReportOptions = {},
) {
  const { store, pipelines, settings } = deps;

  async function readHistory(pipelineJob: string): Promise<EpochPoint[]> {
    const job = await pipelines.getPipelineJob(pipelineJob);
    const models = job.tasks
      .flatMap((t) => Object.values(t.outputs).flat())
      .filter((a) => /Model$/.test(a.schemaTitle));
    for (const model of models) {
      const fromMetadata = historyFromMetadata(model.metadata);
      if (fromMetadata.length > 0) return fromMetadata;
      if (!model.uri.startsWith('gs://')) continue;
      try {
        const fromFile = parseHistoryJson(
          (await store.read(`${model.uri.replace(/\/$/, '')}/history.json`)).toString('utf8'),
        );
        if (fromFile.length > 0) return fromFile;
      } catch (e: unknown) {
        // No history.json (another trainer) or not JSON: the report shows "no history" instead.
        if (!isNotFound(e) && !(e instanceof SyntaxError)) throw e;
      }
    }
    return [];
  }

  return {
    /**
     * Renders and stores the report of a finished run. Idempotent: the objects are written with
     * `ifGenerationMatch: 0` and the rendering is a pure function of the run (no timestamp), so a
     * retry after a partial write finds the same bytes.
     */
    async writeReport(result: TrainingRunResult): Promise<ReportLocation> {
      return translating(async () => {
        const history = await readHistory(result.pipelineJob);
        const report = renderReport({ ...result, history, webUiUrl: options.webUiUrl?.(result.runId) });
        const dir = runDirectoryFor(settings.pipelineRoot, result.pipelineJob);
        const htmlUri = `${dir}/report.html`;
        const markdownUri = `${dir}/report.md`;
        await store.writeIfAbsent(htmlUri, report.html, 'text/html; charset=utf-8');
        await store.writeIfAbsent(markdownUri, report.markdown, 'text/markdown; charset=utf-8');
        return { htmlUri, markdownUri, epochs: history.length };
      });
    },
  };
}
