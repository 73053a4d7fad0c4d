// `conveyor runs cleanup [--dry-run]`: cloud work whose owner is gone. Every ending of a run stops what
// it started, except `temporal workflow terminate`, which runs no code at all: its build or pipeline
// job goes on. Cleanup finds Conveyor's unfinished builds (tag `conveyor`) and pipeline jobs (label
// `conveyor_pipeline`), finds the workflow execution that started each, and cancels those whose
// owner is no longer running. Anything whose owner it cannot name for sure is left alone.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { buildTagFor, ownerFromTags, pipelineJobIdFor } from '@conveyor/contracts';
import type { BuildInfo, PipelineJobInfo } from '@conveyor/gcp';
import type { Session } from '../common/session.ts';

/** Unfinished Conveyor builds (Cloud Build ListBuilds filter). */
const BUILD_FILTER = 'tags="conveyor" AND (status="PENDING" OR status="QUEUED" OR status="WORKING")';
/** Unfinished Conveyor pipeline jobs (Vertex ListPipelineJobs filter; CANCELLING is on its way out). */
const JOB_FILTER =
  'labels.conveyor_pipeline:* AND (state="PIPELINE_STATE_QUEUED" OR state="PIPELINE_STATE_PENDING" OR ' +
  'state="PIPELINE_STATE_RUNNING" OR state="PIPELINE_STATE_PAUSED")';
/** Vertex cuts display names here: an owner id read from a name this long may be cut too. */
const DISPLAY_NAME_MAX = 128;

/** One unfinished build or job and what cleanup decided about it (`-o json` prints these). */
export interface CloudWork {
  readonly kind: 'build' | 'job';
  /** Build id, or the job's full resource name. */
  readonly id: string;
  /** Build status or job state. */
  readonly state: string;
  /** Workflow id of the owner, when it could be read. */
  readonly owner?: string | undefined;
  /** The owner's status (`RUNNING`, `TERMINATED`, …), or `NOT_FOUND`. */
  readonly ownerStatus?: string | undefined;
  /** `cancel` (its owner is gone) or `keep`. */
  readonly action: 'cancel' | 'keep';
  /** Why, in words. */
  readonly reason: string;
}

/** What `runs cleanup` found and did. */
export interface CleanupReport {
  readonly dryRun: boolean;
  /** Cancelled (or, in a dry run, to be cancelled). */
  readonly cancelled: readonly CloudWork[];
  readonly kept: readonly CloudWork[];
}

type OwnerCheck = { status: string; owns: boolean } | undefined;

/** The owner's status, and whether its current execution is the one whose key `matches`. */
async function ownerOf(
  client: Client,
  workflowId: string,
  matches: (runId: string) => boolean,
): Promise<OwnerCheck> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    return { status: d.status.name, owns: d.status.name === 'RUNNING' && matches(d.runId) };
  } catch (e: unknown) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
}

function decide(base: Omit<CloudWork, 'action' | 'reason' | 'ownerStatus'>, owner: OwnerCheck): CloudWork {
  if (!owner)
    return {
      ...base,
      ownerStatus: 'NOT_FOUND',
      action: 'keep',
      reason: `no workflow ${base.owner} in this namespace (another namespace's, or removed by retention)`,
    };
  if (owner.owns)
    return { ...base, ownerStatus: owner.status, action: 'keep', reason: 'its run is still going' };
  const reason =
    owner.status === 'RUNNING'
      ? `${base.owner} runs again as a new execution that did not start it`
      : `its run ended ${owner.status} without stopping it`;
  return { ...base, ownerStatus: owner.status, action: 'cancel', reason };
}

async function judgeBuild(client: Client, build: BuildInfo): Promise<CloudWork> {
  const owner = ownerFromTags(build.tags);
  const base = { kind: 'build' as const, id: build.id, state: build.status, owner };
  if (!owner) return { ...base, action: 'keep', reason: 'no owner tag (a build from before owner tags)' };
  return decide(
    base,
    await ownerOf(client, owner, (runId) => build.tags.includes(buildTagFor(owner, runId))),
  );
}

async function judgeJob(client: Client, job: PipelineJobInfo): Promise<CloudWork> {
  const display = job.displayName ?? '';
  const space = display.indexOf(' ');
  const owner = space > 0 && display.length < DISPLAY_NAME_MAX ? display.slice(space + 1) : undefined;
  const base = { kind: 'job' as const, id: job.name, state: job.state, owner };
  if (!owner)
    return { ...base, action: 'keep', reason: `cannot read its run from the display name '${display}'` };
  const jobId = job.name.split('/').pop();
  return decide(base, await ownerOf(client, owner, (runId) => pipelineJobIdFor(owner, runId) === jobId));
}

/** Finds Conveyor's unfinished builds and jobs and judges each by its owner. */
export async function findCloudWork(session: Session): Promise<CloudWork[]> {
  const client = await session.temporal();
  const [builds, jobs] = await Promise.all([
    session.builds().then((b) => b.listBuilds(BUILD_FILTER)),
    session.vertex().then((v) => v.listPipelineJobs(JOB_FILTER)),
  ]);
  const judged: CloudWork[] = [];
  for (const build of builds) judged.push(await judgeBuild(client, build));
  for (const job of jobs) judged.push(await judgeJob(client, job));
  return judged;
}

/** Cancels the orphans unless `dryRun`; returns what it found and did. */
export async function cleanup(session: Session, dryRun: boolean): Promise<CleanupReport> {
  const judged = await findCloudWork(session);
  const orphans = judged.filter((w) => w.action === 'cancel');
  if (!dryRun) {
    for (const work of orphans) {
      if (work.kind === 'build') await (await session.builds()).cancelBuild(work.id);
      else await (await session.vertex()).cancelPipelineJob(work.id);
    }
  }
  return { dryRun, cancelled: orphans, kept: judged.filter((w) => w.action === 'keep') };
}

/** The report for people. */
export function formatCleanup(report: CleanupReport): string {
  const verb = report.dryRun ? 'would cancel' : 'cancelled';
  const line = (w: CloudWork) => `${w.kind} ${w.id} (${w.state}) of ${w.owner ?? '?'}: ${w.reason}`;
  const lines = [
    ...report.cancelled.map((w) => `${verb} ${line(w)}`),
    ...report.kept.map((w) => `left ${line(w)}`),
  ];
  if (lines.length === 0) return 'no unfinished Conveyor builds or pipeline jobs';
  if (report.cancelled.length === 0) lines.unshift('nothing to cancel');
  return lines.join('\n');
}
