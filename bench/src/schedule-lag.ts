// Schedule fire lag: a Temporal Schedule fires every --every (1 s) --firings times (100); for each run,
// TemporalScheduledStartTime (when the schedule meant it to start) → the run's start time. The runs
// start trainingRun with Conveyor's memo, search attributes and summary on a task queue no worker
// polls: only the schedule's own firing is measured. Beside the lag it reads the history of the
// schedule's scheduler workflow (the server's own workflow that sleeps on a timer until each
// scheduled time): what each timer asked for and when it fired. Prints JSON (scheduleLagReport).
//
//   npx node bench/src/schedule-lag.ts [--firings 100] [--every 1s]
//
// Needs the local stack's Temporal; TEMPORAL_ADDRESS (else CONVEYOR_TEMPORAL_PORT) overrides. The
// schedule is deleted and its runs terminated at the end.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import {
  scheduleLagReport,
  schedulerTimers,
  type Firing,
  type SchedulerTimer,
} from './schedule-lag-report.ts';
import { createRunSchedule } from './schedules.ts';
import { benchStackEnv } from './stack-env.ts';

const { values: args } = parseArgs({
  options: { firings: { type: 'string', default: '100' }, every: { type: 'string', default: '1s' } },
});
const FIRINGS = Number(args.firings);
const stack = benchStackEnv(process.env);
const address = stack['TEMPORAL_ADDRESS'] ?? '';
const namespace = stack['TEMPORAL_NAMESPACE'] ?? '';
const scheduleId = `bench-lag-${Date.now().toString(36)}`;
const taskQueue = scheduleId;
// The workflow id the server's workflow-based scheduler runs a schedule under. A schedule kept by the
// newer CHASM scheduler has no such workflow: its timers are then left out of the report.
const schedulerWorkflowId = `temporal-sys-scheduler:${scheduleId}`;

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
try {
  const started = Date.now();
  await createRunSchedule(client, {
    scheduleId,
    taskQueue,
    every: args.every ?? '1s',
    firings: FIRINGS,
    parameters: { num_epochs: 1 },
    source: { repoUrl: '/tmp/bench-repo', branch: 'main' },
  });
  const query = `TemporalScheduledById = '${scheduleId}'`;
  // Every firing plus a minute: visibility lags on a loaded machine.
  const deadline = Date.now() + FIRINGS * 1000 * Number.parseFloat(args.every ?? '1') + 60_000;
  while ((await client.workflow.count(query)).count < FIRINGS && Date.now() < deadline) await sleep(2_000);
  const fired: Firing[] = [];
  for await (const w of client.workflow.list({ query })) {
    const scheduled = w.searchAttributes['TemporalScheduledStartTime']?.[0];
    fired.push({
      scheduledAt: scheduled instanceof Date ? scheduled.getTime() : Number.NaN,
      startedAt: w.startTime.getTime(),
    });
  }
  const timers: SchedulerTimer[] = await client.workflow
    .getHandle(schedulerWorkflowId)
    .fetchHistory()
    .then((history) => schedulerTimers(history.events ?? []))
    .catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return [];
      throw error;
    });
  process.stdout.write(
    `${JSON.stringify({ bench: 'schedule-lag', every: args.every, wallMs: Date.now() - started, ...scheduleLagReport(FIRINGS, fired, timers) }, null, 2)}\n`,
  );
} finally {
  await client.schedule
    .getHandle(scheduleId)
    .delete()
    .catch(() => undefined);
  await client.workflowService
    .startBatchOperation({
      namespace,
      jobId: randomUUID(),
      reason: 'bench cleanup',
      visibilityQuery: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"`,
      terminationOperation: {},
    })
    .catch(() => undefined);
  await connection.close();
}
