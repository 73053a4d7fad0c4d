// The local stack's dev server fires sub-second timers on time (STACK_DYNAMIC_CONFIG in services.ts).
// With the server's default read-ahead shift of 1 s, a timer set right after another one fired is
// floored at about a second after that firing, whatever it asked for; that made a 1 s schedule run
// up to a second late. Start delays are timers of the same queue, so the test chains runs started
// with a 200 ms start delay, each right after the previous one's delay fired, and reads from history
// how long each delay really took. No worker is needed: the first workflow task is only scheduled.
import { randomBytes } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackConfigFromEnv } from '../src/config.ts';

// Short enough to fall under the 1 s floor, long enough to be measured against a few ms of polling.
const START_DELAY_MS = 200;
// Between the 200 ms asked for (plus the server's processing) and the ~1 s of the default shift.
const MAX_MEDIAN_DELAY_MS = 600;

let connection: Connection;
let client: Client;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  // The stack the integration project's global setup brought up, from the same environment.
  const config = stackConfigFromEnv(process.env, new URL('../../..', import.meta.url).pathname);
  connection = await Connection.connect({ address: `${config.host}:${config.ports.temporal}` });
  client = new Client({ connection, namespace: config.namespace });
});

afterAll(async () => {
  await Promise.all(started.map((h) => h.terminate('test done').catch(() => undefined)));
  await connection?.close();
});

/** Started event → first workflow task scheduled (the start delay firing), ms; polls the history. */
async function delayTaken(handle: WorkflowHandle): Promise<number> {
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const events = (await handle.fetchHistory()).events ?? [];
    const scheduled = events.find((e) => e.workflowTaskScheduledEventAttributes);
    if (scheduled) return ms(scheduled.eventTime) - ms(events[0]?.eventTime);
    // A short poll: the next start must follow this firing closely, as a scheduler's next timer does.
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${handle.workflowId}: the start delay did not fire within 10 s`);
}

describe('the local dev server', () => {
  it('fires a sub-second timer set right after another fired close to when it asked', async () => {
    const taskQueue = `timer-shift-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const handle = await client.workflow.start('timerShiftProbe', {
        taskQueue,
        workflowId: `${taskQueue}-${i}`,
        startDelay: START_DELAY_MS,
      });
      started.push(handle);
      delays.push(await delayTaken(handle));
    }
    const median = [...delays].sort((a, b) => a - b)[2]!;
    expect({ delays, median: median <= MAX_MEDIAN_DELAY_MS }).toEqual({ delays, median: true });
  });
});
