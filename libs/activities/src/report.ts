import { gcpErrorKindOf, type TrainingRunResult } from '@conveyor/contracts';
import type { ArtifactInfo } from '@conveyor/gcp';
import { kerasCurveKeys, type CurveKeys } from '@conveyor/pipeline';
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

/** The history file a precompiled spec's Model artifact may hold (it declares no curves). */
const PRECOMPILED_HISTORY_FILE = 'history.json';

/** Whether a GCS read failed because the object is not there. */
function isNotFound(e: unknown): boolean {
  return gcpErrorKindOf(e) === 'not-found';
}

/**
 * Report activities. `writeReport` renders the run report (libs/report) and stores `report.html`
 * and `report.md` next to the run's artifacts. The per-epoch history comes from the output the
 * pipeline declares as its curves: that artifact's metadata, else the declared file in its
 * directory; a run without either still gets a report.
 */
export function createReportActivities(
  deps: Pick<ActivityDeps, 'store' | 'pipelines' | 'settings' | 'catalog'>,
  options: ReportOptions = {},
) {
  const { store, pipelines, settings, catalog } = deps;

  /** The history in `artifact`'s metadata, else in `file` inside its directory; [] when neither holds one. */
  async function historyOf(artifact: ArtifactInfo, keys: CurveKeys, file: string | undefined) {
    const fromMetadata = historyFromMetadata(artifact.metadata, keys);
    if (fromMetadata.length > 0 || file === undefined || !artifact.uri.startsWith('gs://'))
      return fromMetadata;
    try {
      return parseHistoryJson(
        (await store.read(`${artifact.uri.replace(/\/$/, '')}/${file}`)).toString('utf8'),
        keys,
      );
    } catch (e: unknown) {
      // No such file, or not JSON: the report shows "no history" instead.
      if (!isNotFound(e) && !(e instanceof SyntaxError)) throw e;
      return [];
    }
  }

  /**
   * The run's training curves where its pipeline declares them (`conventions.curves`). A precompiled
   * spec declares nothing: its Model artifacts are read with Keras' names and `history.json`, as a
   * precompiled spec's pushed model is found by its output's name (job.ts).
   */
  async function readHistory(pipeline: string, pipelineJob: string): Promise<EpochPoint[]> {
    const job = await pipelines.getPipelineJob(pipelineJob);
    if (catalog.has(pipeline)) {
      const curves = catalog.conventions(pipeline).curves;
      if (!curves) return [];
      const artifact = job.tasks.find((t) => t.name === curves.artifact.task)?.outputs[
        curves.artifact.output
      ]?.[0];
      return artifact ? historyOf(artifact, curves.keys, curves.file) : [];
    }
    const models = job.tasks
      .flatMap((t) => Object.values(t.outputs).flat())
      .filter((a) => /Model$/.test(a.schemaTitle));
    for (const model of models) {
      const history = await historyOf(model, kerasCurveKeys, PRECOMPILED_HISTORY_FILE);
      if (history.length > 0) return history;
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
        const history = await readHistory(result.pipeline, result.pipelineJob);
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
