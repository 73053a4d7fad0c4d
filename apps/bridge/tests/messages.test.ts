// The message forms beyond hyperparameters, through the stack's Pub/Sub emulator: `rebuild=true`, and
// `kind=sweep` starting trainingSweep (runs and sweeps on a unique task queue with no worker: the
// tests read what was started).
import type { PubSub } from '@google-cloud/pubsub';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SearchAttributeKeys, type SweepRequest } from '@conveyor/contracts';
import { uniqueName } from '@conveyor/testing';
import type { EnsuredResources } from '../src/resources.ts';
import {
  bridgeFixture,
  eventually,
  readMessages,
  runIds,
  startInput,
  type BridgeFixture,
} from './support.ts';

let pubsub: PubSub;
let client: Client;
let resources: EnsuredResources;
let taskQueue: string;
let fixture: BridgeFixture | undefined;

beforeAll(async () => {
  fixture = await bridgeFixture('bridge-msg');
  ({ pubsub, client, resources, taskQueue } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function started(id: string): Promise<void> {
  await eventually(async () => (await runIds(client, taskQueue)).includes(id), 20_000, id);
}

describe('message attributes and kinds', () => {
  it('rebuild=true asks the run for a new image', async () => {
    const runKey = uniqueName('rebuild');
    await pubsub.topic(resources.topic).publishMessage({
      json: { num_epochs: 3 },
      attributes: { runKey, rebuild: 'true' },
    });
    const id = `penguins-key-${runKey}`;
    await started(id);
    expect((await startInput(client, id)).rebuild).toBe(true);
  });

  it('kind=sweep starts a trainingSweep, apart from a run with the same runKey', async () => {
    const runKey = uniqueName('sweep');
    const topic = pubsub.topic(resources.topic);
    await topic.publishMessage({
      json: {
        grid: { num_epochs: [2, 10], learning_rate: ['1e-3', 0.01] },
        parameters: { seed: 7 },
        parallel: 2,
        metric: 'accuracy',
        goal: 'max',
      },
      attributes: { runKey, kind: 'sweep', branch: 'dev' },
    });
    await topic.publishMessage({ json: { num_epochs: 3 }, attributes: { runKey } });
    const sweepId = `penguins-sweep-key-${runKey}`;
    await started(sweepId);
    await started(`penguins-key-${runKey}`);
    const handle = client.workflow.getHandle(sweepId);
    const described = await handle.describe();
    expect(described.type).toBe('trainingSweep');
    expect(described.typedSearchAttributes.get(SearchAttributeKeys.sweep)).toBe(sweepId);
    const request = (await startInput(client, sweepId)) as unknown as SweepRequest;
    expect(request).toMatchObject({
      pipeline: 'penguins',
      grid: { num_epochs: [2, 10], learning_rate: ['1e-3', 0.01] },
      parameters: { seed: 7 },
      parallel: 2,
      metric: 'accuracy',
      goal: 'max',
      source: { branch: 'dev' },
      trigger: { kind: 'pubsub' },
    });
    expect((await client.workflow.getHandle(`penguins-key-${runKey}`).describe()).type).toBe('trainingRun');
  });

  it('dead-letters an invalid sweep with a reason naming the field or the trial', async () => {
    const tag = uniqueName('badsweep');
    const topic = pubsub.topic(resources.topic);
    const cases = [
      {
        body: { grid: { num_epochs: [3, 5000] } },
        reason: 'invalid-parameters',
        detail: 'trial 1 ({"num_epochs":5000}): num_epochs: expected at most 1000 (max), got 5000',
      },
      { body: { grid: { num_epochs: [3] }, goal: 'best' }, reason: 'invalid-request', detail: 'goal: ' },
      { body: { grid: { num_epochs: [3] }, parallel: 0 }, reason: 'invalid-request', detail: 'parallel: ' },
      {
        body: { grid: { num_epochs: [3] }, parameters: { serving_root: 'gs://x/y' } },
        reason: 'invalid-parameters',
        detail: 'serving_root: is an operator setting',
      },
    ];
    const ids = await Promise.all(
      cases.map((c, i) =>
        topic.publishMessage({ json: c.body, attributes: { kind: 'sweep', tag, runKey: `${tag}-${i}` } }),
      ),
    );
    const letters = (
      await readMessages(pubsub, resources.deadLetterSubscription, cases.length, 30_000)
    ).filter((m) => m.attributes['tag'] === tag);
    expect(letters).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      const letter = letters.find((m) => m.attributes['originalMessageId'] === ids[i]);
      expect(letter?.attributes['reason']).toBe(c.reason);
      expect(letter?.attributes['detail']).toContain(c.detail);
    }
    expect((await runIds(client, taskQueue)).some((id) => id.includes(tag))).toBe(false);
  });
});
