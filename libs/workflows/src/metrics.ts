// Conveyor's own metrics, recorded from workflow code through the SDK's metric meter: they appear on
// the worker's Prometheus endpoint next to the SDK's. The SDK emits nothing while a workflow replays,
// so recording here is deterministic and counts each run once (a worker crash between recording and
// completing a workflow task can repeat that task's values: at-least-once, like any Temporal metric).
import { ApplicationFailure, isCancellation, metricMeter } from '@temporalio/workflow';
import { MetricNames, type Stage } from '@conveyor/contracts';

/** How a run ended, the `outcome` label of `conveyor_runs_total`. */
export type RunOutcome = 'succeeded' | 'failed' | 'cancelled';

/** Whether a run built its image or reused an existing one, the `action` label of `conveyor_builds_total`. */
export type BuildAction = 'started' | 'reused';

/** The metrics of one run, labelled with its pipeline (and trigger where it says so). */
export interface RunMetrics {
  /** A stage ended after `ms` milliseconds (workflow time). */
  stageEnded(stage: Stage, ms: number): void;
  /** The run started a build of its image, or reused an image built before. */
  build(action: BuildAction): void;
}

/** `pipeline` and `trigger` of a request that may not have passed validation yet. */
function runLabels(input: unknown): { pipeline: string; trigger: string } {
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const trigger = record['trigger'];
  const kind =
    typeof trigger === 'object' && trigger !== null
      ? (trigger as Record<string, unknown>)['kind']
      : undefined;
  return {
    pipeline: typeof record['pipeline'] === 'string' ? record['pipeline'] : 'unknown',
    trigger: typeof kind === 'string' ? kind : 'unknown',
  };
}

/** The `outcome` and `error` labels of a run that threw `e`. */
function failureLabels(e: unknown): { outcome: RunOutcome; error: string } {
  if (isCancellation(e)) return { outcome: 'cancelled', error: '' };
  return { outcome: 'failed', error: e instanceof ApplicationFailure ? (e.type ?? '') : '' };
}

/**
 * Runs a workflow body with its metrics: counts the run as started (`conveyor_runs_started_total`)
 * and, when the body settles, as ended with its outcome (`conveyor_runs_total`: succeeded, failed
 * with the ApplicationFailure type as `error`, or cancelled), and hands the body the
 * {@link RunMetrics} for stage durations and builds. The body's result or error passes through.
 * Labels come from the raw input, so a request that fails validation still counts (as `unknown`
 * when it has no usable pipeline or trigger).
 */
export async function measureRun<T>(input: unknown, body: (metrics: RunMetrics) => Promise<T>): Promise<T> {
  const { pipeline, trigger } = runLabels(input);
  const meter = metricMeter.withTags({ pipeline });
  const runs = meter.createCounter(MetricNames.runs, 'runs', 'Training runs ended, by outcome');
  meter.createCounter(MetricNames.runsStarted, 'runs', 'Training runs started').add(1, { trigger });
  const stages = meter.createHistogram(
    MetricNames.stageDuration,
    'float',
    's',
    'Time a training run spent in each stage',
  );
  const builds = meter.createCounter(MetricNames.builds, 'builds', 'Training images built or reused');
  const metrics: RunMetrics = {
    stageEnded: (stage, ms) => stages.record(ms / 1000, { stage }),
    build: (action) => builds.add(1, { action }),
  };
  try {
    const result = await body(metrics);
    runs.add(1, { trigger, outcome: 'succeeded', error: '' });
    return result;
  } catch (e: unknown) {
    runs.add(1, { trigger, ...failureLabels(e) });
    throw e;
  }
}

/** Counts a build of a pipeline's image started by `imageBuild` (`conveyor_builds_total{action="started"}`). */
export function recordBuildStarted(pipeline: string): void {
  metricMeter
    .withTags({ pipeline })
    .createCounter(MetricNames.builds, 'builds', 'Training images built or reused')
    .add(1, { action: 'started' });
}
