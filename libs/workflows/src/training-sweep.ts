import {
  ActivityFailure,
  type ApplicationFailure,
  CancellationScope,
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  condition,
  defineQuery,
  executeChild,
  isCancellation,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ErrorTypes,
  isBetter,
  messageOf,
  Queries,
  runVisibility,
  SearchAttributeKeys,
  SweepRequestSchema,
  TrainingRunRequestSchema,
  type BuiltImage,
  type ParameterValue,
  type Stage,
  type SweepRequest,
  type SweepResult,
  type SweepTrial,
  type TrainingRunResult,
} from '@conveyor/contracts';
import { imageAcquirer } from './acquire-image.ts';
import { git, quick, report } from './activities.ts';
import { fail, parseInput, runFailure } from './failures.ts';
import { trainingRun } from './training-run.ts';

/** `sweepStatus` query: the trials so far. */
export const sweepStatusQuery = defineQuery<{ trials: SweepTrial[]; running: number; planned: number }>(
  Queries.sweepStatus,
);

/** A trial's folder-safe promotion version: the sweep id with anything unsafe replaced. */
function versionOf(sweepId: string): string {
  return (
    sweepId
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 128) || 'sweep'
  );
}

/** The failure message under a child workflow failure (the trial's own ApplicationFailure). */
function trialError(e: unknown): string {
  let cause: unknown = e;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return messageOf(cause);
}

/**
 * A hyperparameter sweep: plan and type the trials, resolve the commit and get its image once, run
 * each trial as a child `trainingRun` pinned to that image with at most `parallel` at once, pick the
 * best succeeded trial by `metric` and `goal`, promote only its model (trials never push), and write
 * the sweep report. A failed trial is recorded and the others go on. Cancelling the sweep cancels
 * every running trial, and each trial cancels its pipeline job; the sweep ends once they have.
 * History stays bounded: each trial is a child with its own history (about ten events here).
 * @throws ApplicationFailure InvalidParameters naming the trial, SweepFailed when no trial succeeded.
 */
export async function trainingSweep(input: SweepRequest): Promise<SweepResult> {
  const { workflowId } = workflowInfo();
  const request = parseInput(SweepRequestSchema, input, 'sweep');
  const images = imageAcquirer();
  const trials: SweepTrial[] = [];
  let running = 0;
  let planned = 0;
  setHandler(sweepStatusQuery, () => ({ trials: [...trials], running, planned }));

  // Before the trials run, a failure is named by its stage like a run's (InvalidParameters, …).
  let stage: Stage = 'validating';
  let plan: { trials: Record<string, ParameterValue>[] };
  let commit: string;
  let image: BuiltImage;
  try {
    plan = await quick.planSweep(request);
    planned = plan.trials.length;
    stage = 'resolving';
    commit = await git.resolveCommit(request.source);
    upsertSearchAttributes([{ key: SearchAttributeKeys.commit, value: commit }]);
    stage = 'building';
    image = await images.acquire({
      pipeline: request.pipeline,
      source: { ...request.source, commit },
      rebuild: request.rebuild,
    });
  } catch (e: unknown) {
    throw isCancellation(e) ? e : runFailure(e, stage);
  }

  const results = new Map<number, TrainingRunResult>();
  const started: Promise<void>[] = [];
  try {
    for (const [index, parameters] of plan.trials.entries()) {
      await condition(() => running < request.parallel);
      running++;
      started.push(
        runTrial(request, workflowId, index, parameters, commit, image)
          .then((result) => {
            results.set(index, result);
            trials.push(trialOf(index, parameters, result));
          })
          .catch((e: unknown) => {
            const cancelled = isCancellation(e) || isCancellation((e as { cause?: unknown }).cause);
            trials.push({
              index,
              runId: `${workflowId}-trial-${index}`,
              parameters,
              state: cancelled ? 'cancelled' : 'failed',
              metrics: {},
              error: trialError(e),
            });
            if (!cancelled)
              log.warn('trial failed; the sweep goes on', { trial: index, error: trialError(e) });
          })
          .finally(() => running--),
      );
    }
    await Promise.all(started);
  } catch (e: unknown) {
    if (isCancellation(e)) {
      // The trials were cancelled with the sweep; wait until each has stopped its job.
      await CancellationScope.nonCancellable(() => Promise.allSettled(started));
    }
    throw e;
  }
  trials.sort((a, b) => a.index - b.index);

  const best = pickBest(trials, request.metric, request.goal);
  const base: Omit<SweepResult, 'report'> = {
    sweepId: workflowId,
    pipeline: request.pipeline,
    commit,
    image: { uri: image.uri, digest: image.digest, buildId: image.buildId, reused: image.reused },
    metric: request.metric,
    goal: request.goal,
    trials,
    ...(best ? { best } : {}),
  };
  // A promotion that fails for good fails the sweep (after its report says so): a sweep exists to
  // leave its best model served.
  let promotionFailure: ApplicationFailure | undefined;
  let outcome: { promoted: { uri: string; version: string } } | { notPromoted: string } = {
    notPromoted: `no trial reported '${request.metric}'`,
  };
  if (best) {
    try {
      outcome = await promote(request, best, results.get(best.index), workflowId);
    } catch (e: unknown) {
      if (isCancellation(e)) throw e;
      promotionFailure = runFailure(e, 'collecting');
      outcome = { notPromoted: `promotion failed: ${promotionFailure.message}` };
    }
  }
  const result: Omit<SweepResult, 'report'> = { ...base, ...outcome };
  const written = await writeSweepReport(result);
  if (promotionFailure) throw promotionFailure;
  if (!best) {
    throw fail(
      ErrorTypes.SweepFailed,
      `no trial of sweep ${workflowId} succeeded with a '${request.metric}' metric (${trials.length} trials)`,
    );
  }
  return written ? { ...result, report: written } : result;
}

/** Runs one trial as a child `trainingRun` pinned to the sweep's image, never pushing. */
function runTrial(
  request: SweepRequest,
  sweepId: string,
  index: number,
  parameters: Record<string, ParameterValue>,
  commit: string,
  image: BuiltImage,
): Promise<TrainingRunResult> {
  const trial = TrainingRunRequestSchema.parse({
    pipeline: request.pipeline,
    parameters,
    source: { ...request.source, commit },
    trigger: { kind: 'sweep', id: sweepId, at: request.trigger.at },
    labels: request.labels,
    image: { uri: image.uri, digest: image.digest, buildId: image.buildId },
    promote: false,
  });
  const visibility = runVisibility(trial, { sweepId });
  return executeChild(trainingRun, {
    workflowId: `${sweepId}-trial-${index}`,
    args: [trial],
    memo: visibility.memo,
    typedSearchAttributes: visibility.typedSearchAttributes,
    staticSummary: visibility.staticSummary,
    // Cancelling the sweep cancels each trial and waits until it stopped its job; a sweep that
    // ends otherwise (terminated, timed out) asks its trials to cancel rather than killing them.
    cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
    parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
  });
}

/** A succeeded trial's record. */
function trialOf(
  index: number,
  parameters: Record<string, ParameterValue>,
  result: TrainingRunResult,
): SweepTrial {
  return {
    index,
    runId: result.runId,
    parameters,
    state: 'succeeded',
    metrics: result.metrics,
    ...(result.blessed === undefined ? {} : { blessed: result.blessed }),
    ...(result.modelArtifactUri ? { modelArtifactUri: result.modelArtifactUri } : {}),
    pipelineJob: result.pipelineJob,
  };
}

/** The best succeeded trial by the metric (the earlier trial on a tie), or undefined. */
function pickBest(
  trials: readonly SweepTrial[],
  metric: string,
  goal: 'max' | 'min',
): SweepTrial | undefined {
  let best: SweepTrial | undefined;
  for (const t of trials) {
    const value = t.metrics[metric];
    if (t.state !== 'succeeded' || value === undefined || !Number.isFinite(value)) continue;
    if (!best || isBetter(value, best.metrics[metric] as number, goal)) best = t;
  }
  return best;
}

/** Promotes the best trial's model when the pipeline blessed it; says why not otherwise. */
async function promote(
  request: SweepRequest,
  best: SweepTrial,
  result: TrainingRunResult | undefined,
  sweepId: string,
): Promise<{ promoted: { uri: string; version: string } } | { notPromoted: string }> {
  if (best.blessed === false) {
    return { notPromoted: `the best trial (${best.index}) was not blessed by the pipeline's evaluation` };
  }
  if (!best.modelArtifactUri || !result?.parameters) {
    return { notPromoted: `pipeline '${request.pipeline}' declares no model artifact to promote` };
  }
  const promoted = await quick.promoteModel({
    pipeline: request.pipeline,
    modelArtifactUri: best.modelArtifactUri,
    parameters: result.parameters,
    version: versionOf(sweepId),
    metrics: best.metrics,
  });
  return { promoted };
}

/** Writes the sweep report; like the run report, its failure does not fail the sweep. */
async function writeSweepReport(
  result: Omit<SweepResult, 'report'>,
): Promise<{ htmlUri: string; markdownUri: string } | undefined> {
  try {
    return await report.writeSweepReport(result);
  } catch (e: unknown) {
    if (isCancellation(e) || !(e instanceof ActivityFailure)) throw e;
    log.warn('sweep report not written; the sweep succeeds without it', {
      error: e.cause?.message ?? e.message,
    });
    return undefined;
  }
}
