import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { githubSignature } from '@conveyor/platform';
import type { Startable } from './start.ts';
import { BridgeStats } from './stats.ts';
import { createWebhookHandler, webhookSecretReader } from './webhook.ts';

const SECRET = 'webhook-secret-0123456789';
const HEAD = 'a'.repeat(40);

const payload = {
  ref: 'refs/heads/main',
  before: 'b'.repeat(40),
  after: HEAD,
  commits: [],
  head_commit: null,
  repository: { full_name: 'acme/models', clone_url: 'https://github.com/acme/models.git' },
};

function setup(start: (work: Startable) => Promise<unknown> = () => Promise.resolve()) {
  const started: Startable[] = [];
  const logged: { level: string; obj: object; msg: string }[] = [];
  const log = (level: string) => (obj: object, msg: string) => logged.push({ level, obj, msg });
  const stats = new BridgeStats();
  const handle = createWebhookHandler({
    github: { secret: { kind: 'value', value: SECRET }, branches: ['main'], pipelines: ['penguins'] },
    repoUrl: 'https://github.com/acme/models',
    secret: () => Promise.resolve(SECRET),
    start: async (work) => {
      started.push(work);
      await start(work);
    },
    startTimeoutMs: 10_000,
    stats,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
  });
  const deliver = (body: unknown, headers: Record<string, string> = {}, secret = SECRET) => {
    const raw = Buffer.isBuffer(body)
      ? body
      : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return handle(
      {
        'x-github-event': 'push',
        'x-github-delivery': 'd-1',
        'x-hub-signature-256': githubSignature(secret, raw),
        ...headers,
      },
      raw,
    );
  };
  return { deliver, handle, started, logged, stats };
}

describe('GitHub webhook handler', () => {
  it('starts one run for a signed push and says which', async () => {
    const t = setup();
    const r = await t.deliver(payload);
    expect(r).toEqual({
      status: 200,
      body: {
        delivery: 'd-1',
        branch: 'main',
        commit: HEAD,
        runs: [{ workflowId: 'penguins-git-d-1', outcome: 'started' }],
      },
    });
    expect(t.started.map((s) => s.workflowId)).toEqual(['penguins-git-d-1']);
    expect(t.stats.snapshot().webhook.started).toBe(1);
  });

  it('refuses a missing or wrong signature with a generic 401, starts nothing, logs no signature', async () => {
    const t = setup();
    const raw = Buffer.from(JSON.stringify(payload));
    const forged = githubSignature('another-secret-0123456789', raw);
    expect(await t.deliver(payload, {}, 'another-secret-0123456789')).toEqual({
      status: 401,
      body: { error: 'unauthenticated' },
    });
    const missing = await t.handle({ 'x-github-event': 'push', 'x-github-delivery': 'd' }, raw);
    expect(missing).toEqual({ status: 401, body: { error: 'unauthenticated' } });
    expect(t.started).toEqual([]);
    expect(t.stats.snapshot().webhook.unauthenticated).toBe(2);
    const text = JSON.stringify(t.logged);
    expect(text).not.toContain(forged.slice(7));
    expect(text).not.toContain('acme/models');
    expect(t.logged.map((l) => (l.obj as { reason: string }).reason)).toEqual([
      'bad-signature',
      'missing-signature',
    ]);
  });

  it('answers ping 200 and other events 202, starting nothing', async () => {
    const t = setup();
    expect(await t.deliver({ zen: 'Design for failure.' }, { 'x-github-event': 'ping' })).toEqual({
      status: 200,
      body: { ok: true, event: 'ping' },
    });
    expect(await t.deliver({}, { 'x-github-event': 'issues' })).toEqual({
      status: 202,
      body: { ignored: "event 'issues' is not handled (only push and ping)" },
    });
    expect(t.started).toEqual([]);
  });

  it('answers 202 with the reason for a push it does not train', async () => {
    const t = setup();
    expect(await t.deliver({ ...payload, ref: 'refs/heads/dev' })).toEqual({
      status: 202,
      body: { delivery: 'd-1', ignored: 'branch dev is not one this bridge trains (main)' },
    });
    expect(t.started).toEqual([]);
  });

  it.each([
    ['no delivery id', payload, { 'x-github-delivery': '' }, 'no X-GitHub-Delivery header'],
    ['not JSON', '{"ref": ', {}, 'body is not JSON'],
    // {"\xff":1}: a lenient decoder would read U+FFFD and go on.
    ['not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), {}, 'body is not UTF-8'],
    ['not a push payload', { ref: 'refs/heads/main' }, {}, 'not a push event: before: '],
  ])('answers 400 for %s', async (_, body, headers, error) => {
    const t = setup();
    const r = await t.deliver(body, headers);
    expect(r.status).toBe(400);
    expect(String(r.body['error'])).toContain(error);
    expect(t.started).toEqual([]);
  });

  it('counts an already finished run as a duplicate, and a failed start as 503 to redeliver', async () => {
    const duplicate = setup(() =>
      Promise.reject(new WorkflowExecutionAlreadyStartedError('exists', 'penguins-git-d-1', 'trainingRun')),
    );
    const d = await duplicate.deliver(payload);
    expect(d.status).toBe(200);
    expect(d.body['runs']).toEqual([{ workflowId: 'penguins-git-d-1', outcome: 'duplicate' }]);
    const failing = setup(() => Promise.reject(new Error('deadline exceeded')));
    const f = await failing.deliver(payload);
    expect(f.status).toBe(503);
    expect(f.body['error']).toBe('could not start every run; redeliver later');
  });
});

describe('webhookSecretReader', () => {
  it('reads a secret file afresh each time, without its final line break', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'conveyor-secret-')), 'secret');
    writeFileSync(path, 'first-secret-0123456789\n');
    const read = webhookSecretReader({ kind: 'file', path });
    expect(await read()).toBe('first-secret-0123456789');
    writeFileSync(path, 'rotated-secret-0123456789');
    expect(await read()).toBe('rotated-secret-0123456789');
    writeFileSync(path, 'short\n');
    await expect(read()).rejects.toThrow('the webhook secret file holds fewer than 16 characters');
    await expect(webhookSecretReader({ kind: 'file', path: `${path}-missing` })()).rejects.toThrow(/ENOENT/);
  });

  it('answers 503 when the secret cannot be read, so nothing is judged unsigned by mistake', async () => {
    const handle = createWebhookHandler({
      github: { secret: { kind: 'file', path: '/nonexistent' }, branches: ['main'], pipelines: ['penguins'] },
      repoUrl: '/repo',
      secret: webhookSecretReader({ kind: 'file', path: '/nonexistent/secret' }),
      start: () => Promise.resolve(),
      startTimeoutMs: 1000,
      stats: new BridgeStats(),
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    expect((await handle({}, Buffer.from('{}'))).status).toBe(503);
  });
});
