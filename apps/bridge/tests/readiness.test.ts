// /readyz against the stack: Temporal's health RPC, the streaming pull (no subscription metadata is
// read: a subscriber-only identity must be able to pass), and the webhook secret.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PubSub } from '@google-cloud/pubsub';
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import type { RunningBridge } from '../src/bridge.ts';
import {
  bridgeEnv,
  emulatorPubSub,
  eventually,
  inProcessBridge,
  temporalClient,
  uniqueResources,
} from './support.ts';

interface Readiness {
  readonly ready: boolean;
  readonly checks: Record<string, { ok: boolean; detail: string }>;
}

let pubsub: PubSub;
let connection: Connection;
let client: Client;
const bridges: RunningBridge[] = [];
const dir = mkdtempSync(join(tmpdir(), 'conveyor-readyz-'));

beforeAll(async () => {
  pubsub = emulatorPubSub();
  ({ connection, client } = await temporalClient());
});

afterAll(async () => {
  for (const b of bridges) await b.stop();
  await pubsub?.close();
  await connection?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function readyz(bridge: RunningBridge): Promise<{ status: number; body: Readiness }> {
  const res = await fetch(`http://127.0.0.1:${bridge.port}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

describe('/readyz', () => {
  it('waits for the stream, reports a subscription it cannot pull, and recovers when it appears', async () => {
    const resources = await uniqueResources(pubsub, 'bridge-ready');
    const missing = uniqueName('bridge-ready-missing');
    const bridge = await inProcessBridge(
      bridgeEnv(resources, uniqueName('bridge-ready-q'), { CONVEYOR_SUBSCRIPTION: missing }),
      connection,
      client,
      pubsub,
    );
    bridges.push(bridge);
    // The emulator refuses the stream (NOT_FOUND): not ready, saying why.
    await eventually(
      async () => /NOT_FOUND/i.test((await readyz(bridge)).body.checks['pull']?.detail ?? ''),
      20_000,
      'the pull check to report NOT_FOUND',
    );
    const down = await readyz(bridge);
    expect(down.status).toBe(503);
    expect(down.body.checks['temporal']).toEqual({ ok: true, detail: 'SERVING' });
    // The subscription appears (an operator creates it): the bridge reopens the stream and is ready.
    await pubsub.topic(resources.topic).createSubscription(missing);
    await eventually(
      async () => (await readyz(bridge)).status === 200,
      60_000,
      'ready after the subscription appears',
    );
    expect((await readyz(bridge)).body).toEqual({
      ready: true,
      checks: { temporal: { ok: true, detail: 'SERVING' }, pull: { ok: true, detail: 'pulling' } },
    });
  });

  it('checks the webhook secret when the webhook is on', async () => {
    const resources = await uniqueResources(pubsub, 'bridge-ready-wh');
    const secretFile = join(dir, 'secret');
    writeFileSync(secretFile, 'readiness-secret-0123456789\n');
    const bridge = await inProcessBridge(
      bridgeEnv(resources, uniqueName('bridge-ready-wh-q'), {
        CONVEYOR_PULL: 'false',
        CONVEYOR_GITHUB_WEBHOOK_SECRET_FILE: secretFile,
      }),
      connection,
      client,
      pubsub,
    );
    bridges.push(bridge);
    expect(await readyz(bridge)).toEqual({
      status: 200,
      body: {
        ready: true,
        checks: {
          temporal: { ok: true, detail: 'SERVING' },
          webhook: { ok: true, detail: 'secret readable' },
        },
      },
    });
    rmSync(secretFile);
    const gone = await readyz(bridge);
    expect(gone.status).toBe(503);
    expect(gone.body.checks['webhook']?.detail).toMatch(/ENOENT/);
  });
});
