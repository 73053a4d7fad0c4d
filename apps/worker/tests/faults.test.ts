import { type WorkflowFailedError } from '@temporalio/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErrorTypes } from '@conveyor/contracts';
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
    '20% UNAVAILABLE on every emulator RPC: runs still complete, with one build and one job each',
    { timeout: 150_000 },
    async () => {
      await h.setFaults({ '*': { code: 'UNAVAILABLE', probability: 0.2 } });
      const handles = await Promise.all([1, 2, 3].map((n) => h.start({ parameters: { num_epochs: n } })));
      const results = await Promise.all(handles.map((handle) => handle.result()));
      await h.setFaults({});
      for (const [i, result] of results.entries()) {
        expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
        expect(result.metrics['epochs']).toBe(i + 1);
        expect(await h.builds.listBuildsByTag(`conveyor-run-${handles[i]?.workflowId}`)).toHaveLength(1);
      }
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
      const started = Date.now();
      const handle = await h.start({});
      const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
      expect(Date.now() - started).toBeLessThan(20_000);
      const cause = error.cause as { type?: string; message: string };
      expect(cause.type).toBe(ErrorTypes.PermissionDenied);
      expect(cause.message).toContain('cloudbuild.builds.create');
      // One attempt of startBuild: the history's ActivityTaskStarted for it says attempt 1.
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? [])
        .filter((e) => e.activityTaskStartedEventAttributes)
        .map((e) => e.activityTaskStartedEventAttributes?.attempt);
      expect(Math.max(...attempts.map(Number))).toBe(1);
    },
  );
});
