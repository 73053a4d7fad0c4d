// docs/bring-your-own-pipeline.md, the precompiled path, for real: a spec compiled by Google's kfp SDK
// (the emulator's fixture `lightweight.json`: make-rows → train → report on python:3.11) is uploaded to
// the local stack's pipeline root and run by the stack's own worker, started the way `conveyor run
// --spec` starts it and through a bridge whose operator allows that prefix (CONVEYOR_SPEC_PREFIXES).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { PubSub } from '@google-cloud/pubsub';
import { WorkflowFailedError, type Client, type Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskQueues, type TrainingRunResult } from '@conveyor/contracts';
import { startTrainingRun } from '@conveyor/platform';
import { uniqueName } from '@conveyor/testing';
import type { RunningBridge } from '../src/bridge.ts';
import type { EnsuredResources } from '../src/resources.ts';
import {
  bridgeEnv,
  emulatorPubSub,
  inProcessBridge,
  readMessages,
  stack,
  temporalClient,
  uniqueResources,
} from './support.ts';
import { repoPath, repoRoot } from '@conveyor/platform/repo-root';

const fixture = repoPath('apps', 'gcp-emulator', 'tests', 'fixtures', 'kfp', 'lightweight.json');

let pubsub: PubSub;
let connection: Connection;
let client: Client;
let resources: EnsuredResources;
let bridge: RunningBridge;
let specsPrefix: string;
let specUri: string;

/** Uploads through fake-gcs-server's JSON API (the stack's GCS), creating the bucket when missing. */
async function upload(bucket: string, name: string, body: string): Promise<void> {
  const endpoint = stack().gcs.endpoint;
  const exists = await fetch(`${endpoint}/storage/v1/b/${bucket}`);
  if (exists.status === 404) {
    const made = await fetch(`${endpoint}/storage/v1/b?project=${stack().pubsub.projectId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: bucket }),
    });
    expect(made.ok, await made.text()).toBe(true);
  }
  const put = await fetch(
    `${endpoint}/upload/storage/v1/b/${bucket}/o?uploadType=media&name=${encodeURIComponent(name)}`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body },
  );
  expect(put.ok, await put.text()).toBe(true);
}

beforeAll(async () => {
  // The stack's worker keeps its pipeline root in gs://<project>-conveyor/pipeline-root, a bucket it
  // always allows specs from; `conveyor run --spec <file>` uploads to specs/<sha256>.json there.
  const bucket = `${stack().pubsub.projectId}-conveyor`;
  specsPrefix = `gs://${bucket}/pipeline-root/specs/`;
  const json = await readFile(fixture, 'utf8');
  const sha256 = createHash('sha256').update(json).digest('hex');
  await upload(bucket, `pipeline-root/specs/${sha256}.json`, json);
  specUri = `${specsPrefix}${sha256}.json`;

  pubsub = emulatorPubSub();
  ({ connection, client } = await temporalClient());
  resources = await uniqueResources(pubsub, 'byo-spec');
  // The stack's task queue: the stack's worker runs these.
  const env = bridgeEnv(resources, TaskQueues.training, { CONVEYOR_SPEC_PREFIXES: specsPrefix });
  bridge = await inProcessBridge(env, connection, client, pubsub);
});

afterAll(async () => {
  await bridge?.stop();
  await pubsub?.close();
  await connection?.close();
});

function manualRequest(parameters: Record<string, unknown>) {
  return {
    pipeline: 'kfp-lightweight',
    parameters: parameters as Record<string, string | number | boolean>,
    source: { repoUrl: repoRoot, branch: 'main' },
    spec: specUri,
    trigger: { kind: 'manual' as const, id: 'docs-test', at: new Date().toISOString() },
  };
}

describe('a precompiled kfp spec on the local stack (docs/bring-your-own-pipeline.md)', () => {
  it('runs by hand with its own parameters, typed by the spec: no build, its metrics recorded', async () => {
    const handle = await startTrainingRun(client, manualRequest({ n: '3', rate: 0.25 }), {
      workflowId: uniqueName('byo-manual'),
    });
    const result: TrainingRunResult = await handle.result();
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(result.spec.uri).toBe(specUri);
    expect(result.build).toBeUndefined();
    expect(result.parameters).toMatchObject({ n: 3, rate: 0.25 });
    expect(result.tasks.map((t) => t.name).sort()).toEqual(['make-rows', 'report', 'train']);
    // train logs accuracy = min(1, n × rate) in its Metrics artifact.
    expect(result.metrics['accuracy']).toBe(0.75);
  });

  it('refuses a value of the wrong type for a parameter the spec declares, naming it', async () => {
    const handle = await startTrainingRun(client, manualRequest({ n: 'three' }), {
      workflowId: uniqueName('byo-bad'),
    });
    const failure = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause?.message).toMatch(/invalid parameters.*n: /);
  });

  it('the bridge runs it from a message naming the spec; the body is typed as the default pipeline', async () => {
    const topic = pubsub.topic(resources.topic);
    const runKey = uniqueName('byo');
    await topic.publishMessage({ json: {}, attributes: { runKey, spec: specUri } });
    const tag = uniqueName('byo-dl');
    const refused = [
      // The body is typed against the registered pipeline the message names (penguins by default),
      // so the spec's own parameters cannot travel in a message: a limit the guide states.
      { reason: 'invalid-parameters', data: '{"n": 3}', spec: specUri },
      { reason: 'spec-not-allowed', data: '{}', spec: `gs://${specsPrefix.split('/')[2]}/elsewhere/x.json` },
    ];
    for (const [i, c] of refused.entries()) {
      await topic.publishMessage({
        data: Buffer.from(c.data),
        attributes: { spec: c.spec, tag, runKey: `${tag}-${i}` },
      });
    }
    const letters = (
      await readMessages(pubsub, resources.deadLetterSubscription, refused.length, 30_000)
    ).filter((m) => m.attributes['tag'] === tag);
    expect(letters.map((m) => m.attributes['reason']).sort()).toEqual(refused.map((c) => c.reason).sort());

    const handle = client.workflow.getHandle(`penguins-key-${runKey}`);
    const result: TrainingRunResult = await handle.result();
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(result.trigger.kind).toBe('pubsub');
    expect(result.spec.uri).toBe(specUri);
    // The spec's defaults (n = 4, rate = 0.2).
    expect(result.metrics['accuracy']).toBeCloseTo(0.8);
  });
});
