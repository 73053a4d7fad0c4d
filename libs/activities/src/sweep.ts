import {
  ErrorTypes,
  sweepTrials,
  type ParameterValue,
  type SweepRequest,
  type SweepResult,
} from '@conveyor/contracts';
import { listProblems, typeTrials } from '@conveyor/pipeline/spec';
import { renderSweepReport } from '@conveyor/report';
import { permanent, translating } from './failures.ts';
import type { ReportOptions } from './report.ts';
import type { ActivityDeps } from './types.ts';

/** Where a sweep's report lives: `<pipeline root>/sweeps/<sweep id>/`. */
export function sweepDirectoryFor(pipelineRoot: string, sweepId: string): string {
  return `${pipelineRoot.replace(/\/$/, '')}/sweeps/${encodeURIComponent(sweepId)}`;
}

/** Sweep activities: plan the trials (typed before anything is built), write the sweep report. */
export function createSweepActivities(
  deps: Pick<ActivityDeps, 'catalog' | 'store' | 'settings'>,
  options: ReportOptions = {},
) {
  const { catalog, store, settings } = deps;
  return {
    /**
     * The sweep's trials, each typed by the one typing function against the pipeline's declaration
     * (shared and swept values together), keeping the values as given.
     * @throws InvalidParameters naming the trial and parameter of every problem; InvalidRequest for
     * an unknown pipeline.
     */
    async planSweep(request: SweepRequest): Promise<{ trials: Record<string, ParameterValue>[] }> {
      return translating(async () => {
        if (!catalog.has(request.pipeline)) {
          throw permanent(ErrorTypes.InvalidRequest, `unknown pipeline '${request.pipeline}'`);
        }
        const { trials, problems } = typeTrials(
          (given) => catalog.typeGivenParameters(request.pipeline, given),
          request.parameters,
          sweepTrials(request.grid, request.random),
        );
        if (problems.length > 0) {
          throw permanent(
            ErrorTypes.InvalidParameters,
            `invalid sweep for '${request.pipeline}': ${listProblems(problems)}`,
          );
        }
        return { trials };
      });
    },

    /** Renders and stores the sweep report (table of trials, metric against each parameter). */
    async writeSweepReport(
      result: Omit<SweepResult, 'report'>,
    ): Promise<{ htmlUri: string; markdownUri: string }> {
      return translating(async () => {
        const report = renderSweepReport({ ...result, webUiUrl: options.webUiUrl?.(result.sweepId) });
        const dir = sweepDirectoryFor(settings.pipelineRoot, result.sweepId);
        const htmlUri = `${dir}/report.html`;
        const markdownUri = `${dir}/report.md`;
        await store.write(htmlUri, report.html, 'text/html; charset=utf-8');
        await store.write(markdownUri, report.markdown, 'text/markdown; charset=utf-8');
        return { htmlUri, markdownUri };
      });
    },
  };
}
