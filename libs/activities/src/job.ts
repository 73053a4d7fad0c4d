import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import { ErrorTypes } from '@conveyor/contracts';
import { GcpError, terminalPipelineStates, type PipelineJobInfo } from '@conveyor/gcp';
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
  readonly modelUri?: string | undefined;
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
          if (!(e instanceof GcpError) || e.kind !== 'already-exists') throw e;
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
          if (e instanceof GcpError && e.kind === 'not-found') return { existed: false };
          if (e instanceof GcpError && e.kind === 'failed-precondition') return { existed: true };
          throw e;
        }
      });
    },

    /**
     * Reads a finished job's outputs: numeric metadata of Metrics artifacts, and the pushed model
     * URI (an output parameter or Model artifact of the task named like `push*`).
     */
    async collectOutputs(input: { name: string }): Promise<JobOutputs> {
      return translating(async () => {
        const job = await pipelines.getPipelineJob(input.name);
        const metrics: Record<string, number> = {};
        let modelUri: string | undefined;
        for (const task of job.tasks) {
          for (const artifacts of Object.values(task.outputs)) {
            for (const artifact of artifacts) {
              if (/Metrics$/.test(artifact.schemaTitle)) {
                for (const [key, value] of Object.entries(artifact.metadata)) {
                  if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
                }
              }
            }
          }
          for (const [key, value] of Object.entries(task.executionMetadata)) {
            if (/^output:.*(pushed|model).*uri$/i.test(key) && typeof value === 'string' && value)
              modelUri = value;
          }
        }
        if (job.state !== 'PIPELINE_STATE_SUCCEEDED') {
          throw permanent(
            ErrorTypes.PipelineFailed,
            `pipeline job ${job.name} is ${job.state}, not SUCCEEDED`,
          );
        }
        return { metrics, modelUri };
      });
    },
  };
}
