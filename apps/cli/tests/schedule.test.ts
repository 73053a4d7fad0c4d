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
    expect(result.parameters).toEqual({ learning_rate: 0.01, num_epochs: 3 });
    expect(result.trigger).toMatchObject({ kind: 'schedule', id });

    await conveyor(['schedule', 'pause', id, '--note', 'maintenance']);
    // A run fired just before the pause may still show up: let it land, then count.
    await new Promise((r) => setTimeout(r, 2_500));
    const paused = await countRuns(client, taskQueue, query);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await countRuns(client, taskQueue, query)).toBe(paused);

    const view = JSON.parse(await conveyor(['schedule', 'describe', id, '--json'])) as {
      paused: boolean;
      note: string;
      overlap: string;
      catchupWindow: string;
      spec: { intervals: { every: string }[] };
      recentRuns: { status: string; workflowId: string }[];
    };
    expect(view).toMatchObject({
      paused: true,
      note: 'maintenance',
      overlap: 'skip',
      catchupWindow: '10m',
      spec: { intervals: [{ every: '2s' }] },
    });
    expect(view.recentRuns.length).toBeGreaterThanOrEqual(2);
    expect(view.recentRuns.every((r) => r.status === 'COMPLETED' && r.workflowId.startsWith(`${id}-`))).toBe(
      true,
    );
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
      overlap: 'buffer-one',
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
    const list = JSON.parse(await conveyor(['schedule', 'list', '--json'])) as { id: string }[];
    expect(list.map((s) => s.id)).toContain(id);
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
      note: string;
      recentRuns: { status: string }[];
    };
    expect(view.paused).toBe(true);
    expect(view.note).toBe('paused by temporal cli');
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
      id,
      workflowType: 'trainingRun',
      taskQueue,
      pipeline: 'penguins',
      parameters: { num_epochs: 4, learning_rate: 0.02 },
      spec: { cron: ['15 2 * * *'] },
      overlap: 'skip',
    });
    await conveyor(['schedule', 'trigger', id]);
    await eventually(
      async () => (await countRuns(client, taskQueue, `TemporalScheduledById="${id}"`)) === 1,
      20_000,
      'run',
    );
  });
});
