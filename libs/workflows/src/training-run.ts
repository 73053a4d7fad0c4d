import {
  ActivityFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ErrorTypes,
  estimateCost,
  messageOf,
  pipelineJobIdFor,
  Queries,
  SearchAttributeKeys,
  TrainingRunRequestSchema,
  type BuiltImage,
  type ReportRef,
  type RunStatus,
  type Stage,
  type TrainingRunRequest,
  type TrainingRunResult,
} from '@conveyor/contracts';
import type { JobOutcome } from '@conveyor/activities';
import { imageAcquirer } from './acquire-image.ts';
import { git, pollCancelled, pollJob, quick, report, sideEffects } from './activities.ts';
import { fail, parseInput, runFailure, throwIfCancelled } from './failures.ts';
import { measureRun, type RunMetrics } from './metrics.ts';

/** `status` query: the live stage and everything known so far. */
export const statusQuery = defineQuery<RunStatus>(Queries.status);

/** Describes a failed job: the task, its error and the job. */
function jobFailureMessage(job: JobOutcome): string {
  const task = job.failedTask
    ? `task '${job.failedTask.name}' failed: ${job.failedTask.error}`
    : `ended ${job.state}`;
  return `pipeline job ${job.name} ${task}${job.error && !job.failedTask ? `: ${job.error}` : ''}; log: ${job.logUrl ?? `Cloud Logging for ${job.name}`}`;
}

/** The image a sweep pinned for its trial, as if adopted. */
function pinnedImage(request: TrainingRunRequest): BuiltImage | undefined {
  const pinned = request.image;
  return (
    pinned && { uri: pinned.uri, digest: pinned.digest, buildId: pinned.buildId, logUrl: '', reused: true }
  );
}

/**
 * One training run: validate → resolve commit → image (reuse, share or build) → compile → upload →
 * submit → wait → collect → report. With `request.spec` set it skips image and compile and submits
 * that spec. The image is built once per pipeline, commit and build config (`imageBuild`); the job id
 * is unique to this workflow execution, so a retry or restarted worker adopts its own job and a new
 * execution submits its own. Every way out stops what the run started: cancelling, a timeout and a
 * failure while the job runs all cancel the job and wait for it to end; stopping a worker cancels
 * nothing.
 * @throws ApplicationFailure typed from `ErrorTypes`, naming the failing step or task.
 */
export async function trainingRun(input: TrainingRunRequest): Promise<TrainingRunResult> {
  return measureRun(input, (metrics) => runTraining(input, metrics));
}

async function runTraining(input: TrainingRunRequest, metrics: RunMetrics): Promise<TrainingRunResult> {
  const { workflowId, runId } = workflowInfo();
  const request = parseInput(TrainingRunRequestSchema, input, 'request');
  const images = imageAcquirer();
  const status: RunStatus = {
    runId: workflowId,
    pipeline: request.pipeline,
    trigger: request.trigger,
    stage: 'validating',
    timings: {},
  };
  setHandler(statusQuery, () => status);

  let stageStart = Date.now(); // workflow time: deterministic on replay
  const enter = (stage: Stage): void => {
    const now = Date.now();
    if (status.stage !== stage) {
      status.timings[status.stage] = (status.timings[status.stage] ?? 0) + (now - stageStart);
      metrics.stageEnded(status.stage, now - stageStart);
    }
    stageStart = now;
    status.stage = stage;
    log.info('stage', { stage });
  };

  /** The job this execution submitted, and whether it is known to have ended. */
  const submitted = { name: undefined as string | undefined, ended: false };
  let image: BuiltImage | undefined;
  try {
    const validated = await quick.validateRequest(request);
    const { parameters } = validated;
    status.parameters = parameters;

    let spec: { uri: string; sha256?: string };
    if (request.spec) {
      // The sha256 of the bytes validated goes into the record; submit refuses other bytes.
      spec = validated.spec ?? { uri: request.spec };
      if (request.source.commit) status.commit = request.source.commit;
    } else {
      enter('resolving');
      const commit = await git.resolveCommit(request.source);
      status.commit = commit;
      upsertSearchAttributes([{ key: SearchAttributeKeys.commit, value: commit }]);

      enter('building');
      image =
        pinnedImage(request) ??
        (await images.acquire({
          pipeline: request.pipeline,
          source: { ...request.source, commit },
          rebuild: request.rebuild,
        }));
      status.build = { id: image.buildId, logUrl: image.logUrl, reused: image.reused };
      status.image = { uri: image.uri, digest: image.digest };
      if (image.reused) {
        log.info('image reused', { buildId: image.buildId, image: image.uri });
        metrics.build('reused');
      }

      enter('compiling');
      const compiled = await quick.compileSpec({
        pipeline: request.pipeline,
        imageUri: image.uri,
        digest: image.digest,
      });

      enter('uploading');
      spec = await CancellationScope.nonCancellable(() => sideEffects.uploadSpec(compiled));
      throwIfCancelled();
    }
    status.spec = spec;

    enter('submitting');
    const job = await CancellationScope.nonCancellable(() =>
      sideEffects.submitPipelineJob({
        pipelineJobId: pipelineJobIdFor(workflowId, runId),
        displayName: `${request.pipeline} ${workflowId}`.slice(0, 128),
        specUri: spec.uri,
        specSha256: spec.sha256,
        parameters,
        labels: {
          ...request.labels,
          conveyor_pipeline: request.pipeline,
          conveyor_trigger: request.trigger.kind,
        },
      }),
    );
    submitted.name = job.name;
    status.pipelineJob = job.name;
    throwIfCancelled();

    enter('running');
    const ended = await pollJob.checkPipelineJob({ name: job.name });
    submitted.ended = true;
    status.tasks = [...ended.tasks];
    if (ended.state !== 'PIPELINE_STATE_SUCCEEDED') {
      throw fail(
        ended.state === 'PIPELINE_STATE_CANCELLED' ? ErrorTypes.PipelineCancelled : ErrorTypes.PipelineFailed,
        jobFailureMessage(ended),
      );
    }

    enter('collecting');
    const outputs = await quick.collectOutputs({
      name: job.name,
      pipeline: request.spec ? undefined : request.pipeline,
    });
    const result: TrainingRunResult = {
      runId: workflowId,
      pipeline: request.pipeline,
      trigger: request.trigger,
      parameters,
      commit: status.commit,
      build: status.build,
      image: status.image,
      spec,
      pipelineJob: job.name,
      state: ended.state,
      tasks: [...ended.tasks],
      metrics: outputs.metrics,
      modelUri: outputs.modelUri,
      modelArtifactUri: outputs.modelArtifactUri,
      blessed: outputs.blessed,
      timings: status.timings,
      estimatedCost: estimateCost({
        buildMs: image && !image.reused ? image.durationMs : undefined,
        pipelineMs: ended.durationMs,
      }),
    };

    enter('reporting');
    const written = await writeRunReport({ ...result, timings: { ...status.timings } });
    enter('succeeded');
    return written ? { ...result, report: written } : result;
  } catch (e: unknown) {
    const stage = status.stage;
    if (isCancellation(e)) {
      enter('cancelling');
      await CancellationScope.nonCancellable(() => stopJob(submitted));
      enter('cancelled');
      throw e;
    }
    const failure = runFailure(e, stage);
    status.error = failure.message;
    // A failure while the job may still run (its wait timed out, a poll failed for good) must not
    // leave it running unobserved.
    if (submitted.name && !submitted.ended) {
      await CancellationScope.nonCancellable(() => stopJob(submitted)).catch((cleanup: unknown) =>
        log.error('could not cancel the pipeline job after the run failed', {
          pipelineJob: submitted.name,
          error: messageOf(cleanup),
        }),
      );
    }
    enter('failed');
    throw failure;
  }
}

/**
 * Writes the run report. A report that cannot be written must not fail a run whose model trained:
 * a failed activity (after its retries) is logged as a warning and the result has no `report`.
 * Cancellation and anything that is not the activity failing still propagate.
 */
async function writeRunReport(result: TrainingRunResult): Promise<ReportRef | undefined> {
  try {
    const { htmlUri, markdownUri } = await report.writeReport(result);
    return { htmlUri, markdownUri };
  } catch (e: unknown) {
    if (isCancellation(e) || !(e instanceof ActivityFailure)) throw e;
    log.warn('run report not written; the run succeeds without it', {
      pipelineJob: result.pipelineJob,
      error: e.cause?.message ?? e.message,
    });
    return undefined;
  }
}

/**
 * Cancels the run's pipeline job, if it submitted one that has not ended, and waits until the job
 * reports a terminal state, so "stopped" means the cloud stopped spending.
 */
async function stopJob(submitted: { name: string | undefined; ended: boolean }): Promise<void> {
  if (!submitted.name || submitted.ended) return;
  const { existed } = await sideEffects.cancelPipelineJob({ name: submitted.name });
  if (existed) {
    const final = await pollCancelled.checkPipelineJob({ name: submitted.name });
    log.info('pipeline job ended after cancel', { pipelineJob: submitted.name, state: final.state });
  }
  submitted.ended = true;
}
