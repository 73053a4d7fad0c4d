// The git-push trigger end to end, short of training: a real `git push` into a bare repository with
// the hook `conveyor hook install` wrote, the bridge's POST /webhooks/github, and the runs it starts
// on the Temporal dev server (a unique task queue with no worker: the tests read what was started).
import { randomUUID } from 'node:crypto';
import type { PubSub } from '@google-cloud/pubsub';
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubSignature } from '@conveyor/platform';
import { createRepos, git, gitRun, uniqueName, type Repos } from '@conveyor/testing';
import type { RunningBridge } from '../src/bridge.ts';
import { conveyorHook } from './git-repos.ts';
import {
  bridgeEnv,
  countRuns,
  emulatorPubSub,
  eventually,
  inProcessBridge,
  runIds,
  startInput,
  temporalClient,
  terminateRuns,
  uniqueResources,
} from './support.ts';

const SECRET = 'webhook-test-secret-0123456789';

let pubsub: PubSub;
let connection: Connection;
let client: Client;
let bridge: RunningBridge;
let repos: Repos;
let url: string;
const taskQueue = uniqueName('bridge-webhook-q');
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  pubsub = emulatorPubSub();
  ({ connection, client } = await temporalClient());
  repos = await createRepos('models');
  cleanups.push(repos.cleanup);
  const resources = await uniqueResources(pubsub, 'bridge-webhook');
  bridge = await inProcessBridge(
    bridgeEnv(resources, taskQueue, {
      CONVEYOR_PULL: 'false',
      CONVEYOR_REPO_URL: repos.bare,
      CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET,
      CONVEYOR_GITHUB_BRANCHES: 'main,release/*',
    }),
    connection,
    client,
    pubsub,
  );
  url = `http://127.0.0.1:${bridge.port}/webhooks/github`;
  const installed = await conveyorHook(['install', '--repo', repos.bare, '--url', url], {
    CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET,
  });
  expect(installed.code, installed.stderr).toBe(0);
  expect(installed.stdout).toContain('installed post-receive hook');
});

afterAll(async () => {
  await bridge?.stop();
  await terminateRuns(taskQueue);
  await pubsub?.close();
  await connection?.close();
  for (const c of cleanups) c();
});

/** The run ids on this test's queue once `count` exist (and no more after a settle). */
async function runsWhen(count: number): Promise<string[]> {
  await eventually(async () => (await countRuns(client, taskQueue)) >= count, 20_000, `${count} runs`);
  // Settle: a late extra run would show up here.
  await new Promise((r) => setTimeout(r, 1_000));
  const ids = await runIds(client, taskQueue);
  expect(ids).toHaveLength(count);
  return ids;
}

/** Posts a GitHub-format delivery, signed unless `signature` says otherwise. */
async function deliver(
  body: unknown,
  headers: { event?: string; delivery?: string; signature?: string | null } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const raw = Buffer.from(JSON.stringify(body));
  const signature = headers.signature === undefined ? githubSignature(SECRET, raw) : headers.signature;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': headers.event ?? 'push',
      'x-github-delivery': headers.delivery ?? randomUUID(),
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function pushEvent(commit: string, ref = 'refs/heads/main') {
  return {
    ref,
    before: '0'.repeat(40),
    after: commit,
    commits: [],
    head_commit: null,
    repository: { full_name: 'local/models', clone_url: repos.bare },
  };
}

describe('git push → POST /webhooks/github → trainingRun', () => {
  let firstDelivery = '';
  let firstCommit = '';

  it('a push starts exactly one trainingRun on the pushed commit, with the git trigger', async () => {
    firstCommit = await repos.commit('a.txt', 'a\n');
    const pushed = await gitRun(repos.work, 'push', 'origin', 'main');
    expect(pushed.code, pushed.stderr).toBe(0);
    const said = /conveyor: training main@[0-9a-f]{7}: (\S+) \(delivery ([0-9a-f-]{36})\)/.exec(
      pushed.stderr,
    );
    expect(said, pushed.stderr).not.toBeNull();
    const [id] = await runsWhen(1);
    firstDelivery = said?.[2] ?? '';
    expect(id).toBe(`penguins-git-${firstDelivery}`);
    expect(said?.[1]).toBe(id);
    const described = await client.workflow.getHandle(id!).describe();
    expect(described.type).toBe('trainingRun');
    const request = await startInput(client, id!);
    expect(request.source).toEqual({ repoUrl: repos.bare, branch: 'main', commit: firstCommit });
    expect(request.trigger.kind).toBe('git');
    expect(request.trigger.id).toBe(firstDelivery);
    // The repository's parameters file at that commit decides (the workflow reads it), not the push.
    expect(request.parameters).toEqual({});
  });

  it('a push of 3 commits trains only the head, once', async () => {
    await repos.commit('b.txt', 'b\n');
    await repos.commit('c.txt', 'c\n');
    const head = await repos.commit('d.txt', 'd\n');
    const pushed = await gitRun(repos.work, 'push', 'origin', 'main');
    expect(pushed.code, pushed.stderr).toBe(0);
    const ids = await runsWhen(2);
    const commits = await Promise.all(ids.map(async (id) => (await startInput(client, id)).source.commit));
    expect(commits.sort()).toEqual([firstCommit, head].sort());
  });

  it('a redelivery of a delivery starts nothing; the same commit under a new delivery starts a new run', async () => {
    const again = await deliver(pushEvent(firstCommit), { delivery: firstDelivery });
    expect(again.status).toBe(200);
    expect(again.body['runs']).toEqual([{ workflowId: `penguins-git-${firstDelivery}`, outcome: 'started' }]);
    await runsWhen(2);
    // Finished runs are found too (REJECT_DUPLICATE): still nothing new.
    await client.workflow.getHandle(`penguins-git-${firstDelivery}`).terminate('test');
    const afterEnd = await deliver(pushEvent(firstCommit), { delivery: firstDelivery });
    expect(afterEnd.body['runs']).toEqual([
      { workflowId: `penguins-git-${firstDelivery}`, outcome: 'duplicate' },
    ]);
    await runsWhen(2);
    // A push of the same commit again (another branch the bridge trains) is a new delivery: a new run.
    const pushed = await gitRun(repos.work, 'push', 'origin', 'main:refs/heads/release/1');
    expect(pushed.code, pushed.stderr).toBe(0);
    const ids = await runsWhen(3);
    const requests = await Promise.all(ids.map((id) => startInput(client, id)));
    const release = requests.find((r) => r.source.branch === 'release/1');
    expect(release?.source.commit).toBe(await git(repos.work, 'rev-parse', 'HEAD'));
  });

  it('ignores a filtered branch, a deleted branch and a tag with 202 and a reason, starting nothing', async () => {
    await git(repos.work, 'checkout', '-q', '-b', 'dev');
    await repos.commit('dev.txt', 'dev\n');
    const dev = await gitRun(repos.work, 'push', 'origin', 'dev');
    expect(dev.code, dev.stderr).toBe(0);
    expect(dev.stderr).toMatch(
      /conveyor: not training dev@[0-9a-f]{7}: branch dev is not one this bridge trains/,
    );
    const deleted = await gitRun(repos.work, 'push', 'origin', '--delete', 'release/1');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stderr).toContain('branch release/1 was deleted');
    await git(repos.work, 'tag', 'v1');
    const tag = await gitRun(repos.work, 'push', 'origin', 'v1');
    expect(tag.stderr).toContain('refs/tags/v1 is not a branch');
    await git(repos.work, 'checkout', '-q', 'main');
    await runsWhen(3);
  });

  it('refuses a bad or missing signature with 401 and starts nothing', async () => {
    const commit = await git(repos.work, 'rev-parse', 'HEAD');
    const forged = githubSignature(
      'not-the-secret-0123456789',
      Buffer.from(JSON.stringify(pushEvent(commit))),
    );
    expect(await deliver(pushEvent(commit), { signature: forged })).toEqual({
      status: 401,
      body: { error: 'unauthenticated' },
    });
    expect(await deliver(pushEvent(commit), { signature: null })).toEqual({
      status: 401,
      body: { error: 'unauthenticated' },
    });
    await runsWhen(3);
  });

  it('answers ping with 200 and other events with 202', async () => {
    expect(await deliver({ zen: 'Keep it logically awesome.', hook_id: 1 }, { event: 'ping' })).toEqual({
      status: 200,
      body: { ok: true, event: 'ping' },
    });
    const issues = await deliver({ action: 'opened' }, { event: 'issues' });
    expect(issues.status).toBe(202);
    await runsWhen(3);
  });

  it('ignores a push to another repository', async () => {
    const other = await createRepos('other');
    cleanups.push(other.cleanup);
    const installed = await conveyorHook(['install', '--repo', other.bare, '--url', url], {
      CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET,
    });
    expect(installed.code, installed.stderr).toBe(0);
    await other.commit('x.txt', 'x\n');
    const pushed = await gitRun(other.work, 'push', 'origin', 'main');
    expect(pushed.stderr).toContain(
      'push to local/other, not to the repository this bridge builds (CONVEYOR_REPO_URL)',
    );
    await runsWhen(3);
    expect(bridge.stats.snapshot().webhook).toMatchObject({ unauthenticated: 2, ping: 1 });
  });

  it('never fails the push when the bridge is down: a warning, and the push goes through', async () => {
    const down = await createRepos('down');
    cleanups.push(down.cleanup);
    // A port nothing listens on: the bridge is "down".
    const installed = await conveyorHook(
      ['install', '--repo', down.bare, '--url', 'http://127.0.0.1:9/webhooks/github'],
      {
        CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET,
      },
    );
    expect(installed.code, installed.stderr).toBe(0);
    const head = await down.commit('y.txt', 'y\n');
    const pushed = await gitRun(down.work, 'push', 'origin', 'main');
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stderr).toContain(
      'conveyor: warning: could not reach the bridge at http://127.0.0.1:9/webhooks/github',
    );
    expect(await git(down.bare, 'rev-parse', 'main')).toBe(head);
  });
});
