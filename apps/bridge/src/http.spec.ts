import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushAuthenticator } from './auth.ts';
import type { MessageHandler } from './handler.ts';
import { startHttpServer } from './http.ts';
import { PUSH_BODY_LIMIT_BYTES } from './push.ts';
import { BridgeStats } from './stats.ts';
import { WEBHOOK_BODY_LIMIT_BYTES, type WebhookHandler } from './webhook.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

interface Logged {
  readonly obj: object;
  readonly msg: string;
}

async function serve(
  authenticate: PushAuthenticator,
  handler: MessageHandler = () => Promise.resolve('started'),
) {
  const logged: Logged[] = [];
  const { server, port } = await startHttpServer(
    {
      stats: new BridgeStats(),
      handler,
      authenticate,
      readiness: {},
      draining: () => false,
      maxBodyBytes: PUSH_BODY_LIMIT_BYTES,
      log: { warn: (obj, msg) => logged.push({ obj, msg }) },
    },
    '127.0.0.1',
    0,
  );
  servers.push(server);
  const post = (body: string | Buffer, authorization = 'Bearer ok') =>
    fetch(`http://127.0.0.1:${port}/pubsub/push`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body,
    });
  return { post, logged };
}

const allow: PushAuthenticator = () => Promise.resolve({ ok: true, principal: 'test' });

function envelope(data: Buffer): string {
  return JSON.stringify({
    message: { data: data.toString('base64'), messageId: '1', publishTime: '2026-01-02T03:04:05Z' },
    subscription: 'projects/p/subscriptions/s',
  });
}

describe('push endpoint over HTTP', () => {
  it.each([
    [401, 'missing-token', { error: 'unauthenticated' }],
    [403, 'expired', { error: 'forbidden' }],
    [503, 'certificates-unavailable', { error: 'authentication is unavailable, retry later' }],
  ] as const)('answers %i with a generic body and logs only the reason', async (status, reason, body) => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6InNlY3JldCJ9.c2ln';
    const { post, logged } = await serve(() => Promise.resolve({ ok: false, status, reason }));
    const res = await post(envelope(Buffer.from('{}')), `Bearer ${token}`);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
    expect(logged).toEqual([{ obj: { status, reason }, msg: 'push request rejected' }]);
  });

  it('reads a message larger than the bridge takes, up to Pub/Sub’s maximum, and lets the handler decide', async () => {
    let seen = 0;
    const { post } = await serve(allow, (m) => {
      seen = m.data.length;
      return Promise.resolve('dead-lettered');
    });
    // 2 MB: well above CONVEYOR_MAX_MESSAGE_BYTES, well below Pub/Sub's 10 MB.
    const res = await post(envelope(Buffer.alloc(2_000_000, 'x')));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ messageId: '1', outcome: 'dead-lettered' });
    expect(seen).toBe(2_000_000);
  });

  it('sizes its body limit from Pub/Sub’s 10 MB maximum', () => {
    expect(PUSH_BODY_LIMIT_BYTES).toBeGreaterThanOrEqual(Math.ceil(10_000_000 / 3) * 4);
  });

  it('refuses a body over the limit with 413 (no Pub/Sub message is that large)', async () => {
    const { post } = await serve(allow);
    const res = await post(Buffer.alloc(PUSH_BODY_LIMIT_BYTES + 1, 0x20));
    expect(res.status).toBe(413);
  });

  it('refuses a body that is not UTF-8, and one that is not JSON, without quoting it', async () => {
    const { post } = await serve(allow);
    const latin1 = await post(Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d])); // {"é":1} in Latin-1
    expect(latin1.status).toBe(400);
    expect(await latin1.json()).toEqual({ error: 'body is not UTF-8' });
    const notJson = await post('{"message": secret-token-here');
    expect(notJson.status).toBe(400);
    expect(await notJson.text()).not.toContain('secret-token-here');
  });
});

describe('GitHub webhook route', () => {
  async function serveWebhook(webhook?: WebhookHandler) {
    const { server, port } = await startHttpServer(
      {
        stats: new BridgeStats(),
        handler: () => Promise.resolve('started'),
        authenticate: allow,
        readiness: {},
        draining: () => false,
        maxBodyBytes: PUSH_BODY_LIMIT_BYTES,
        webhook,
        log: { warn: () => undefined },
      },
      '127.0.0.1',
      0,
    );
    servers.push(server);
    return (init: RequestInit) => fetch(`http://127.0.0.1:${port}/webhooks/github`, init);
  }

  it('does not exist without a secret (404)', async () => {
    const call = await serveWebhook();
    const res = await call({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });

  it('hands the raw body and headers to the handler, and refuses GET, form content and oversized bodies', async () => {
    const seen: { event: unknown; body: string }[] = [];
    const call = await serveWebhook((headers, body) => {
      seen.push({ event: headers['x-github-event'], body: body.toString() });
      return Promise.resolve({ status: 202, body: { ignored: 'test' } });
    });
    const ok = await call({
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-github-event': 'issues' },
      body: '{"a": 1}',
    });
    expect([ok.status, await ok.json()]).toEqual([202, { ignored: 'test' }]);
    expect(seen).toEqual([{ event: 'issues', body: '{"a": 1}' }]);
    expect((await call({ method: 'GET' })).status).toBe(405);
    const form = await call({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'payload=%7B%7D',
    });
    expect([form.status, await form.json()]).toEqual([
      415,
      { error: "content type must be application/json (the webhook's Content type)" },
    ]);
    const big = await call({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(WEBHOOK_BODY_LIMIT_BYTES + 1, 0x20),
    });
    expect(big.status).toBe(413);
    expect(seen).toHaveLength(1);
  });
});
