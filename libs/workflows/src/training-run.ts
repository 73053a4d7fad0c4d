import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
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
  buildTagFor,
  ErrorTypes,
  estimateCost,
  pipelineJobIdFor,
  Queries,
  SearchAttributes,
  TrainingRunRequestSchema,
  type ReportRef,
  type RunStatus,
  type Stage,
  type TrainingRunRequest,
  type TrainingRunResult,
} from '@conveyor/contracts';
import type { BuildOutcome, JobOutcome } from '@conveyor/activities';
import { git, pollBuild, pollCancelled, pollJob, quick, report, sideEffects } from './activities.ts';
import { fail, runFailure } from './failures.ts';

const commitKey = defineSearchAttributeKey(SearchAttributes.commit, SearchAttributeType.KEYWORD);

/** `status` query: the live stage and everything known so far. */
export const statusQuery = defineQuery<RunStatus>(Queries.status);

/** Describes a failed build: the step, the status detail and the log. */
function buildFailureMessage(build: BuildOutcome): string {
  const step = build.failedStep ? `step '${build.failedStep}' failed` : `ended ${build.status}`;
  return `build ${build.id} ${step}${build.statusDetail ? `: ${build.statusDetail}` : ''}; log: ${build.logUrl || 'n/a'}`;
}

/** Describes a failed job: the task, its error and the job. */
function jobFailureMessage(job: JobOutcome): string {
  const task = job.failedTask
    ? `task '${job.failedTask.name}' failed: ${job.failedTask.error}`
    : `ended ${job.state}`;
  return `pipeline job ${job.name} ${task}${job.error && !job.failedTask ? `: ${job.error}` : ''}; log: ${job.logUrl ?? `Cloud Logging for ${job.name}`}`;
}

/**
 * One training run: validate → resolve commit → build (or adopt) → compile → upload → submit →
 * wait → collect. With `request.spec` set it skips build and compile and submits that spec.
 * Every side effect carries a key derived from the workflow id, so a worker crash at any point
 * yields exactly one build and one pipeline job. Cancelling the run cancels the build or job and
 * waits for it to end; stopping a worker cancels nothing.
 * @throws ApplicationFailure typed from `ErrorTypes`, naming the failing step or task.
 */
export async function trainingRun(input: TrainingRunRequest): Promise<TrainingRunResult> {
  const { workflowId } = workflowInfo();
  const parsed = TrainingRunRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw fail(
      ErrorTypes.InvalidRequest,
      `invalid request: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const request = parsed.data;
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
    if (status.stage !== stage)
      status.timings[status.stage] = (status.timings[status.stage] ?? 0) + (now - stageStart);
    stageStart = now;
    status.stage = stage;
    log.info('stage', { stage });
  };

  const runTag = buildTagFor(workflowId);
  const jobName = { value: undefined as string | undefined };
  let build: BuildOutcome | undefined;
  let job: JobOutcome | undefined;
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
      upsertSearchAttributes([{ key: commitKey, value: commit }]);

      enter('building');
      const started = await CancellationScope.nonCancellable(() =>
        sideEffects.startBuild({
          runTag,
          pipeline: request.pipeline,
          repoUrl: request.source.repoUrl,
          branch: request.source.branch,
          commit,
        }),
      );
      status.build = { id: started.id, logUrl: started.logUrl };
      build = await pollBuild.checkBuild({ buildId: started.id, imageUri: started.image?.uri });
      if (build.status !== 'SUCCESS') {
        throw fail(
          build.status === 'CANCELLED'
            ? ErrorTypes.BuildCancelled
            : build.status === 'TIMEOUT'
              ? ErrorTypes.BuildTimedOut
              : ErrorTypes.BuildFailed,
          buildFailureMessage(build),
        );
      }
      if (!build.image?.digest)
        throw fail(
          ErrorTypes.BuildFailed,
          `build ${build.id} pushed no image with a digest; log: ${build.logUrl}`,
        );
      status.image = build.image;

      enter('compiling');
      const compiled = await quick.compileSpec({
        pipeline: request.pipeline,
        imageUri: build.image.uri,
        digest: build.image.digest,
      });

      enter('uploading');
      spec = await CancellationScope.nonCancellable(() => sideEffects.uploadSpec(compiled));
    }
    status.spec = spec;

    enter('submitting');
    const pipelineJobId = pipelineJobIdFor(workflowId);
    const submitted = await CancellationScope.nonCancellable(() =>
      sideEffects.submitPipelineJob({
        pipelineJobId,
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
    jobName.value = submitted.name;
    status.pipelineJob = submitted.name;

    enter('running');
    job = await pollJob.checkPipelineJob({ name: submitted.name });
    status.tasks = [...job.tasks];
    if (job.state !== 'PIPELINE_STATE_SUCCEEDED') {
      throw fail(
        job.state === 'PIPELINE_STATE_CANCELLED' ? ErrorTypes.PipelineCancelled : ErrorTypes.PipelineFailed,
        jobFailureMessage(job),
      );
    }

    enter('collecting');
    const outputs = await quick.collectOutputs({ name: submitted.name });
    const result: TrainingRunResult = {
      runId: workflowId,
      pipeline: request.pipeline,
      trigger: request.trigger,
      parameters,
      commit: status.commit,
      build: status.build,
      image: status.image,
      spec,
      pipelineJob: submitted.name,
      state: job.state,
      tasks: [...job.tasks],
      metrics: outputs.metrics,
      modelUri: outputs.modelUri,
      timings: status.timings,
      estimatedCost: estimateCost({ buildMs: build?.durationMs, pipelineMs: job.durationMs }),
    };

    enter('reporting');
    const written = await writeRunReport({ ...result, timings: { ...status.timings } });
    enter('succeeded');
    return written ? { ...result, report: written } : result;
  } catch (e: unknown) {
    if (isCancellation(e)) {
      const stage = status.stage;
      enter('cancelling');
      await CancellationScope.nonCancellable(() =>
        cancelExternal(stage, runTag, status.build?.id, jobName.value),
      );
      enter('cancelled');
      throw e;
    }
    const failure = runFailure(e, status.stage);
    status.error = failure.message;
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
 * Cancels what the run started in the stage it was cancelled in, and waits until the build or job
 * reports a terminal state, so "cancelled" means the cloud stopped spending.
 */
async function cancelExternal(
  stage: Stage,
  runTag: string,
  buildId: string | undefined,
  jobName: string | undefined,
): Promise<void> {
  if (stage === 'building') {
    await sideEffects.cancelBuild({ runTag, buildId });
    if (buildId) {
      const final = await pollCancelled.checkBuild({ buildId });
      log.info('build ended after cancel', { buildId, status: final.status });
    }
  }
  if ((stage === 'submitting' || stage === 'running') && jobName) {
    const { existed } = await sideEffects.cancelPipelineJob({ name: jobName });
    if (existed) {
      const final = await pollCancelled.checkPipelineJob({ name: jobName });
      log.info('pipeline job ended after cancel', { pipelineJob: jobName, state: final.state });
    }
  }
}
