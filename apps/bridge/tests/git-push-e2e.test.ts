// Commit → image → model, offline: a `git push` into a bare repository with the hook `conveyor hook
// install` wrote; the bridge's webhook starts the run; a worker builds the pushed commit's image
// through the Cloud Build emulator and trains it on the Vertex emulator, with the run parameters from
// the repository's parameters file at that commit. The worker side is the workflow tests' harness
// (the tiny pipeline: the penguins image takes minutes to build).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PubSub } from '@google-cloud/pubsub';
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingRunResult } from '@conveyor/contracts';
import { git, gitRun } from '@conveyor/testing';
import { startHarness, type Harness } from '../../worker/tests/harness.ts';
import type { RunningBridge } from '../src/bridge.ts';
import { conveyorHook } from './git-repos.ts';
import { bridgeEnv, emulatorPubSub, inProcessBridge, temporalClient, uniqueResources } from './support.ts';

const SECRET = 'e2e-webhook-secret-0123456789';

let h: Harness;
let pubsub: PubSub;
let connection: Connection;
let client: Client;
let bridge: RunningBridge;
let bare: string;
let work: string;

beforeAll(async () => {
  h = await startHarness();
  await h.startWorker();
  bare = `${h.repo.dir}-server.git`;
  work = `${h.repo.dir}-clone`;
  await git(h.repo.dir, 'clone', '-q', '--bare', h.repo.dir, bare);
  await git(h.repo.dir, 'clone', '-q', bare, work);
  pubsub = emulatorPubSub();
  ({ connection, client } = await temporalClient());
  bridge = await inProcessBridge(
    bridgeEnv(await uniqueResources(pubsub, 'bridge-e2e'), h.taskQueue, {
      CONVEYOR_PULL: 'false',
      CONVEYOR_REPO_URL: bare,
      CONVEYOR_DEFAULT_PIPELINE: 'tiny',
      CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET,
    }),
    connection,
    client,
    pubsub,
  );
  const url = `http://127.0.0.1:${bridge.port}/webhooks/github`;
  const installed = await conveyorHook(['install', '--repo', bare, '--url', url], {
    CONVEYOR_GITHUB_WEBHOOK_SECRET: SECRET,
  });
  expect(installed.code, installed.stderr).toBe(0);
});

afterAll(async () => {
  await bridge?.stop();
  await pubsub?.close();
  await connection?.close();
  await h?.close();
});

describe('git push trains the pushed commit', () => {
  it(
    'builds the image of the pushed commit and trains it with the parameters file’s values',
    { timeout: 240_000 },
    async () => {
      writeFileSync(join(work, 'apps', 'tiny', 'conveyor.yaml'), 'parameters:\n  num_epochs: 3\n');
      await git(work, 'add', 'apps/tiny/conveyor.yaml');
      await git(work, 'commit', '-q', '-m', 'train 3 epochs');
      const commit = await git(work, 'rev-parse', 'HEAD');
      const pushed = await gitRun(work, 'push', 'origin', 'main');
      expect(pushed.code, pushed.stderr).toBe(0);
      const workflowId = /conveyor: training main@[0-9a-f]{7}: (tiny-git-[0-9a-f-]{36})/.exec(
        pushed.stderr,
      )?.[1];
      expect(workflowId, pushed.stderr).toBeDefined();

      const result: TrainingRunResult = await h.client.workflow.getHandle(workflowId!).result();
      expect(result.commit).toBe(commit);
      expect(result.trigger).toMatchObject({ kind: 'git' });
      expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
      // num_epochs from apps/tiny/conveyor.yaml at the pushed commit (the pipeline's default is 2).
      expect(result.parameters).toMatchObject({ num_epochs: 3 });
      expect(result.image?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(result.modelUri).toBeTruthy();
      // The image was built from the pushed commit, once.
      expect((await h.buildsOf(commit)).length).toBe(1);
    },
  );
});
