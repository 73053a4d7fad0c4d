// `trainingSweep` on the time-skipping test server with stub activities: one image for all trials,
// bounded parallelism, the best trial picked and promoted, failures recorded, cancellation reaching
// every trial's job.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorTypes,
  Queries,
  SweepRequestSchema,
  WorkflowTypes,
  type SweepRequestInput,
  type SweepResult,
  type SweepTrial,
  type TrainingRunRequest,
} from '@conveyor/contracts';
import { uniqueName } from '@conveyor/testing';
import { workflowTestEnv, type Case } from './support/env.ts';

let t: Awaited<ReturnType<typeof workflowTestEnv>>;
beforeAll(async () => {
  t = await workflowTestEnv();
}, 120_000);
afterAll(async () => t?.close());

function startSweep(
  c: Case,
  over: Partial<SweepRequestInput> = {},
): Promise<WorkflowHandle<(r: unknown) => Promise<SweepResult>>> {
  return c.env.client.workflow.start(WorkflowTypes.trainingSweep, {
    taskQueue: c.taskQueue,
    workflowId: uniqueName('sweep'),
    args: [
      SweepRequestSchema.parse({
        pipeline: 'tiny',
        source: { repoUrl: '/repo', branch: 'main' },
        trigger: { kind: 'manual', id: 'test', at: '2026-12-01T00:00:00Z' },
        grid: { num_epochs: [2, 10], learning_rate: [0.001, 0.01] },
        ...over,
      }),
    ],
  }) as never;
}

/** Accuracy grows with epochs and learning rate, so (10, 0.01) is best. */
const accuracy = (p: Record<string, unknown>) => ({
  accuracy: Number(p['num_epochs']) / 20 + Number(p['learning_rate']) * 10,
});

describe('trainingSweep', () => {
  it('builds once, runs every trial pinned to that image, never pushing, and promotes only the best', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.metrics = accuracy;
      const handle = await startSweep(c);
      const result = await handle.result();
      expect(c.cloud.builds).toHaveLength(1);
      expect(result.image).toMatchObject({ buildId: 'b1', reused: false });
      expect(result.trials.map((tr) => [tr.index, tr.state])).toEqual([
        [0, 'succeeded'],
        [1, 'succeeded'],
        [2, 'succeeded'],
        [3, 'succeeded'],
      ]);
      expect(result.best?.parameters).toEqual({ num_epochs: 10, learning_rate: 0.01 });
      const submitted = c.cloud.calls.get('validateRequest') as TrainingRunRequest[];
      expect(submitted.every((r) => r.promote === false && r.image?.buildId === 'b1')).toBe(true);
      expect(submitted.every((r) => r.trigger.kind === 'sweep' && r.trigger.id === handle.workflowId)).toBe(
        true,
      );
      const promoted = c.cloud.calls.get('promoteModel') as { modelArtifactUri: string }[];
      expect(promoted).toHaveLength(1);
      expect(promoted[0]?.modelArtifactUri).toContain(`${handle.workflowId}-trial-3`);
      expect(result.promoted?.version).toBe(handle.workflowId);
      expect(result.report?.htmlUri).toContain(`sweeps/${handle.workflowId}/report.html`);
    });
  });

  it('min goal picks the smallest metric', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.metrics = (p) => ({ loss: Number(p['num_epochs']) });
      const result = await (await startSweep(c, { metric: 'loss', goal: 'min' })).result();
      expect(result.best?.parameters['num_epochs']).toBe(2);
    });
  });

  it('runs at most `parallel` trials at once', async () => {
    await t.run(async (c) => {
      let running = 0;
      let most = 0;
      c.cloud.override('submitPipelineJob', async (input) => {
        running++;
        most = Math.max(most, running);
        return c.cloud.defaults.submitPipelineJob(input);
      });
      c.cloud.override('collectOutputs', async (input) => {
        running--;
        return c.cloud.defaults.collectOutputs(input);
      });
      const result = await (
        await startSweep(c, { grid: { num_epochs: [1, 2, 3, 4, 5, 6] }, parallel: 2 })
      ).result();
      expect(result.trials).toHaveLength(6);
      expect(most).toBe(2);
    });
  });

  it('records a failed trial and goes on with the others', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.metrics = accuracy;
      c.cloud.knobs.jobFails = (p) => p['num_epochs'] === 10 && p['learning_rate'] === 0.01;
      const result = await (await startSweep(c)).result();
      const failed = result.trials.filter((tr) => tr.state === 'failed');
      expect(failed.map((tr) => tr.index)).toEqual([3]);
      expect(failed[0]?.error).toContain("task 'train' failed");
      expect(result.best?.parameters).toEqual({ num_epochs: 10, learning_rate: 0.001 });
    });
  });

  it('fails as SweepFailed when no trial succeeds, after writing its report', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.jobFails = () => true;
      const error = await (await startSweep(c)).result().catch((e: unknown) => e);
      expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(ErrorTypes.SweepFailed);
      expect(c.cloud.count('writeSweepReport')).toBe(1);
      expect(c.cloud.count('promoteModel')).toBe(0);
    });
  });

  it('does not promote a best trial the pipeline did not bless', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.metrics = accuracy;
      c.cloud.knobs.blessed = () => false;
      const result = await (await startSweep(c)).result();
      expect(result.promoted).toBeUndefined();
      expect(result.notPromoted).toContain('not blessed');
      expect(c.cloud.count('promoteModel')).toBe(0);
    });
  });

  it('a promotion that fails for good fails the sweep after its report says so', async () => {
    await t.run(
      async (c) => {
        const error = await (await startSweep(c)).result().catch((e: unknown) => e);
        expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(
          ErrorTypes.PermissionDenied,
        );
        const reports = c.cloud.calls.get('writeSweepReport') as SweepResult[];
        expect(reports[0]?.notPromoted).toContain('promotion failed');
      },
      (cloud) =>
        cloud.override('promoteModel', async () => {
          throw ApplicationFailure.nonRetryable(
            'no write access to the serving bucket',
            ErrorTypes.PermissionDenied,
          );
        }),
    );
  });

  it('invalid trials fail it before anything is built', async () => {
    await t.run(
      async (c) => {
        const error = await (await startSweep(c)).result().catch((e: unknown) => e);
        expect(((error as WorkflowFailedError).cause as ApplicationFailure).type).toBe(
          ErrorTypes.InvalidParameters,
        );
        expect(c.cloud.count('findImage') + c.cloud.count('startBuild')).toBe(0);
      },
      (cloud) =>
        cloud.override('planSweep', async () => {
          throw ApplicationFailure.nonRetryable(
            'trial 1: num_epochs: expected at most 1000',
            ErrorTypes.InvalidParameters,
          );
        }),
    );
  });

  it('cancelling it cancels every running trial, and each trial its job', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.buildChecks = 1;
      c.cloud.knobs.jobChecks = Number.POSITIVE_INFINITY;
      const handle = await startSweep(c, { parallel: 4 });
      for (;;) {
        const status: { trials: SweepTrial[]; running: number } = await handle.query(Queries.sweepStatus);
        if (status.running === 4 && c.cloud.jobs.size === 4) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await handle.cancel();
      const error = await handle.result().catch((e: unknown) => e);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect([...c.cloud.jobs.values()].map((j) => j.state)).toEqual(
        Array(4).fill('PIPELINE_STATE_CANCELLED'),
      );
    });
  });
});
