import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import { ErrorTypes, gcpErrorKindOf } from '@conveyor/contracts';
import { terminalPipelineStates, type PipelineJobInfo } from '@conveyor/gcp';
import type { ModelConvention, TaskOutputRef } from '@conveyor/pipeline';
import { permanent, stillRunning, translating } from './failures.ts';
import type { ActivityDeps, JobOutcome, TypedParameters } from './types.ts';

/** Input of `submitPipelineJob`. */
export interface SubmitJobInput {
  /** Derived from the workflow id (`pipelineJobIdFor`): the idempotency key. */
  readonly pipelineJobId: string;
  readonly displayName: string;
  readonly specUri: string;
  /** The sha256 the run recorded for the spec: other bytes at `specUri` are refused. */
  readonly specSha256?: string | undefined;
  readonly parameters: TypedParameters;
  readonly labels: Record<string, string>;
}

/** What `collectOutputs` reads from a finished job. */
export interface JobOutputs {
  readonly metrics: Record<string, number>;
  /** Where the pipeline pushed the model; absent when it pushed none. */
  readonly modelUri?: string | undefined;
  /** The trained model artifact (pushed or not), when the pipeline declares it. */
  readonly modelArtifactUri?: string | undefined;
  /** Whether evaluation blessed the model, when the pipeline declares a blessing output. */
  readonly blessed?: boolean | undefined;
}

/** Numeric metadata of every Metrics artifact of the job. */
function metricsOf(job: PipelineJobInfo): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const task of job.tasks) {
    for (const artifact of Object.values(task.outputs).flat()) {
      if (!/Metrics$/.test(artifact.schemaTitle)) continue;
      for (const [key, value] of Object.entries(artifact.metadata)) {
        if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
      }
    }
  }
  return metrics;
}

/** A task's output parameter as Vertex records it (`output:<name>` in the execution metadata). */
function outputParameter(job: PipelineJobInfo, ref: TaskOutputRef | undefined): unknown {
  if (!ref) return undefined;
  return job.tasks.find((t) => t.name === ref.task)?.executionMetadata[`output:${ref.output}`];
}

/** The outputs a pipeline's model convention names. */
function modelOutputs(job: PipelineJobInfo, model: ModelConvention): JobOutputs {
  const pushed = outputParameter(job, model.pushedUri);
  const blessed = outputParameter(job, model.blessed);
  const artifact = job.tasks.find((t) => t.name === model.artifact.task)?.outputs[model.artifact.output]?.[0];
  return {
    metrics: metricsOf(job),
    modelUri: typeof pushed === 'string' && pushed !== '' ? pushed : undefined,
    modelArtifactUri: artifact?.uri || undefined,
    blessed: blessed === undefined ? undefined : String(blessed).toLowerCase() === 'true',
  };
}

/** A pipeline without a declared convention: the last non-empty `*pushed*uri` output parameter. */
function guessedPushedUri(job: PipelineJobInfo): string | undefined {
  let uri: string | undefined;
  for (const task of job.tasks) {
    for (const [key, value] of Object.entries(task.executionMetadata)) {
      if (/^output:.*pushed.*uri$/i.test(key) && typeof value === 'string' && value) uri = value;
    }
  }
  return uri;
}

/** The Vertex AI console page of a job (`projects/<p>/locations/<r>/pipelineJobs/<id>`): its logs are there. */
export function consoleUrlFor(jobName: string): string | undefined {
  const m = /^projects\/([^/]+)\/locations\/([^/]+)\/pipelineJobs\/([^/]+)$/.exec(jobName);
  if (!m) return undefined;
  return `https://console.cloud.google.com/vertex-ai/locations/${m[2]}/pipelines/runs/${m[3]}?project=${m[1]}`;
}

function toOutcome(job: PipelineJobInfo): JobOutcome {
  const failed = job.tasks.find((t) => t.state === 'FAILED');
  return {
    logUrl: consoleUrlFor(job.name),
    name: job.name,
    state: job.state,
    tasks: job.tasks.map((t) => ({ name: t.name, state: t.state })),
    failedTask: failed ? { name: failed.name, error: failed.error ?? '' } : undefined,
    error: job.error,
    durationMs: job.startTime && job.endTime ? job.endTime - job.startTime : undefined,
  };
}

/** Vertex label values: `[a-z0-9_-]`, ≤ 63 chars. */
function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .slice(0, 63);
}

/** Vertex pipeline job activities: submit (or adopt), check once, cancel, collect outputs. */
export function createJobActivities(deps: ActivityDeps) {
  const { pipelines, store, catalog, settings } = deps;
  return {
    /**
     * Submits the job under its deterministic id. ALREADY_EXISTS means an earlier attempt got
     * through: adopt that job. The spec is downloaded and inlined (`templateUri` takes no gs://).
     */
    async submitPipelineJob(input: SubmitJobInput): Promise<JobOutcome> {
      return translating(async () => {
        const name = pipelines.jobName(input.pipelineJobId);
        const bytes = await store.read(input.specUri);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        if (input.specSha256 && sha256 !== input.specSha256) {
          const what = `spec ${input.specUri} changed since it was validated`;
          throw permanent(
            ErrorTypes.InvalidRequest,
            `${what}: sha256 ${sha256}, recorded ${input.specSha256}`,
          );
        }
        const spec: unknown = JSON.parse(bytes.toString('utf8'));
        const outputDir = `${settings.pipelineRoot.replace(/\/$/, '')}/runs/${input.pipelineJobId}`;
        const job = catalog.toJob(spec, input.parameters, outputDir);
        const labels = Object.fromEntries(
          Object.entries({ ...input.labels, conveyor_run: input.pipelineJobId }).map(([k, v]) => [
            labelValue(k),
            labelValue(v),
          ]),
        );
        try {
          const created = await pipelines.createPipelineJob({
            pipelineJobId: input.pipelineJobId,
            displayName: input.displayName,
            pipelineSpec: job.pipelineSpec,
            runtimeConfig: job.runtimeConfig,
            labels,
            serviceAccount: settings.serviceAccount,
          });
          log.info('pipeline job created', { pipelineJob: created.name || name });
          return toOutcome({ ...created, name: created.name || name });
        } catch (e: unknown) {
          if (gcpErrorKindOf(e) !== 'already-exists') throw e;
          log.info('adopting existing pipeline job', { pipelineJob: name });
          return toOutcome(await pipelines.getPipelineJob(name));
        }
      });
    },

    /**
     * Looks at a job once. Running → BENIGN "still running" with the task states; terminal → the
     * outcome, which the workflow turns into success or a PipelineFailed naming the task.
     */
    async checkPipelineJob(input: { name: string }): Promise<JobOutcome> {
      return translating(async () => {
        const job = await pipelines.getPipelineJob(input.name);
        const outcome = toOutcome(job);
        if (terminalPipelineStates.has(job.state)) return outcome;
        const running = job.tasks.filter((t) => t.state === 'RUNNING').map((t) => t.name);
        throw stillRunning(
          `pipeline job ${job.name} ${job.state}${running.length ? `, running: ${running.join(', ')}` : ''}`,
          { kind: 'pipeline', name: job.name, state: job.state, tasks: outcome.tasks },
          settings.pollIntervalMs,
        );
      });
    },

    /** Requests cancellation; a job that does not exist or already ended needs none. */
    async cancelPipelineJob(input: { name: string }): Promise<{ existed: boolean }> {
      return translating(async () => {
        try {
          await pipelines.cancelPipelineJob(input.name);
          log.info('pipeline job cancel requested', { pipelineJob: input.name });
          return { existed: true };
        } catch (e: unknown) {
          if (gcpErrorKindOf(e) === 'not-found') return { existed: false };
          if (gcpErrorKindOf(e) === 'failed-precondition') return { existed: true };
          throw e;
        }
      });
    },

    /**
     * Reads a finished job's outputs: numeric metadata of Metrics artifacts, and what the pipeline's
     * model convention points at (the pushed model URI, the model artifact, the blessing). A
     * precompiled spec declares no convention: its pushed URI is any `*pushed*uri` output parameter.
     */
    async collectOutputs(input: { name: string; pipeline?: string | undefined }): Promise<JobOutputs> {
      return translating(async () => {
        const job = await pipelines.getPipelineJob(input.name);
        if (job.state !== 'PIPELINE_STATE_SUCCEEDED') {
          throw permanent(
            ErrorTypes.PipelineFailed,
            `pipeline job ${job.name} is ${job.state}, not SUCCEEDED`,
          );
        }
        const model =
          input.pipeline && catalog.has(input.pipeline)
            ? catalog.conventions(input.pipeline).model
            : undefined;
        return model
          ? modelOutputs(job, model)
          : { metrics: metricsOf(job), modelUri: guessedPushedUri(job) };
      });
    },
  };
}
