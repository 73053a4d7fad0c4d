// `conveyor runs logs <id> [--task T]`: the log of a run's image build, or of one pipeline task.
// Build logs: the object Cloud Build writes to its logs bucket (`log-<id>.txt`), or what `logUrl`
// serves (the emulator's local file or fake-GCS download). Task logs: the `task.log` the Vertex
// emulator writes beside a task's outputs; Google Cloud keeps task logs in Cloud Logging, so there
// the command prints where to read them.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pipelineJobIdFor, type RunStatus, type TrainingRunResult } from '@conveyor/contracts';
import type { BuildInfo, PipelineJobInfo } from '@conveyor/gcp';
import { GcpError } from '@conveyor/gcp/errors';
import { ExitCodes, ExitError, FlagError } from '../common/errors.ts';
import type { Session } from '../common/session.ts';
import { queryStatus } from './watch.ts';

/** What `runs logs -o json` prints. */
export interface RunLog {
  readonly runId: string;
  /** `build` (the image build) or `task` (a pipeline task). */
  readonly kind: 'build' | 'task';
  /** The build id, or the task name. */
  readonly name: string;
  /** Where the text came from (gs:// URI, URL or file), when it was fetched. */
  readonly source?: string | undefined;
  /** The log text; absent when it cannot be fetched from here. */
  readonly text?: string | undefined;
  /** Where to read it instead (Cloud Logging, the Cloud console), when `text` is absent. */
  readonly links: readonly string[];
  /** The run adopted an image built for an earlier run: this is that build's log. */
  readonly reused?: boolean | undefined;
}

/** The run's build and job as far as it got: the result when it completed, else the `status` query. */
async function runFields(
  session: Session,
  runId: string,
): Promise<{ fields: Partial<RunStatus>; jobName?: string | undefined }> {
  const client = await session.temporal();
  const handle = client.workflow.getHandle(runId);
  const description = await handle.describe();
  if (description.status.name === 'COMPLETED') {
    const result = (await handle.result()) as TrainingRunResult;
    return { fields: result, jobName: result.pipelineJob };
  }
  const status = await queryStatus(handle);
  // Without a worker to answer, the job id still follows from the execution (pipelineJobIdFor).
  const jobName =
    status?.pipelineJob ?? (await session.vertex()).jobName(pipelineJobIdFor(runId, description.runId));
  return { fields: status ?? {}, jobName };
}

async function fetchText(session: Session, url: string): Promise<string | undefined> {
  if (url.startsWith('file://')) return readFile(fileURLToPath(url), 'utf8').catch(() => undefined);
  // Only the local target's storage serves logs over plain HTTP; Google's logUrl is a console page.
  const storage = session.target.google.storageEndpoint;
  if (storage && url.startsWith(storage)) {
    const response = await fetch(url).catch(() => undefined);
    return response?.ok ? response.text() : undefined;
  }
  return undefined;
}

async function readIfThere(session: Session, uri: string): Promise<string | undefined> {
  try {
    return (await (await session.store()).read(uri)).toString('utf8');
  } catch (e: unknown) {
    if (e instanceof GcpError && (e.kind === 'not-found' || e.kind === 'permission-denied')) return undefined;
    throw e;
  }
}

/** A build's log: its logs bucket object, else what its logUrl serves, else its console link. */
async function buildLog(session: Session, runId: string, build: BuildInfo, reused: boolean): Promise<RunLog> {
  const base = { runId, kind: 'build' as const, name: build.id, reused };
  if (build.logsBucket) {
    const uri = `${build.logsBucket.replace(/\/$/, '')}/log-${build.id}.txt`;
    const text = await readIfThere(session, uri);
    if (text !== undefined) return { ...base, source: uri, text, links: [] };
  }
  const text = build.logUrl ? await fetchText(session, build.logUrl) : undefined;
  if (text !== undefined) return { ...base, source: build.logUrl, text, links: [] };
  return { ...base, links: build.logUrl ? [build.logUrl] : [] };
}

/** The Cloud console pages of a Vertex pipeline job: the run page and its Cloud Logging query. */
function consoleLinks(session: Session, job: PipelineJobInfo): string[] {
  const project = session.target.google.projectId ?? '';
  const jobId = job.name.split('/').pop() ?? '';
  const query = `resource.type="aiplatform.googleapis.com/PipelineJob"\nresource.labels.pipeline_job_id="${jobId}"`;
  return [
    `https://console.cloud.google.com/vertex-ai/locations/${session.target.google.region}/pipelines/runs/${jobId}?project=${project}`,
    `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(query)}?project=${project}`,
  ];
}

/** A task's log: the emulator's `task.log` under the job's output directory, else the console links. */
async function taskLog(
  session: Session,
  runId: string,
  job: PipelineJobInfo,
  taskName: string,
): Promise<RunLog> {
  const task = job.tasks.find((t) => t.name === taskName);
  if (!task)
    throw new FlagError(
      '--task',
      `'${taskName}' is not a task of ${job.name}; its tasks: ${job.tasks.map((t) => t.name).join(', ')}`,
    );
  const base = { runId, kind: 'task' as const, name: taskName };
  const jobId = job.name.split('/').pop() ?? '';
  if (job.gcsOutputDirectory && task.taskId) {
    const suffix = `/${jobId}/${task.name}_${task.taskId}/task.log`;
    const store = await session.store();
    const objects = await store.list(job.gcsOutputDirectory).catch(() => [] as string[]);
    const uri = objects.find((o) => o.endsWith(suffix));
    const text = uri ? await readIfThere(session, uri) : undefined;
    if (uri && text !== undefined) return { ...base, source: uri, text, links: [] };
  }
  return { ...base, links: consoleLinks(session, job) };
}

/** The log `runs logs` prints. @throws ExitError when the run has no build or job to read from yet. */
export async function runLog(session: Session, runId: string, taskName: string | undefined): Promise<RunLog> {
  const { fields, jobName } = await runFields(session, runId);
  if (taskName === undefined) {
    if (!fields.build) {
      const why =
        fields.spec && !fields.image ? 'it submitted a precompiled spec' : 'it has not got to the build yet';
      throw new ExitError(
        ExitCodes.usage,
        `run ${runId} has no build log: ${why}; give --task <name> for a task's log`,
      );
    }
    return buildLog(
      session,
      runId,
      await (await session.builds()).getBuild(fields.build.id),
      fields.build.reused === true,
    );
  }
  if (!jobName) throw new ExitError(ExitCodes.usage, `run ${runId} has not submitted its pipeline job yet`);
  let job: PipelineJobInfo;
  try {
    job = await (await session.vertex()).getPipelineJob(jobName);
  } catch (e: unknown) {
    if (e instanceof GcpError && e.kind === 'not-found')
      throw new ExitError(ExitCodes.usage, `run ${runId} has no pipeline job (${jobName}) yet`, { cause: e });
    throw e;
  }
  return taskLog(session, runId, job, taskName);
}

/** The log for people: the text, or where to read it. */
export function formatRunLog(log: RunLog): string {
  const what =
    log.kind === 'build'
      ? `build ${log.name}${log.reused ? ' (the image was reused from this build)' : ''}`
      : `task ${log.name}`;
  if (log.text !== undefined) return log.text.replace(/\n$/, '');
  return [`the log of ${what} cannot be read from here; read it at:`, ...log.links.map((l) => `  ${l}`)].join(
    '\n',
  );
}
