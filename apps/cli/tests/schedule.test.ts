// `conveyor schedule` against the dev server, with a stub trainingRun worker on a unique task queue;
// and the same schedules driven by the `temporal` binary.
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import {
  conveyor,
  conveyorRaw,
  countRuns,
  eventually,
  stubWorker,
  temporalCli,
  temporalClient,
} from './support.ts';

let connection: Connection;
let client: Client;
let worker: { stop: () => Promise<void> };
const taskQueue = uniqueName('schedule-q');
const schedules: string[] = [];

function scheduleId(prefix: string): string {
  const id = uniqueName(prefix);
  schedules.push(id);
  return id;
}

beforeAll(async () => {
  ({ connection, client } = await temporalClient());
  worker = await stubWorker(taskQueue);
});

afterAll(async () => {
  for (const id of schedules)
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await worker?.stop();
  await connection?.close();
});

describe('conveyor schedule', () => {
  it('a 2-second interval schedule fires typed runs; pause stops it', async () => {
    const id = scheduleId('every-2s');
    await conveyor([
      'schedule',
      'create',
      id,
      '--every',
      '2s',
      '--param',
      'num_epochs=3',
      '--param',
      'learning_rate=1e-2',
      '--task-queue',
      taskQueue,
    ]);
    const query = `TemporalScheduledById="${id}"`;
    await eventually(
      async () => (await countRuns(client, taskQueue, query)) >= 2,
      30_000,
      'two scheduled runs',
    );

    const [first] = await (async () => {
      const out = [];
      for await (const w of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ${query}` }))
        out.push(w);
      return out;
    })();
    expect(first?.workflowId.startsWith(`${id}-`)).toBe(true);
    const result = (await client.workflow.getHandle(first!.workflowId).result()) as {
      parameters: Record<string, unknown>;
      trigger: { kind: string; id: string };
    };
    expect(result.parameters).toEqual({ num_epochs: 3, learning_rate: 0.01 });
    expect(result.trigger).toMatchObject({ kind: 'schedule', id });

    await conveyor(['schedule', 'pause', id, '--note', 'maintenance']);
    // A run fired just before the pause may still show up: let it land, then count.
    await new Promise((r) => setTimeout(r, 2_500));
    const paused = await countRuns(client, taskQueue, query);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await countRuns(client, taskQueue, query)).toBe(paused);

    const view = JSON.parse(await conveyor(['schedule', 'describe', id, '--json'])) as {
      paused: boolean;
      notes: string;
      overlap: string;
      catchupWindow: string;
      spec: { intervals: { every: string }[] };
      recentRuns: { status: string; runId: string; executionRunId: string }[];
    };
    expect(view).toMatchObject({
      paused: true,
      notes: 'maintenance',
      overlap: 'Skip',
      catchupWindow: '10m',
      spec: { intervals: [{ every: '2s' }] },
    });
    expect(view.recentRuns.length).toBeGreaterThanOrEqual(2);
    expect(view.recentRuns.every((r) => r.status === 'COMPLETED' && r.runId.startsWith(`${id}-`))).toBe(true);
    // runId is the run's id (its workflow id); Temporal's id of the execution is executionRunId.
    expect(view.recentRuns.every((r) => /^[0-9a-f-]{36}$/.test(r.executionRunId))).toBe(true);
    const text = await conveyor(['schedule', 'describe', id]);
    expect(text).toContain('(PAUSED)');
    expect(text).toContain('COMPLETED');
  });

  it('a backfill over a range creates one run per slot', async () => {
    const id = scheduleId('backfill');
    await conveyor([
      'schedule',
      'create',
      id,
      '--cron',
      '* * * * *',
      '--param',
      'num_epochs=2',
      '--task-queue',
      taskQueue,
      '--paused',
      '--note',
      'backfill only',
    ]);
    await conveyor([
      'schedule',
      'backfill',
      id,
      '--start',
      '2026-01-01T00:00:00Z',
      '--end',
      '2026-01-01T00:05:00Z',
      '--overlap',
      'allow-all',
    ]);
    const query = `TemporalScheduledById="${id}"`;
    await eventually(
      async () => (await countRuns(client, taskQueue, query)) >= 6,
      30_000,
      'six backfilled runs',
    );
    await new Promise((r) => setTimeout(r, 2_000));
    const ids: string[] = [];
    for await (const w of client.workflow.list({ query: `TaskQueue="${taskQueue}" AND ${query}` }))
      ids.push(w.workflowId);
    // One per minute slot in [00:00, 00:05] (both ends included); the server appends the slot time to the id.
    expect(ids.sort()).toEqual([0, 1, 2, 3, 4, 5].map((m) => `${id}-2026-01-01T00:0${m}:00Z`));
  });

  it('rejects bad parameters at create time, naming the parameter', async () => {
    const r = await conveyorRaw([
      'schedule',
      'create',
      scheduleId('bad'),
      '--every',
      '1h',
      '--param',
      'num_epochs=3.5',
      '--task-queue',
      taskQueue,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/num_epochs: expected an integer/);
  });

  it('update changes params and spec; trigger starts a run; delete removes it', async () => {
    const id = scheduleId('update');
    await conveyor([
      'schedule',
      'create',
      id,
      '--cron',
      '0 3 * * *',
      '--tz',
      'Europe/Paris',
      '--param',
      'num_epochs=3',
      '--task-queue',
      taskQueue,
      '--paused',
      '--jitter',
      '30s',
      '--remaining-actions',
      '3',
      '--overlap',
      'buffer-one',
      '--catchup-window',
      '1h',
    ]);
    const created = JSON.parse(await conveyor(['schedule', 'describe', id, '--json'])) as Record<
      string,
      unknown
    >;
    expect(created).toMatchObject({
      spec: { cron: ['0 3 * * *'], timezone: 'Europe/Paris', jitter: '30s' },
      remainingActions: 3,
      overlap: 'BufferOne',
      catchupWindow: '1h',
    });
    await conveyor(['schedule', 'update', id, '--param', 'num_epochs=7', '--cron', '30 4 * * 1-5']);
    const view = JSON.parse(await conveyor(['schedule', 'describe', id, '--json'])) as {
      parameters: unknown;
      spec: { cron: string[] };
      paused: boolean;
    };
    expect(view.parameters).toEqual({ num_epochs: 7 });
    expect(view.spec.cron).toEqual(['30 4 * * 1-5']);
    expect(view.paused).toBe(true);
    await conveyor(['schedule', 'trigger', id]);
    await eventually(
      async () => (await countRuns(client, taskQueue, `TemporalScheduledById="${id}"`)) === 1,
      20_000,
      'triggered run',
    );
    const list = JSON.parse(await conveyor(['schedule', 'list', '--json'])) as { scheduleId: string }[];
    expect(list.map((s) => s.scheduleId)).toContain(id);
    await conveyor(['schedule', 'delete', id]);
    expect((await conveyorRaw(['schedule', 'describe', id])).code).not.toBe(0);
  });
});

describe('Conveyor schedules are ordinary Temporal schedules', () => {
  it('the temporal binary lists, triggers and pauses a Conveyor schedule', async () => {
    const id = scheduleId('temporal-cli');
    await conveyor([
      'schedule',
      'create',
      id,
      '--cron',
      '0 0 1 1 *',
      '--param',
      'num_epochs=3',
      '--task-queue',
      taskQueue,
    ]);
    await eventually(
      async () => (await temporalCli(['schedule', 'list'])).includes(id),
      20_000,
      'temporal schedule list shows it',
    );
    await temporalCli(['schedule', 'trigger', '--schedule-id', id]);
    await eventually(
      async () => (await countRuns(client, taskQueue, `TemporalScheduledById="${id}"`)) === 1,
      20_000,
      'run triggered by temporal',
    );
    await temporalCli([
      'schedule',
      'toggle',
      '--schedule-id',
      id,
      '--pause',
      '--reason',
      'paused by temporal cli',
    ]);
    const view = JSON.parse(await conveyor(['schedule', 'describe', id, '--json'])) as {
      paused: boolean;
      notes: string;
      recentRuns: { status: string }[];
    };
    expect(view.paused).toBe(true);
    expect(view.notes).toBe('paused by temporal cli');
    expect(view.recentRuns.map((r) => r.status)).toEqual(['COMPLETED']);
  });

  it('a schedule created with `temporal schedule create` is shown by conveyor schedule describe', async () => {
    const id = scheduleId('from-temporal');
    const request = {
      pipeline: 'penguins',
      parameters: { num_epochs: 4, learning_rate: 0.02 },
      source: { repoUrl: '/tmp/conveyor-test-repo', branch: 'main' },
      trigger: { kind: 'schedule', id, at: '2026-01-01T00:00:00Z' },
      labels: {},
    };
    await temporalCli([
      'schedule',
      'create',
      '--schedule-id',
      id,
      '--cron',
      '15 2 * * *',
      '--type',
      'trainingRun',
      '--task-queue',
      taskQueue,
      '--workflow-id',
      id,
      '--input',
      JSON.stringify(request),
    ]);
    const view = JSON.parse(await conveyor(['schedule', 'describe', id, '--json'])) as Record<
      string,
      unknown
    >;
    expect(view).toMatchObject({
      scheduleId: id,
      workflowType: 'trainingRun',
      taskQueue,
      pipeline: 'penguins',
      parameters: { num_epochs: 4, learning_rate: 0.02 },
      spec: { cron: ['15 2 * * *'] },
      overlap: 'Skip',
    });
    await conveyor(['schedule', 'trigger', id]);
    await eventually(
      async () => (await countRuns(client, taskQueue, `TemporalScheduledById="${id}"`)) === 1,
      20_000,
      'run',
    );
  });
});

describe('conveyor schedule takes `temporal schedule` flag names', () => {
  it('each flag is accepted and lands in the schedule', async () => {
    const id = scheduleId('temporal-flags');
    await conveyor([
      'schedule',
      'create',
      '--schedule-id',
      id,
      '--cron',
      '0 3 * * *',
      '--interval',
      '90m/15m',
      '--time-zone',
      'Europe/Paris',
      '--overlap-policy',
      'BufferAll',
      '--catchup-window',
      '1h',
      '--pause-on-failure',
      '--notes',
      'set by flags',
      '--start-time',
      '2030-01-01T00:00:00Z',
      '--end-time',
      '2031-01-01T00:00:00Z',
      '--jitter',
      '45s',
      '--remaining-actions',
      '5',
      '--paused',
      '--param',
      'num_epochs=4',
      '--task-queue',
      taskQueue,
    ]);
    const d = await client.schedule.getHandle(id).describe();
    expect(d.spec.calendars?.[0]?.hour).toEqual([{ start: 3, end: 3, step: 1 }]);
    expect(d.spec.intervals?.map((i) => [i.every, i.offset ?? 0])).toEqual([[5_400_000, 900_000]]);
    expect(d.spec.timezone).toBe('Europe/Paris');
    expect(d.spec.startAt?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(d.spec.endAt?.toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect(d.spec.jitter).toBe(45_000);
    expect(d.policies).toMatchObject({
      overlap: 'BUFFER_ALL',
      catchupWindow: 3_600_000,
      pauseOnFailure: true,
    });
    expect(d.state).toMatchObject({ paused: true, note: 'set by flags', remainingActions: 5 });

    await conveyor([
      'schedule',
      'update',
      '-s',
      id,
      '--interval',
      '10m',
      '--overlap-policy',
      'CancelOther',
      '--no-pause-on-failure',
      '--notes',
      'changed',
      '--remaining-actions',
      '2',
    ]);
    const u = await client.schedule.getHandle(id).describe();
    expect(u.spec.intervals?.map((i) => [i.every, i.offset ?? 0])).toEqual([[600_000, 0]]);
    expect(u.spec.calendars ?? []).toEqual([]);
    expect(u.policies).toMatchObject({ overlap: 'CANCEL_OTHER', pauseOnFailure: false });
    expect(u.state).toMatchObject({ note: 'changed', remainingActions: 2 });

    await conveyor(['schedule', 'unpause', '-s', id, '--reason', 'go']);
    expect((await client.schedule.getHandle(id).describe()).state).toMatchObject({
      paused: false,
      note: 'go',
    });
    await conveyor(['schedule', 'pause', '-s', id, '--reason', 'stop']);
    expect((await client.schedule.getHandle(id).describe()).state).toMatchObject({
      paused: true,
      note: 'stop',
    });

    await conveyor([
      'schedule',
      'backfill',
      '-s',
      id,
      '--start-time',
      '2026-01-01T00:00:00Z',
      '--end-time',
      '2026-01-01T00:20:00Z',
      '--overlap-policy',
      'AllowAll',
    ]);
    const query = `TemporalScheduledById="${id}"`;
    // Every 10 minutes in [00:00, 00:20], both ends included.
    await eventually(
      async () => (await countRuns(client, taskQueue, query)) === 3,
      30_000,
      'three backfilled runs',
    );
    await conveyor(['schedule', 'trigger', '-s', id, '--overlap-policy', 'AllowAll']);
    await eventually(
      async () => (await countRuns(client, taskQueue, query)) === 4,
      20_000,
      'the triggered run',
    );
    await conveyor(['schedule', 'delete', '-s', id]);
    await expect(client.schedule.getHandle(id).describe()).rejects.toThrow(/not found/i);
  });

  it("keeps Conveyor's older short names as aliases", async () => {
    const id = scheduleId('aliases');
    await conveyor([
      'schedule',
      'create',
      id,
      '--every',
      '2h',
      '--tz',
      'Europe/Berlin',
      '--overlap',
      'buffer-one',
      '--paused',
      '--note',
      'old names',
      '--task-queue',
      taskQueue,
    ]);
    const d = await client.schedule.getHandle(id).describe();
    expect(d.spec.intervals?.map((i) => [i.every, i.offset ?? 0])).toEqual([[7_200_000, 0]]);
    expect(d.spec.timezone).toBe('Europe/Berlin');
    expect(d.policies.overlap).toBe('BUFFER_ONE');
    expect(d.state.note).toBe('old names');
    await conveyor(['schedule', 'unpause', id, '--note', 'resumed']);
    expect((await client.schedule.getHandle(id).describe()).state.note).toBe('resumed');
    await conveyor([
      'schedule',
      'backfill',
      id,
      '--start',
      '2026-01-01T00:00:00Z',
      '--end',
      '2026-01-01T02:00:00Z',
      '--overlap',
      'allow-all',
    ]);
    await eventually(
      async () => (await countRuns(client, taskQueue, `TemporalScheduledById="${id}"`)) === 2,
      30_000,
      'two backfilled runs',
    );
  });

  it.each([
    [
      ['--interval', '1h', '--overlap-policy', 'Sometimes'],
      /--overlap-policy: 'Sometimes' is not one of Skip, BufferOne/,
    ],
    [['--interval', '10'], /--interval: '10' is not a duration/],
    [['--interval', '1h', '--start-time', 'soon'], /--start-time: 'soon' is not an ISO 8601 time/],
    [['--time-zone', 'UTC'], /--time-zone: goes with --cron or --interval/],
    [['--interval', '1h', '--schedule-id', 'other'], /--schedule-id: 'other' and the argument/],
  ])('names the flag of a bad value: %s', async (flags, message) => {
    const r = await conveyorRaw([
      'schedule',
      'create',
      scheduleId('bad-flag'),
      ...flags,
      '--task-queue',
      taskQueue,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
