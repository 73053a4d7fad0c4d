import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineJobIdFor, Queries, type RunStatus } from '@conveyor/contracts';
import { startHarness, type Harness } from './harness.ts';
import { recordHistory } from './record.ts';
import { waitFor } from './wait.ts';

describe('cancelling a run stops the cloud work', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it(
    'during the build: the run detaches, and the build it alone needed ends CANCELLED',
    { timeout: 90_000 },
    async () => {
      const { branch, commit } = h.freshBranch('slow-120');
      const handle = await h.start({ source: { repoUrl: h.repo.dir, branch } });
      await waitFor(
        'the build to be WORKING',
        30_000,
        async () => (await h.buildsOf(commit))[0]?.status === 'WORKING',
      );
      await handle.cancel();
      const error = await handle.result().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      await waitFor(
        'the build to end',
        30_000,
        async () => (await h.buildsOf(commit))[0]?.status === 'CANCELLED',
      );
      expect((await h.buildsOf(commit)).map((b) => b.status)).toEqual(['CANCELLED']);
      const status: RunStatus = await handle.query(Queries.status);
      expect(status.stage).toBe('cancelled');
      await recordHistory(handle, 'cancelled-during-build');
    },
  );

  it(
    'during the pipeline: the job ends CANCELLED before the run reports cancelled',
    { timeout: 90_000 },
    async () => {
      const handle = await h.start({ parameters: { sleep_seconds: 120 } });
      const name = h.vertex.jobName(pipelineJobIdFor(handle.workflowId, handle.firstExecutionRunId));
      await waitFor('the train task to run', 60_000, async () => {
        const job = await h.vertex.getPipelineJob(name);
        return job.tasks.some((t) => t.name === 'train' && t.state === 'RUNNING');
      });
      await handle.cancel();
      const error = await handle.result().catch((e: unknown) => e);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await h.vertex.getPipelineJob(name)).state).toBe('PIPELINE_STATE_CANCELLED');
      await recordHistory(handle, 'cancelled-during-pipeline');
    },
  );
});
