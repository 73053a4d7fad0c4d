import type { CostEstimate } from './status.ts';

/** Cloud Build default pool (e2-standard-2), USD per build-minute, list price. */
const BUILD_USD_PER_MINUTE = 0.003;
/** Vertex AI Pipelines fee per run, USD, list price. */
const PIPELINE_RUN_FEE_USD = 0.03;
/**
 * Pipeline task machine, USD per hour, applied to job wall time: the original system's figure
 * (n1-standard-4 at $0.19/hour), so estimates compare with what it reported.
 */
const PIPELINE_USD_PER_HOUR = 0.19;

/** Rough list-price estimate of a run from its build and pipeline durations (ms). */
export function estimateCost(durations: {
  buildMs?: number | undefined;
  pipelineMs?: number | undefined;
}): CostEstimate {
  const buildMinutes = (durations.buildMs ?? 0) / 60_000;
  const pipelineHours = (durations.pipelineMs ?? 0) / 3_600_000;
  const usd =
    buildMinutes * BUILD_USD_PER_MINUTE + PIPELINE_RUN_FEE_USD + pipelineHours * PIPELINE_USD_PER_HOUR;
  return {
    usd: Math.round(usd * 10_000) / 10_000,
    basis:
      `build ${buildMinutes.toFixed(2)} min × $${BUILD_USD_PER_MINUTE}/min + pipeline run fee $${PIPELINE_RUN_FEE_USD}` +
      ` + ${pipelineHours.toFixed(3)} h n1-standard-4 × $${PIPELINE_USD_PER_HOUR}/h (list prices)`,
  };
}
