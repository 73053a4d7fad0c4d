import { type WorkflowFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorTypes, imageWorkflowIdFor, sha256Hex } from '@conveyor/contracts';
import { startHarness, type Harness } from './harness.ts';

describe('Google API errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.startWorker();
  });
  afterEach(async () => {
    await h.setFaults({});
  });
  afterAll(async () => {
    await h?.close();
  });

  it(
    '20% UNAVAILABLE on every emulator RPC: runs still complete, sharing one build, one job each',
    { timeout: 150_000 },
    async () => {
      const { branch, commit } = h.freshBranch('main');
      await h.setFaults({ '*': { code: 'UNAVAILABLE', probability: 0.2 } });
      const handles = await Promise.all(
        [1, 2, 3].map((n) =>
          h.start({ parameters: { num_epochs: n }, source: { repoUrl: h.repo.dir, branch } }),
        ),
      );
      const results = await Promise.all(handles.map((handle) => handle.result()));
      await h.setFaults({});
      for (const [i, result] of results.entries()) {
        expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
        expect(result.metrics['epochs']).toBe(i + 1);
      }
      expect(await h.buildsOf(commit)).toHaveLength(1);
      const jobs = await h.vertex.listPipelineJobs();
      for (const result of results) expect(jobs.filter((j) => j.name === result.pipelineJob)).toHaveLength(1);
      expect(new Set(results.map((r) => r.pipelineJob)).size).toBe(3);
    },
  );

  it(
    'PERMISSION_DENIED fails fast with PermissionDenied, after a single attempt',
    { timeout: 60_000 },
    async () => {
      await h.setFaults({
        'CloudBuild/CreateBuild': {
          code: 'PERMISSION_DENIED',
          message: 'caller lacks cloudbuild.builds.create',
        },
      });
      const { branch, commit } = h.freshBranch('main');
      const started = Date.now();
      const handle = await h.start({ source: { repoUrl: h.repo.dir, branch } });
      const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
      expect(Date.now() - started).toBeLessThan(20_000);
      const cause = error.cause as { type?: string; message: string };
      expect(cause.type).toBe(ErrorTypes.PermissionDenied);
      expect(cause.message).toContain('cloudbuild.builds.create');
      // One attempt of startBuild, in the image build: its ActivityTaskStarted says attempt 1.
      const config = readFileSync(join(h.repo.dir, 'apps/tiny/cloudbuild.yaml'), 'utf8');
      const imageWorkflowId = imageWorkflowIdFor({
        pipeline: 'tiny',
        commit,
        configSha256: sha256Hex(config),
        repository: h.deps.settings.imageRepository,
      });
      const history = await h.client.workflow.getHandle(imageWorkflowId).fetchHistory();
      const attempts = (history.events ?? [])
        .filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes?.attempt);
      expect(Math.max(...attempts.map(Number))).toBe(1);
    },
  );
});
