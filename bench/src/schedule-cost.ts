// Schedule-cost benchmark: a Temporal Schedule fires every 2 s on an unchanged commit, 20 times (the
// original system's `*/3 * * * *`, compressed). Continuous training must pay for one image build and
// then only submit pipeline jobs. Everything real: the local stack's Temporal, worker and Cloud Build +
// Vertex emulator; the penguins pipeline from a scratch clone of this checkout with one new (empty)
// commit, so its image has never been built. Prints JSON (scheduleCostReport):
//   builds started, pipeline jobs, runs whose image was reused, schedule fire → job submitted (ms).
//
//   npx node bench/src/schedule-cost.ts [--firings 20] [--every 2s] [--epochs 2]
//
// Needs `conveyor stack up`. TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, CONVEYOR_CLOUDBUILD_ENDPOINT and
// CONVEYOR_TASK_QUEUE override the stack's defaults.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { TaskQueues, type TrainingRunResult } from '@conveyor/contracts';
import { CloudBuild, parseGrpcEndpoint } from '@conveyor/gcp';
import { scheduleCostReport, type ObservedRun } from './schedule-cost-report.ts';
import { createRunSchedule } from './schedules.ts';
import { repoRoot } from '@conveyor/platform/repo-root';
import { benchStackEnv } from './stack-env.ts';

const { values: args } = parseArgs({
  options: {
    firings: { type: 'string', default: '20' },
    every: { type: 'string', default: '2s' },
    epochs: { type: 'string', default: '2' },
  },
});
const FIRINGS = Number(args.firings);
process.env['METADATA_SERVER_DETECTION'] ??= 'none';
const stack = benchStackEnv(process.env);
const address = stack['TEMPORAL_ADDRESS'] ?? '';
const namespace = stack['TEMPORAL_NAMESPACE'] ?? '';
const taskQueue = process.env['CONVEYOR_TASK_QUEUE'] ?? TaskQueues.training;
const cloudBuildEndpoint = stack['CONVEYOR_CLOUDBUILD_ENDPOINT'] ?? '';
const tag = `bench-schedule-${Date.now().toString(36)}`;

/** A scratch clone of this checkout with one new empty commit on a branch of its own. */
function scratchRepo(): { dir: string; branch: string; commit: string } {
  const dir = mkdtempSync(join(tmpdir(), 'conveyor-schedule-cost-'));
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...a], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  git('clone', '--quiet', '--no-hardlinks', repoRoot, '.');
  git('checkout', '-q', '-b', tag);
  git('commit', '-q', '--allow-empty', '-m', 'schedule-cost benchmark: a commit never built');
  return { dir, branch: tag, commit: git('rev-parse', 'HEAD') };
}

/** Fire time and job-submission time of one run, from its history. */
async function observe(client: Client, workflowId: string): Promise<ObservedRun> {
  const handle = client.workflow.getHandle(workflowId);
  const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  const events = history.events ?? [];
  const time = (e: (typeof events)[number]) =>
    Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
  const submitScheduled = events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'submitPipelineJob',
  );
  const submitted = events.find(
    (e) =>
      e.activityTaskCompletedEventAttributes &&
      String(e.activityTaskCompletedEventAttributes.scheduledEventId) === String(submitScheduled?.eventId),
  );
  const result =
    description.status.name === 'COMPLETED' ? ((await handle.result()) as TrainingRunResult) : undefined;
  return {
    workflowId,
    status: description.status.name,
    triggeredAt: events[0] ? time(events[0]) : Number.NaN,
    jobSubmittedAt: submitted ? time(submitted) : undefined,
    buildId: result?.build?.id,
    reused: result?.build?.reused,
  };
}

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const builds = new CloudBuild({
  projectId: 'conveyor-local',
  endpoint: parseGrpcEndpoint(cloudBuildEndpoint),
});
const repo = scratchRepo();
const scheduleId = tag;
try {
  const started = Date.now();
  await createRunSchedule(client, {
    scheduleId,
    taskQueue,
    every: args.every ?? '2s',
    firings: FIRINGS,
    parameters: { num_epochs: Number(args.epochs) },
    source: { repoUrl: repo.dir, branch: repo.branch },
  });
  // Runs carry the schedule's id in TemporalScheduledById; wait until all have fired and ended.
  const query = `TemporalScheduledById = '${scheduleId}'`;
  let ids: string[] = [];
  for (const deadline = Date.now() + 20 * 60_000; Date.now() < deadline;) {
    const listed: { workflowId: string; status: string }[] = [];
    for await (const w of client.workflow.list({ query }))
      listed.push({ workflowId: w.workflowId, status: w.status.name });
    ids = listed.map((w) => w.workflowId);
    if (listed.length >= FIRINGS && listed.every((w) => w.status !== 'RUNNING')) break;
    await sleep(2_000);
  }
  const runs = await Promise.all(ids.map((id) => observe(client, id)));
  const report = scheduleCostReport(
    FIRINGS,
    runs,
    (await builds.listBuildsByTag(`commit-${repo.commit}`)).length,
  );
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'schedule-cost', every: args.every, wallMs: Date.now() - started, ...report }, null, 2)}\n`,
  );
} finally {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await builds.close();
  await connection.close();
  rmSync(repo.dir, { recursive: true, force: true });
}
