/**
 * The pipeline jobs of one emulator: create (validate, then start a runner), get, list, cancel,
 * delete; finished jobs persist through the StateStore, unfinished ones fail at restart.
 */
import type { EmulatorContext } from '../context.ts';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './errors.ts';
import { generateJobId, parseJobName, parseParent, validateJobId } from './job-id.ts';
import { TERMINAL_STATES, type JobRecord } from './job-model.ts';
import { JobRunner } from './job-runner.ts';
import { validateDisplayName, validateLabels } from './labels.ts';
import { compileFilter, compileOrderBy } from './list-query.ts';
import { resolveRuntimeParameters, type RuntimeParameters } from './params.ts';
import { resolveInputArtifacts, type InputArtifacts } from './input-artifacts.ts';
import { ExecutionCache, type ArtifactStore } from './metadata-records.ts';
import { readPipelineSpec } from './spec.ts';
import { isObject, structToJson, type JsonObject, type ProtoStruct } from './struct.ts';
import { projectNumber } from './task-ids.ts';
import { parseGcsUri } from './gcs-mount.ts';

/** StateStore key of the job snapshot. */
const STATE_KEY = 'vertex-pipeline-jobs';

/** The PipelineJob fields CreatePipelineJob reads (proto-loader object shape). */
export interface PipelineJobInput {
  displayName?: string;
  pipelineSpec?: ProtoStruct | null;
  labels?: Record<string, string> | null;
  runtimeConfig?:
    | (RuntimeParameters & {
        gcsOutputDirectory?: string;
        failurePolicy?: string | number;
        inputArtifacts?: InputArtifacts | null;
      })
    | null;
  serviceAccount?: string;
  templateUri?: string;
}

/** Options beyond the context. */
export interface PipelineJobsOptions {
  /** See JobRunnerOptions.stateDelayMs. */
  stateDelayMs?: number;
  /** The metadata store's artifacts (shared with the MetadataService). */
  artifacts: ArtifactStore;
}

/** All jobs, keyed by `<location>/<jobId>` (the project segment may be an id or a number). */
export class PipelineJobs {
  private readonly context: EmulatorContext;
  private readonly options: PipelineJobsOptions;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly runners = new Map<string, { runner: JobRunner; done: Promise<void> }>();
  private readonly artifacts: ArtifactStore;
  private readonly cache: ExecutionCache;

  constructor(context: EmulatorContext, options: PipelineJobsOptions) {
    this.context = context;
    this.options = options;
    this.artifacts = options.artifacts;
    this.cache = new ExecutionCache(context.state);
    for (const job of context.state.load<JobRecord[]>(STATE_KEY) ?? []) {
      if (!TERMINAL_STATES.has(job.state)) failInterrupted(job);
      this.jobs.set(`${job.location}/${job.jobId}`, job);
    }
    this.persist();
  }

  /** CreatePipelineJob. @throws RpcError INVALID_ARGUMENT / ALREADY_EXISTS */
  create(parent: string, input: PipelineJobInput | null | undefined, requestedId: string): JobRecord {
    const { project, location } = parseParent(parent);
    if (!input) throw invalidArgument('pipelineJob is required.');
    if (requestedId) validateJobId(requestedId);
    const jobId = requestedId || generateJobId();
    const key = `${location}/${jobId}`;
    const name = `${parent}/pipelineJobs/${jobId}`;
    if (this.jobs.has(key)) throw alreadyExists(name);
    const labels = { ...(input.labels ?? {}) };
    validateLabels(labels);
    if (input.displayName) validateDisplayName(input.displayName);
    const specJson = structToJson(input.pipelineSpec);
    if (Object.keys(specJson).length === 0) {
      throw invalidArgument(
        input.templateUri
          ? `templateUri "${input.templateUri}" is not supported by the emulator: inline the spec as pipelineSpec.`
          : 'pipelineJob.pipelineSpec is required (send it as a google.protobuf.Struct).',
      );
    }
    const spec = readPipelineSpec(specJson);
    const config = input.runtimeConfig ?? {};
    const parameterValues = resolveRuntimeParameters(spec, config);
    const inputArtifacts = resolveInputArtifacts(spec, config.inputArtifacts, (id) =>
      this.artifacts.get(location, id),
    );
    const pipelineRoot = config.gcsOutputDirectory || spec.defaultPipelineRoot || '';
    if (!pipelineRoot) throw invalidArgument('runtimeConfig.gcsOutputDirectory is required.');
    if (!parseGcsUri(pipelineRoot))
      throw invalidArgument(`runtimeConfig.gcsOutputDirectory "${pipelineRoot}" must be a gs:// URI.`);
    const created = new Date().toISOString();
    const failFast =
      config.failurePolicy === 'PIPELINE_FAILURE_POLICY_FAIL_FAST' || config.failurePolicy === 2;
    const job: JobRecord = {
      name,
      jobId,
      project,
      location,
      displayName: input.displayName || jobId,
      labels,
      state: 'PIPELINE_STATE_QUEUED',
      createTime: created,
      updateTime: created,
      pipelineSpec: specJson,
      runtimeConfig: plain(config),
      parameterValues,
      inputArtifacts,
      pipelineRoot,
      failurePolicy: failFast ? 'FAIL_FAST' : 'FAIL_SLOW',
      serviceAccount: input.serviceAccount ?? '',
      tasks: [],
    };
    this.jobs.set(key, job);
    const runner = new JobRunner(job, spec, {
      context: this.context,
      projectNumber: projectNumber(project),
      artifacts: this.artifacts,
      cache: this.cache,
      onChange: () => this.persist(),
      ...(this.options.stateDelayMs !== undefined ? { stateDelayMs: this.options.stateDelayMs } : {}),
    });
    const done = this.ensureRootBucket(pipelineRoot)
      .then(() => runner.run())
      .finally(() => {
        this.runners.delete(key);
        this.context.log.info({ job: name, state: job.state }, 'pipeline job finished');
      });
    this.runners.set(key, { runner, done });
    this.persist();
    this.context.log.info({ job: name, tasks: spec.root.dag.tasks.length }, 'pipeline job created');
    return job;
  }

  /** GetPipelineJob. @throws RpcError NOT_FOUND */
  get(name: string): JobRecord {
    const { location, jobId } = parseJobName(name);
    const job = this.jobs.get(`${location}/${jobId}`);
    if (!job) throw notFound(name);
    return job;
  }

  /** ListPipelineJobs: filtered, ordered, paged (`pageToken` is an offset). */
  list(
    parent: string,
    filter: string,
    orderBy: string,
    pageSize: number,
    pageToken: string,
  ): { jobs: JobRecord[]; next: string } {
    const { location } = parseParent(parent);
    const test = compileFilter(filter);
    const order = compileOrderBy(orderBy);
    const all = [...this.jobs.values()].filter((j) => j.location === location && test(j)).sort(order);
    const start = pageToken ? Number(Buffer.from(pageToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(start) || start < 0) throw invalidArgument(`Invalid pageToken "${pageToken}".`);
    // Vertex's default page size is 100 (and it caps larger requests there too? no: it allows more).
    const size = pageSize > 0 ? pageSize : 100;
    const jobs = all.slice(start, start + size);
    const next = start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : '';
    return { jobs, next };
  }

  /** CancelPipelineJob. @throws RpcError NOT_FOUND / FAILED_PRECONDITION (already ended) */
  cancel(name: string): void {
    const job = this.get(name);
    if (TERMINAL_STATES.has(job.state)) {
      throw failedPrecondition(`PipelineJob ${name} is in state ${job.state} and cannot be cancelled.`);
    }
    this.runners.get(`${job.location}/${job.jobId}`)?.runner.cancel();
  }

  /** DeletePipelineJob (the record only). @throws RpcError NOT_FOUND / FAILED_PRECONDITION (still running) */
  delete(name: string): JobRecord {
    const job = this.get(name);
    if (!TERMINAL_STATES.has(job.state)) {
      throw failedPrecondition(`PipelineJob ${name} is in state ${job.state}; cancel it before deleting it.`);
    }
    this.jobs.delete(`${job.location}/${job.jobId}`);
    this.persist();
    return job;
  }

  /** Cancels every running job and waits for them (emulator stop: leaves no task process behind). */
  async stop(): Promise<void> {
    const running = [...this.runners.values()];
    for (const { runner } of running) runner.cancel();
    await Promise.all(running.map((r) => r.done.catch(() => undefined)));
    this.persist();
  }

  private async ensureRootBucket(root: string): Promise<void> {
    const bucket = parseGcsUri(root)?.bucket;
    try {
      if (bucket) await this.context.gcs.ensureBucket(bucket);
    } catch (e: unknown) {
      this.context.log.warn({ err: e, bucket }, 'could not ensure the pipeline root bucket');
    }
  }

  private persist(): void {
    this.context.state.save(STATE_KEY, [...this.jobs.values()]);
  }
}

function failInterrupted(job: JobRecord): void {
  const at = new Date().toISOString();
  const message = `The emulator restarted while this job was ${job.state}; its tasks were not resumed.`;
  job.state = 'PIPELINE_STATE_FAILED';
  job.error = { code: 13, message };
  job.endTime = at;
  job.updateTime = at;
  for (const task of job.tasks) {
    if (task.state === 'RUNNING' || task.state === 'PENDING' || task.state === 'CANCELLING') {
      task.state = task.state === 'RUNNING' ? 'FAILED' : 'CANCELLED';
      task.error = { code: 13, message };
      task.endTime = at;
    }
  }
}

/** A JSON copy of a proto-loader object (int64 strings stay strings). */
function plain(value: unknown): JsonObject {
  const copy = JSON.parse(JSON.stringify(value ?? {})) as unknown;
  return isObject(copy) ? copy : {};
}
