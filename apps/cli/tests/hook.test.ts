// `conveyor hook install` and the hook it writes, with real git: which hook, where the secret lives,
// and what a push or a commit sends (a receiver here checks GitHub's format and signature; the bridge
// side is apps/bridge/tests/webhook.test.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GithubPushEventSchema, type GithubPushEvent } from '@conveyor/contracts';
import { verifyGithubSignature } from '@conveyor/platform';
import { LOCAL_WEBHOOK_SECRET } from '@conveyor/stack';
import { createRepos, git, gitRun, runProgram, type Repos } from '@conveyor/testing';

const mainTs = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'main.ts');
const SECRET = 'hook-test-secret-0123456789';

const install = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  runProgram(process.execPath, [mainTs, 'hook', 'install', ...args], {
    env: { ...process.env, CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET, ...extra },
  });

/** One request the receiver got. */
interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  readonly event: GithubPushEvent;
}

let server: Server;
let url: string;
const deliveries: Delivery[] = [];
const notARepo = mkdtempSync(join(tmpdir(), 'conveyor-hook-cli-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      deliveries.push({
        headers: req.headers,
        raw,
        event: GithubPushEventSchema.parse(JSON.parse(raw.toString())),
      });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ignored: 'recorded by the test receiver' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/github`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(notARepo, { recursive: true, force: true });
  for (const r of repos) r.cleanup();
});

const repos: Repos[] = [];

/** A bare repository and its clone, without commits: the first push creates `main`. */
async function bareAndClone(name: string): Promise<Repos> {
  const r = await createRepos(name, { firstCommit: false });
  repos.push(r);
  return r;
}

async function commit(r: Repos, file: string): Promise<string> {
  return r.commit(file, `${file}\n`, `add ${file}`);
}

describe('conveyor hook install', () => {
  it('writes a post-receive hook into a bare repository and keeps the secret out of it', async () => {
    const { bare } = await bareAndClone('secret');
    const r = await install(['--repo', bare, '--url', url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`installed post-receive hook: ${join(bare, 'hooks', 'post-receive')}`);
    expect(r.stdout).toContain('secret from CONVEYOR_GITHUB_WEBHOOK_SECRET');
    const script = readFileSync(join(bare, 'hooks', 'post-receive'), 'utf8');
    expect(script).not.toContain(SECRET);
    expect(script).toContain("'hook' 'notify' '--config'");
    expect(statSync(join(bare, 'hooks', 'post-receive')).mode & 0o777).toBe(0o755);
    const configPath = join(bare, 'conveyor-hook.json');
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(configPath, 'utf8'))).toEqual({
      url,
      secret: SECRET,
      repository: { clone_url: bare, full_name: 'local/secret' },
    });
  });

  it("defaults to the local stack's bridge and secret, and replaces its own hook but no one else's", async () => {
    const { bare } = await bareAndClone('defaults');
    const r = await install(['--repo', bare, '--target', 'local'], {
      CONVEYOR_GITHUB_WEBHOOK_SECRET: '',
      CONVEYOR_BRIDGE_PORT: '18080',
    });
    expect(r.code, r.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(bare, 'conveyor-hook.json'), 'utf8')) as {
      url: string;
      secret: string;
    };
    expect(config).toMatchObject({
      url: 'http://127.0.0.1:18080/webhooks/github',
      secret: LOCAL_WEBHOOK_SECRET,
    });
    expect((await install(['--repo', bare, '--url', url])).code).toBe(0);
    writeFileSync(join(bare, 'hooks', 'post-receive'), '#!/bin/sh\necho mine\n');
    const refused = await install(['--repo', bare, '--url', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'post-receive exists and was not written by conveyor: move it away first',
    );
  });

  it('refuses a directory that is not a git repository, exit 1 in text and JSON modes', async () => {
    const r = await install(['--repo', notARepo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`--repo: ${notARepo} is not a git repository`);
    const json = await install(['--repo', notARepo, '-o', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { exitCode: 1, message: `--repo: ${notARepo} is not a git repository` },
    });
  });

  it('-o json prints what it installed', async () => {
    const { bare } = await bareAndClone('json');
    const r = await install(['--repo', bare, '--url', url, '--branch', 'main', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      hook: 'post-receive',
      hookPath: join(bare, 'hooks', 'post-receive'),
      configPath: join(bare, 'conveyor-hook.json'),
      url,
      branch: 'main',
      secretSource: 'CONVEYOR_GITHUB_WEBHOOK_SECRET',
    });
  });

  it('on the cloud target, never falls back to the local bridge or its secret', async () => {
    const { bare } = await bareAndClone('cloud');
    const noUrl = await install(['--repo', bare, '--target', 'cloud']);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain('--url: the cloud target has no default');
    const noSecret = await install(['--repo', bare, '--target', 'cloud', '--url', url, '-o', 'json'], {
      CONVEYOR_GITHUB_WEBHOOK_SECRET: '',
    });
    expect(noSecret.code).toBe(78);
    expect(JSON.parse(noSecret.stdout)).toMatchObject({
      error: { exitCode: 78, message: expect.stringContaining('CONVEYOR_GITHUB_WEBHOOK_SECRET') },
    });
    expect(existsSync(join(bare, 'hooks', 'post-receive'))).toBe(false);
  });
});

describe('the installed hook', () => {
  it('sends one signed GitHub push event per push, with the commits and a fresh delivery id', async () => {
    const r = await bareAndClone('push');
    const { bare, work } = r;
    expect((await install(['--repo', bare, '--url', url])).code).toBe(0);
    const first = await commit(r, 'one');
    const second = await commit(r, 'two');
    const before = deliveries.length;
    const pushed = await gitRun(work, 'push', '-q', 'origin', 'main');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain('conveyor: not training main@');
    const d = deliveries.slice(before);
    expect(d).toHaveLength(1);
    const [delivery] = d as [Delivery];
    expect(delivery.headers['x-github-event']).toBe('push');
    expect(delivery.headers['x-github-delivery']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(
      verifyGithubSignature(SECRET, delivery.raw, delivery.headers['x-hub-signature-256'] as string),
    ).toBe(true);
    expect(delivery.event).toMatchObject({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: second,
      created: true,
      deleted: false,
      repository: { clone_url: bare, full_name: 'local/push' },
    });
    expect(delivery.event.commits.map((c) => c.id)).toEqual([first, second]);
    expect(delivery.event.head_commit).toMatchObject({
      id: second,
      message: 'add two',
      author: { name: 'test' },
    });
    expect(Number.isNaN(Date.parse(delivery.event.head_commit?.timestamp ?? ''))).toBe(false);

    // The next push: before is the old head, and the delivery id is new.
    const third = await commit(r, 'three');
    await gitRun(work, 'push', '-q', 'origin', 'main');
    const next = deliveries.at(-1);
    expect(next?.event).toMatchObject({ before: second, after: third, created: false, forced: false });
    expect(next?.headers['x-github-delivery']).not.toBe(delivery.headers['x-github-delivery']);
  });

  it('in a work tree, a post-commit hook sends each commit on a branch (and only the branch asked for)', async () => {
    const r = await bareAndClone('worktree');
    const { work } = r;
    const installed = await install(['--repo', work, '--url', url, '--branch', 'main']);
    expect(installed.stdout).toContain(
      `installed post-commit hook: ${join(work, '.git', 'hooks', 'post-commit')}`,
    );
    const before = deliveries.length;
    const head = await commit(r, 'w1');
    expect(deliveries.slice(before).map((d) => [d.event.ref, d.event.after])).toEqual([
      ['refs/heads/main', head],
    ]);
    expect(deliveries.at(-1)?.event.repository.clone_url).toBe(work);
    await git(work, 'checkout', '-q', '-b', 'topic');
    await commit(r, 'w2');
    expect(deliveries.length).toBe(before + 1);
  });
});
