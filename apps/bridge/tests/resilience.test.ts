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

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('bridge resilience', () => {
  it('Temporal unreachable: messages are nacked, not lost, and start once it is back', async () => {
    const resources = await uniqueResources(pubsub, 'bridge-down');
    const taskQueue = uniqueName('bridge-down-q');
    queues.push(taskQueue);
    const proxy = new TcpProxy(stack().temporal.address);
    await proxy.up();
    const bridgeConnection = await Connection.connect({ address: `127.0.0.1:${proxy.port}` });
    const bridgeClient = new Client({ connection: bridgeConnection, namespace: stack().temporal.namespace });
    const bridge = await inProcessBridge(
      bridgeEnv(resources, taskQueue, { TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`, CONVEYOR_START_TIMEOUT_MS: '1500' }),
      bridgeConnection,
      bridgeClient,
      pubsub,
    );
    try {
      await proxy.down();
      const prefix = uniqueName('down');
      const topic = pubsub.topic(resources.topic);
      await Promise.all(Array.from({ length: 30 }, (_, i) => topic.publishMessage({ json: { num_epochs: 3 }, attributes: { runKey: `${prefix}-${i}` } })));
      await eventually(async () => bridge.stats.snapshot().nacked >= 30, 30_000, 'nacks while Temporal is down');
      const ready = await fetch(`http://127.0.0.1:${bridge.port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await countRuns(client, taskQueue)).toBe(0);
      expect(bridge.stats.snapshot().started).toBe(0);

      await proxy.up();
      await eventually(async () => (await countRuns(client, taskQueue)) === 30, 60_000, '30 runs after Temporal is back');
      await new Promise((r) => setTimeout(r, 1_000));
      const ids = await runIds(client, taskQueue);
      expect(new Set(ids).size).toBe(30);
      expect(ids.length).toBe(30);
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
      Array.from({ length: 500 }, (_, i) => topic.publishMessage({ json: { num_epochs: 3, seed: i }, attributes: { batch: prefix } })),
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
      expect(new Set(ids)).toEqual(new Set(published.map((id) => `penguins-${id}`)));
    } finally {
      second.kill('SIGTERM');
      const code = await Promise.race([exited(second), new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
      expect(code).toBe(0);
    }
  });
});
