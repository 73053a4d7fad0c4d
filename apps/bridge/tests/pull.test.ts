// Pull mode against the Pub/Sub emulator and the Temporal dev server: typing, one run per key,
// redelivery, dead letters.
import type { PubSub } from '@google-cloud/pubsub';
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import type { RunningBridge } from '../src/bridge.ts';
import { createMessageHandler } from '../src/handler.ts';
import { createStarter } from '../src/start.ts';
import { BridgeStats } from '../src/stats.ts';
import { ensurePubsubResources, type EnsuredResources } from '../src/resources.ts';
import {
  bridgeFixture,
  countRuns,
  eventually,
  readMessages,
  runIds,
  startInput,
  type BridgeFixture,
} from './support.ts';

let pubsub: PubSub;
let connection: Connection;
let client: Client;
let resources: EnsuredResources;
let taskQueue: string;
let bridge: RunningBridge;
let fixture: BridgeFixture | undefined;

beforeAll(async () => {
  fixture = await bridgeFixture('bridge-pull');
  ({ pubsub, connection, client, resources, taskQueue, bridge } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

describe('bridge pull mode', () => {
  it('starts runs from both message shapes of the original system with typed values', async () => {
    const topic = pubsub.topic(resources.topic);
    const key = uniqueName('shape');
    await topic.publishMessage({
      json: { num_epochs: 3, learning_rate: 1e-2 },
      attributes: { runKey: `${key}-a` },
    });
    await topic.publishMessage({
      data: Buffer.from('{"num_epochs": "3", "learning_rate": "1e-2"}'),
      attributes: { runKey: `${key}-b` },
    });
    for (const suffix of ['a', 'b']) {
      const id = `penguins-key-${key}-${suffix}`;
      await eventually(async () => (await runIds(client, taskQueue)).includes(id), 20_000, id);
      const input = await startInput(client, id);
      expect(input.parameters['num_epochs']).toBe(3);
      expect(input.parameters['learning_rate']).toBe(0.01);
      expect(input.trigger.kind).toBe('pubsub');
      expect(input.pipeline).toBe('penguins');
    }
  });

  it('200 messages with 10% repeated runKeys give exactly one run per key', async () => {
    const topic = pubsub.topic(resources.topic);
    const prefix = uniqueName('burst');
    const keys = Array.from({ length: 200 }, (_, i) => `${prefix}-${i < 180 ? i : i - 180}`);
    const before = await countRuns(client, taskQueue);
    await Promise.all(
      keys.map((runKey) => topic.publishMessage({ json: { num_epochs: 3 }, attributes: { runKey } })),
    );
    await eventually(
      async () => bridge.stats.snapshot().received >= before + 200,
      60_000,
      '200 messages handled',
    );
    await eventually(
      async () => (await countRuns(client, taskQueue)) === before + 180,
      20_000,
      '180 runs visible',
    );
    // Settle: no late extra runs.
    await new Promise((r) => setTimeout(r, 1_500));
    const ids = (await runIds(client, taskQueue)).filter((id) => id.startsWith(`penguins-key-${prefix}-`));
    expect(ids.length).toBe(180);
    expect(new Set(ids).size).toBe(180);
  });

  it('a redelivered (already started) message is acked without a second run', async () => {
    const topic = pubsub.topic(resources.topic);
    const runKey = uniqueName('redeliver');
    const id = `penguins-key-${runKey}`;
    await topic.publishMessage({ json: {}, attributes: { runKey } });
    await eventually(async () => (await runIds(client, taskQueue)).includes(id), 20_000, id);
    // Terminate it so the second delivery proves the duplicate through REJECT_DUPLICATE.
    await client.workflow.getHandle(id).terminate('test');
    const duplicates = bridge.stats.snapshot().duplicates;
    await topic.publishMessage({ json: {}, attributes: { runKey } });
    await eventually(
      async () => bridge.stats.snapshot().duplicates > duplicates,
      20_000,
      'duplicate counted',
    );
    const runs = (await runIds(client, taskQueue)).filter((w) => w === id);
    expect(runs.length).toBe(1);
  });

  it('every kind of invalid message lands in the dead-letter topic with its reason and starts nothing', async () => {
    const topic = pubsub.topic(resources.topic);
    const tag = uniqueName('bad');
    const cases: { reason: string; data: Buffer; attributes?: Record<string, string> }[] = [
      { reason: 'not-json', data: Buffer.from('num_epochs=3') },
      { reason: 'not-object', data: Buffer.from('[3, 0.01]') },
      { reason: 'invalid-parameters', data: Buffer.from('{"num_epochs": 3.5}') },
      { reason: 'invalid-parameters', data: Buffer.from('{"num_epochs": 3, "epochs": 3}') },
      { reason: 'unknown-pipeline', data: Buffer.from('{}'), attributes: { pipeline: 'no-such-pipeline' } },
      { reason: 'too-large', data: Buffer.alloc(70 * 1024, 'x') },
      // The trust boundary: bounds, operator settings and precompiled specs are not the publisher's.
      { reason: 'invalid-parameters', data: Buffer.from('{"num_epochs": 1e9}') },
      { reason: 'invalid-parameters', data: Buffer.from('{"num_epochs": "-3"}') },
      { reason: 'invalid-parameters', data: Buffer.from('{"serving_root": "gs://attacker/models"}') },
      {
        reason: 'spec-not-allowed',
        data: Buffer.from('{}'),
        attributes: { spec: 'gs://conveyor-local-conveyor/pipeline-root/specs/x.json' },
      },
    ];
    const before = await countRuns(client, taskQueue);
    const ids = await Promise.all(
      cases.map((c, i) =>
        topic.publishMessage({ data: c.data, attributes: { ...c.attributes, tag, runKey: `${tag}-${i}` } }),
      ),
    );
    const letters = await readMessages(pubsub, resources.deadLetterSubscription, cases.length, 30_000);
    const mine = letters.filter((m) => m.attributes['tag'] === tag);
    expect(mine.length).toBe(cases.length);
    for (const [i, c] of cases.entries()) {
      const letter = mine.find((m) => m.attributes['originalMessageId'] === ids[i]);
      expect(letter?.attributes['reason']).toBe(c.reason);
      expect(letter?.attributes['runKey']).toBe(`${tag}-${i}`);
      expect(letter?.attributes['detail']).toBeTruthy();
    }
    expect(await countRuns(client, taskQueue)).toBe(before);
    expect((await runIds(client, taskQueue)).some((id) => id.includes(tag))).toBe(false);
  });

  it('serves health, readiness and counters', async () => {
    const base = `http://127.0.0.1:${bridge.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const stats = (await (await fetch(`${base}/stats`)).json()) as {
      started: number;
      startLatencyMs: { p50: number };
    };
    expect(stats.started).toBeGreaterThan(0);
    expect(stats.startLatencyMs.p50).toBeGreaterThan(0);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/conveyor_bridge_started_total \d+/);
  });

  it('resource setup is idempotent and gives the subscription a dead-letter policy', async () => {
    const again = await ensurePubsubResources(pubsub, {
      topic: resources.topic,
      subscription: resources.subscription,
      deadLetterTopic: resources.deadLetterTopic,
    });
    expect(again).toEqual(resources);
    const [metadata] = await pubsub.subscription(resources.subscription).getMetadata();
    expect(metadata.deadLetterPolicy?.deadLetterTopic).toBe(pubsub.topic(resources.deadLetterTopic).name);
    expect(metadata.deadLetterPolicy?.maxDeliveryAttempts).toBe(100);
    const [exists] = await pubsub.subscription(resources.deadLetterSubscription).exists();
    expect(exists).toBe(true);
  });
});

describe('handler against the real server', () => {
  it('the same message delivered twice (a lost ack) starts one run; after the run ends it is a duplicate', async () => {
    const stats = new BridgeStats();
    const handler = createMessageHandler({
      stats,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      options: {
        defaultPipeline: 'penguins',
        maxMessageBytes: 1024,
        repoUrl: '/tmp/repo',
        defaultBranch: 'main',
      },
      start: createStarter(client, connection, { taskQueue, startTimeoutMs: 10_000 }),
      deadLetter: () => Promise.reject(new Error('no dead letters expected')),
    });
    const message = {
      id: uniqueName('msg'),
      data: Buffer.from('{"num_epochs": 3}'),
      attributes: {},
      publishTime: new Date(),
    };
    expect(await handler(message, 'pubsub')).toBe('started');
    expect(await handler(message, 'pubsub')).toBe('started');
    const id = `penguins-msg-${message.id}`;
    await client.workflow.getHandle(id).terminate('test');
    expect(await handler(message, 'pubsub')).toBe('duplicate');
    await eventually(async () => (await runIds(client, taskQueue)).includes(id), 20_000, id);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await runIds(client, taskQueue)).filter((w) => w === id)).toEqual([id]);
  });
});
