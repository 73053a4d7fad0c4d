// Push mode: POST /pubsub/push with the Pub/Sub envelope, shared-token and OIDC authentication.
import type { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import type { RunningBridge } from '../src/bridge.ts';
import type { EnsuredResources } from '../src/resources.ts';
import { testSigner } from './oidc.ts';
import {
  bridgeEnv,
  countRuns,
  emulatorPubSub,
  eventually,
  inProcessBridge,
  readMessages,
  runIds,
  stack,
  startInput,
  temporalClient,
  terminateRuns,
} from './support.ts';
import { ensurePubsubResources } from '../src/resources.ts';

const TOKEN = 'local-push-token-0123456789';
const AUDIENCE = 'https://bridge.example.test/pubsub/push';
const SERVICE_ACCOUNT = 'pubsub-push@conveyor-test.iam.gserviceaccount.com';

let pubsub: PubSub;
let connection: Connection;
let client: Client;
let resources: EnsuredResources;
const taskQueue = uniqueName('bridge-push-q');
const signer = testSigner();
const bridges: RunningBridge[] = [];

function envelope(
  body: unknown,
  attributes: Record<string, string> = {},
  messageId = uniqueName('push-msg'),
) {
  return {
    message: {
      data: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)).toString('base64'),
      attributes,
      messageId,
      publishTime: new Date().toISOString(),
    },
    subscription: 'projects/conveyor-local/subscriptions/push',
  };
}

async function post(bridge: RunningBridge, body: unknown, authorization?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${bridge.port}/pubsub/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  pubsub = emulatorPubSub();
  ({ connection, client } = await temporalClient());
  const base = uniqueName('bridge-push');
  resources = await ensurePubsubResources(pubsub, {
    topic: `${base}-t`,
    subscription: `${base}-s`,
    deadLetterTopic: `${base}-dl`,
  });
});

afterAll(async () => {
  for (const b of bridges) await b.stop();
  await terminateRuns(taskQueue);
  await pubsub?.close();
  await connection?.close();
});

async function bridgeWith(
  extra: Record<string, string>,
  conn = connection,
  cl = client,
): Promise<RunningBridge> {
  const b = await inProcessBridge(
    bridgeEnv(resources, taskQueue, { CONVEYOR_PULL: 'false', ...extra }),
    conn,
    cl,
    pubsub,
    () => Promise.resolve(signer.certs),
  );
  bridges.push(b);
  return b;
}

describe('push endpoint, shared token', () => {
  it('starts one run for a valid envelope and token, and none without a valid token', async () => {
    const bridge = await bridgeWith({ CONVEYOR_PUSH_TOKEN: TOKEN });
    const runKey = uniqueName('push-ok');
    const ok = await post(
      bridge,
      envelope({ num_epochs: '3', learning_rate: '1e-2' }, { runKey }),
      `Bearer ${TOKEN}`,
    );
    expect(ok.status).toBe(200);
    const id = `penguins-key-${runKey}`;
    const input = await startInput(client, id);
    expect(input.trigger.kind).toBe('push');
    expect(input.parameters).toMatchObject({ num_epochs: 3, learning_rate: 0.01 });
    // A retried push of the same message is a duplicate, still 2xx, still one run.
    expect((await post(bridge, envelope({}, { runKey }), `Bearer ${TOKEN}`)).status).toBe(200);
    await eventually(async () => (await runIds(client, taskQueue)).includes(id), 20_000, id);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await runIds(client, taskQueue)).filter((w) => w === id).length).toBe(1);

    const before = await countRuns(client, taskQueue);
    expect((await post(bridge, envelope({}, { runKey: uniqueName('none') }))).status).toBe(401);
    expect(
      (await post(bridge, envelope({}, { runKey: uniqueName('bad') }), 'Bearer not-the-token-at-all')).status,
    ).toBe(403);
    expect(await countRuns(client, taskQueue)).toBe(before);
  });

  it('dead-letters a permanently bad message and answers 2xx, so Pub/Sub stops redelivering; 400 to a non-envelope', async () => {
    const bridge = await bridgeWith({ CONVEYOR_PUSH_TOKEN: TOKEN });
    const tag = uniqueName('push-bad');
    const res = await post(bridge, envelope({ num_epochs: 'three' }, { tag }), `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'dead-lettered' });
    const letters = (await readMessages(pubsub, resources.deadLetterSubscription, 1, 15_000)).filter(
      (m) => m.attributes['tag'] === tag,
    );
    expect(letters.map((m) => m.attributes['reason'])).toEqual(['invalid-parameters']);
    expect((await post(bridge, { hello: 'world' }, `Bearer ${TOKEN}`)).status).toBe(400);
  });

  it('dead-letters a message larger than the bridge takes as too-large instead of refusing it with 413', async () => {
    const bridge = await bridgeWith({ CONVEYOR_PUSH_TOKEN: TOKEN });
    const tag = uniqueName('push-big');
    // 1 MB of hyperparameters: far over CONVEYOR_MAX_MESSAGE_BYTES (64 KiB), far under Pub/Sub's 10 MB.
    const big = JSON.stringify({ num_epochs: 3, padding: 'x'.repeat(1_000_000) });
    const res = await post(bridge, envelope(big, { tag }), `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const letters = (await readMessages(pubsub, resources.deadLetterSubscription, 1, 15_000)).filter(
      (m) => m.attributes['tag'] === tag,
    );
    expect(letters.map((m) => m.attributes['reason'])).toEqual(['too-large']);
    expect(letters[0]?.data.length).toBe(Buffer.byteLength(big));
  });

  it('answers 5xx while Temporal is unreachable, so Pub/Sub retries', async () => {
    const down = Connection.lazy({ address: '127.0.0.1:1' });
    const bridge = await bridgeWith(
      { CONVEYOR_PUSH_TOKEN: TOKEN, CONVEYOR_START_TIMEOUT_MS: '1000' },
      down,
      new Client({ connection: down, namespace: stack().temporal.namespace }),
    );
    const res = await post(bridge, envelope({}, { runKey: uniqueName('push-down') }), `Bearer ${TOKEN}`);
    expect(res.status).toBe(503);
  });
});

describe('push endpoint, OIDC', () => {
  const claims = {
    iss: 'https://accounts.google.com',
    aud: AUDIENCE,
    email: SERVICE_ACCOUNT,
    email_verified: true,
    sub: '1234',
  };

  it('accepts a valid token and rejects missing, forged, expired and misaddressed ones', async () => {
    const bridge = await bridgeWith({
      CONVEYOR_PUSH_AUDIENCE: AUDIENCE,
      CONVEYOR_PUSH_SERVICE_ACCOUNT: SERVICE_ACCOUNT,
    });
    const runKey = uniqueName('oidc-ok');
    expect(
      (await post(bridge, envelope({ num_epochs: 3 }, { runKey }), `Bearer ${signer.sign(claims)}`)).status,
    ).toBe(200);
    // describe reads the run itself (visibility lists lag behind by a moment).
    expect((await client.workflow.getHandle(`penguins-key-${runKey}`).describe()).taskQueue).toBe(taskQueue);

    // Count only once the valid run is visible, so a lagging list cannot hide a wrongly started one.
    await eventually(
      async () => (await runIds(client, taskQueue)).includes(`penguins-key-${runKey}`),
      20_000,
      'valid run visible',
    );
    const before = await countRuns(client, taskQueue);
    const now = Math.floor(Date.now() / 1000);
    const forger = testSigner(signer.kid);
    const rejected: [string, string | undefined, number][] = [
      ['missing', undefined, 401],
      ['forged', `Bearer ${forger.sign(claims)}`, 403],
      ['expired', `Bearer ${signer.sign({ ...claims, iat: now - 7200, exp: now - 3600 })}`, 403],
      ['wrong audience', `Bearer ${signer.sign({ ...claims, aud: 'https://elsewhere' })}`, 403],
      ['wrong issuer', `Bearer ${signer.sign({ ...claims, iss: 'https://evil.example' })}`, 403],
      ['wrong account', `Bearer ${signer.sign({ ...claims, email: 'someone@example.com' })}`, 403],
      ['unverified email', `Bearer ${signer.sign({ ...claims, email_verified: false })}`, 403],
    ];
    for (const [what, auth, status] of rejected) {
      const res = await post(bridge, envelope({}, { runKey: uniqueName(what) }), auth);
      expect({ what, status: res.status }).toEqual({ what, status });
    }
    expect(await countRuns(client, taskQueue)).toBe(before);
  });
});
