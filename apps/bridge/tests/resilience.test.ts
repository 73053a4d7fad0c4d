// The bridge under failure: Temporal unreachable during a burst, and the bridge process SIGKILLed in
// the middle of a 500-message burst. In both cases every valid message ends with exactly one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import {
  bridgeEnv,
  countRuns,
  emulatorPubSub,
  eventually,
  inProcessBridge,
  runIds,
  stack,
  temporalClient,
  terminateRuns,
  uniqueResources,
} from './support.ts';
import { TcpProxy } from './tcp-proxy.ts';

const mainTs = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.ts');

let pubsub: PubSub;
let connection: Connection;
let client: Client;
const queues: string[] = [];

beforeAll(async () => {
  pubsub = emulatorPubSub();
  ({ connection, client } = await temporalClient());
});

afterAll(async () => {
  for (const q of queues) await terminateRuns(q);
  await pubsub?.close();
  await connection?.close();
});

function spawnBridge(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [mainTs], {
    env: { ...process.env, ...env, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

/** A bridge child process with info logs on stdout, parsed line by line. */
function spawnLoggingBridge(env: Record<string, string>): {
  child: ChildProcess;
  lines: Record<string, unknown>[];
} {
  const child = spawn(process.execPath, [mainTs], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  return { child, lines };
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('bridge resilience', () => {
  it('Temporal unreachable mid-burst: messages are nacked, not lost, and start once it is back', async () => {
    const resources = await uniqueResources(pubsub, 'bridge-down');
    const taskQueue = uniqueName('bridge-down-q');
    queues.push(taskQueue);
    const proxy = new TcpProxy(stack().temporal.address);
    await proxy.up();
    const bridgeConnection = await Connection.connect({ address: `127.0.0.1:${proxy.port}` });
    const bridgeClient = new Client({ connection: bridgeConnection, namespace: stack().temporal.namespace });
    const bridge = await inProcessBridge(
      bridgeEnv(resources, taskQueue, {
        TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`,
        CONVEYOR_START_TIMEOUT_MS: '1500',
      }),
      bridgeConnection,
      bridgeClient,
      pubsub,
    );
    try {
      // A burst of 60 messages over ~3 s; Temporal goes away once the first runs have started and
      // stays away for 10 s, then comes back. Every message must end with exactly one run.
      const prefix = uniqueName('down');
      const topic = pubsub.topic(resources.topic);
      const publishing = (async () => {
        for (let i = 0; i < 60; i++) {
          await topic.publishMessage({ json: { num_epochs: 3 }, attributes: { runKey: `${prefix}-${i}` } });
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await eventually(async () => bridge.stats.snapshot().started >= 5, 30_000, 'first runs');
      await proxy.down();
      const startedBeforeCut = bridge.stats.snapshot().started;
      await eventually(
        async () => bridge.stats.snapshot().nacked >= 10,
        30_000,
        'nacks while Temporal is down',
      );
      const ready = await fetch(`http://127.0.0.1:${bridge.port}/readyz`);
      expect(ready.status).toBe(503);
      await new Promise((r) => setTimeout(r, 10_000));
      await publishing;
      // Nothing started while it was away (a start in flight at the cut may still have landed).
      expect(bridge.stats.snapshot().started).toBeLessThanOrEqual(startedBeforeCut + 1);
      expect(await countRuns(client, taskQueue)).toBeLessThan(60);

      await proxy.up();
      await eventually(
        async () => (await countRuns(client, taskQueue)) >= 60,
        60_000,
        '60 runs after Temporal is back',
      );
      await new Promise((r) => setTimeout(r, 1_000));
      const ids = await runIds(client, taskQueue);
      expect(new Set(ids)).toEqual(
        new Set(Array.from({ length: 60 }, (_, i) => `penguins-key-${prefix}-${i}`)),
      );
      expect(ids.length).toBe(60);
    } finally {
      await bridge.stop();
      await proxy.down();
      await bridgeConnection.close();
    }
  });

  it('bridge SIGKILLed in the middle of a 500-message burst, restarted: exactly one run per message', async () => {
    const resources = await uniqueResources(pubsub, 'bridge-kill');
    const taskQueue = uniqueName('bridge-kill-q');
    queues.push(taskQueue);
    const env = bridgeEnv(resources, taskQueue);
    const topic = pubsub.topic(resources.topic);
    const prefix = uniqueName('kill');
    // Messages without runKey: the workflow id is the message id, so a redelivery maps to the same run.
    const published = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        topic.publishMessage({ json: { num_epochs: 3, seed: i }, attributes: { batch: prefix } }),
      ),
    );
    const first = spawnBridge(env);
    try {
      await eventually(async () => (await countRuns(client, taskQueue)) >= 50, 60_000, 'first runs');
      first.kill('SIGKILL');
      await exited(first);
    } finally {
      first.kill('SIGKILL');
    }
    const afterKill = await countRuns(client, taskQueue);
    expect(afterKill).toBeLessThan(500);
    const second = spawnBridge(env);
    try {
      // Messages the killed bridge held come back after their ack deadline (10 s on this subscription).
      await eventually(async () => (await countRuns(client, taskQueue)) >= 500, 120_000, '500 runs');
      await new Promise((r) => setTimeout(r, 2_000));
      const ids = await runIds(client, taskQueue);
      expect(ids.length).toBe(500);
      // In emulator mode a message without runKey is keyed `<messageId>-<publish time>` (pstest
      // reuses ids after a restart): strip the time to compare with the published ids.
      expect(new Set(ids.map((id) => id.replace(/-[0-9a-z]+$/, '')))).toEqual(
        new Set(published.map((id) => `penguins-msg-${id}`)),
      );
    } finally {
      second.kill('SIGTERM');
      const code = await Promise.race([
        exited(second),
        new Promise((r) => setTimeout(() => r('timeout'), 20_000)),
      ]);
      expect(code).toBe(0);
    }
  });

  it('SIGTERM drains: what the bridge took before stopping is acked, nothing it started comes back', async () => {
    const resources = await uniqueResources(pubsub, 'bridge-drain');
    const taskQueue = uniqueName('bridge-drain-q');
    queues.push(taskQueue);
    const env = bridgeEnv(resources, taskQueue);
    const topic = pubsub.topic(resources.topic);
    const total = 300;
    await Promise.all(Array.from({ length: total }, (_, i) => topic.publishMessage({ json: { seed: i } })));
    const first = spawnLoggingBridge(env);
    await eventually(async () => (await countRuns(client, taskQueue)) >= 30, 60_000, 'first runs');
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const stopped = first.lines.find((l) => l['msg'] === 'bridge stopped') as
      { stats: { started: number; received: number; inFlight: number } } | undefined;
    expect(stopped?.stats.inFlight).toBe(0);
    const startedByFirst = stopped!.stats.started;
    expect(startedByFirst).toBeGreaterThan(0);

    const second = spawnLoggingBridge(env);
    try {
      await eventually(async () => (await countRuns(client, taskQueue)) >= total, 60_000, `${total} runs`);
      // Past the 10 s ack deadline: an unacked message of the first bridge would have come back by now.
      await new Promise((r) => setTimeout(r, 12_000));
      const listening = second.lines.find((l) => l['msg'] === 'bridge listening') as { port: number };
      const stats = (await (await fetch(`http://127.0.0.1:${listening.port}/stats`)).json()) as {
        received: number;
      };
      // Every message the first bridge started was acked before it exited: none reaches the second.
      const startedFirst = new Set(
        first.lines.filter((l) => l['msg'] === 'run started').map((l) => l['messageId']),
      );
      expect(startedFirst.size).toBe(startedByFirst);
      const seenBySecond = new Set(second.lines.map((l) => l['messageId']).filter((id) => id !== undefined));
      expect([...seenBySecond].filter((id) => startedFirst.has(id))).toEqual([]);
      expect(stats.received).toBeGreaterThanOrEqual(total - startedByFirst);
      expect(await countRuns(client, taskQueue)).toBe(total);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
