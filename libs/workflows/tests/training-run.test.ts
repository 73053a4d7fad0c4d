// Every branch of `trainingRun` on Temporal's time-skipping test server with stub activities: hours
// of waiting pass in milliseconds, so timeouts, failures and cancellation in each stage are covered
// in seconds. The real-stack tests (apps/worker/tests) cover the integration.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorTypes,
  Queries,
  TrainingRunRequestSchema,
  WorkflowTypes,
  type RunStatus,
  type TrainingRunRequestInput,
  type TrainingRunResult,
} from '@conveyor/contracts';
import { uniqueName } from '@conveyor/testing';
import { workflowTestEnv, type Case } from './support/env.ts';

let t: Awaited<ReturnType<typeof workflowTestEnv>>;
beforeAll(async () => {
  t = await workflowTestEnv();
}, 120_000);
afterAll(async () => t?.close());

function request(over: Partial<TrainingRunRequestInput> = {}): TrainingRunRequestInput {
  return {
    pipeline: 'tiny',
    parameters: { num_epochs: 2 },
    source: { repoUrl: '/repo', branch: 'main' },
    trigger: { kind: 'manual', id: 'test', at: '2026-12-01T00:00:00Z' },
    ...over,
  };
}

function start(c: Case, over: Partial<TrainingRunRequestInput> = {}, workflowId = uniqueName('run')) {
  return c.env.client.workflow.start(WorkflowTypes.trainingRun, {
    taskQueue: c.taskQueue,
    workflowId,
    args: [TrainingRunRequestSchema.parse(request(over))],
  }) as Promise<WorkflowHandle<(r: unknown) => Promise<TrainingRunResult>>>;
}

/** The failure a run ended with: its ApplicationFailure type and message. */
async function failureOf(handle: WorkflowHandle): Promise<{ type: string | undefined; message: string }> {
  const error = await handle.result().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return {
    type: (cause as ApplicationFailure).type ?? undefined,
    message: (cause as ApplicationFailure).message,
  };
}

/** Resolves once the run's `status` query reports `stage`. */
async function stageReached(handle: WorkflowHandle, stage: RunStatus['stage']): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const status: RunStatus = await handle.query(Queries.status);
    if (status.stage === stage) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`stage ${stage} never reached`);
}

describe('trainingRun, happy paths', () => {
  it('builds the image once through imageBuild, submits one job and returns its result', async () => {
    await t.run(async (c) => {
      const result = await (await start(c)).result();
      expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
      expect(result.build).toMatchObject({ id: 'b1', reused: false });
      expect(result.commit).toBe(c.cloud.commit);
      expect(result.report?.htmlUri).toContain('report.html');
      expect(c.cloud.count('startBuild')).toBe(1);
      expect(c.cloud.count('submitPipelineJob')).toBe(1);
    });
  });

  it('reuses an image a lookup finds: no image workflow, no build, zero build cost', async () => {
    await t.run(async (c) => {
      await (await start(c)).result();
      const second = await (await start(c)).result();
      expect(second.build).toEqual({ id: 'b1', logUrl: 'https://log/b1', reused: true });
      expect(c.cloud.count('startBuild')).toBe(1);
      expect(c.cloud.count('requestImage')).toBe(1);
      expect(second.estimatedCost.basis).toContain('build 0.00 min');
    });
  });

  it('rebuild: a new build even though the image exists', async () => {
    await t.run(async (c) => {
      await (await start(c)).result();
      const again = await (await start(c, { rebuild: true })).result();
      expect(again.build).toMatchObject({ id: 'b2', reused: false });
      expect(c.cloud.count('startBuild')).toBe(2);
    });
  });

  it('the same workflow id run twice submits two jobs (one per execution)', async () => {
    await t.run(async (c) => {
      const id = uniqueName('same-id');
      const first = await (await start(c, {}, id)).result();
      const second = await (await start(c, {}, id)).result();
      expect(first.pipelineJob).not.toBe(second.pipelineJob);
      expect(c.cloud.jobs.size).toBe(2);
    });
  });

  it('a pinned image (a sweep trial) skips the image entirely', async () => {
    await t.run(async (c) => {
      const result = await (
        await start(c, {
          image: { uri: 'reg/tiny:x', digest: `sha256:${'e'.repeat(64)}`, buildId: 'sweep-build' },
        })
      ).result();
      expect(result.build).toMatchObject({ id: 'sweep-build', reused: true });
      expect(c.cloud.count('findImage')).toBe(0);
    });
  });

  it('a precompiled spec skips image and compile', async () => {
    await t.run(async (c) => {
      const result = await (await start(c, { spec: 'gs://b/specs/x.json' })).result();
      expect(result.spec.uri).toBe('gs://b/specs/x.json');
      expect(c.cloud.count('findImage') + c.cloud.count('compileSpec')).toBe(0);
    });
  });
});

describe('trainingRun on the dev server', () => {
  let dev: Awaited<ReturnType<typeof workflowTestEnv>>;
  beforeAll(async () => {
    dev = await workflowTestEnv('dev');
  }, 120_000);
  afterAll(async () => dev?.close());

  it('five runs started at once on one commit share one build', async () => {
    await dev.run(async (c) => {
      const handles = await Promise.all(Array.from({ length: 5 }, () => start(c)));
      const results = await Promise.all(handles.map((h) => h.result()));
      expect(c.cloud.builds).toHaveLength(1);
      expect(new Set(results.map((r) => r.build?.id))).toEqual(new Set(['b1']));
      expect(c.cloud.jobs.size).toBe(5);
    });
  });

  it('one of two runs sharing a build cancels: the build goes on for the other', async () => {
    await dev.run(async (c) => {
      c.cloud.knobs.buildChecks = 15;
      const a = await start(c);
      while (c.cloud.builds.length === 0) await new Promise((r) => setTimeout(r, 20));
      const b = await start(c);
      while (c.cloud.count('requestImage') < 2) await new Promise((r) => setTimeout(r, 20));
      await a.cancel();
      const error = await a.result().catch((e: unknown) => e);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await b.result()).build).toMatchObject({ id: 'b1' });
      expect(c.cloud.builds.map((x) => x.status)).toEqual(['SUCCESS']);
    });
  });

  it('a failed build fails every run waiting for it, and a later run builds again', async () => {
    await dev.run(async (c) => {
      c.cloud.knobs.buildOutcome = 'FAILURE';
      c.cloud.knobs.buildChecks = 3;
      const first = await start(c);
      while (c.cloud.builds.length === 0) await new Promise((r) => setTimeout(r, 20));
      const second = await start(c);
      while (c.cloud.count('requestImage') < 2) await new Promise((r) => setTimeout(r, 20));
      const failures = await Promise.all([first, second].map((h) => failureOf(h)));
      expect(failures.map((f) => f.type)).toEqual([ErrorTypes.BuildFailed, ErrorTypes.BuildFailed]);
      expect(failures[0]?.message).toContain("step 'build' failed");
      expect(c.cloud.builds).toHaveLength(1);
      c.cloud.knobs.buildOutcome = 'SUCCESS';
      expect((await (await start(c)).result()).build).toMatchObject({ id: 'b2', reused: false });
    });
  });
});

describe('trainingRun, failures map to ErrorTypes', () => {
  const cases: [string, string, string][] = [
    ['validateRequest', ErrorTypes.InvalidParameters, ErrorTypes.InvalidParameters],
    ['resolveCommit', ErrorTypes.SourceNotFound, ErrorTypes.SourceNotFound],
    ['findImage', ErrorTypes.PermissionDenied, ErrorTypes.PermissionDenied],
    ['compileSpec', ErrorTypes.InvalidArgument, ErrorTypes.InvalidArgument],
    ['uploadSpec', ErrorTypes.PermissionDenied, ErrorTypes.PermissionDenied],
    ['submitPipelineJob', ErrorTypes.InvalidArgument, ErrorTypes.InvalidArgument],
    ['collectOutputs', ErrorTypes.NotFound, ErrorTypes.NotFound],
  ];
  for (const [activity, thrown, expected] of cases) {
    it(`${activity} failing for good with ${thrown} fails the run as ${expected}`, async () => {
      await t.run(
        async (c) => expect((await failureOf(await start(c))).type).toBe(expected),
        (cloud) =>
          cloud.override(
            activity as never,
            (async () => {
              throw ApplicationFailure.nonRetryable(`${activity} refused`, thrown);
            }) as never,
          ),
      );
    });
  }

  it('an unclassified error after the retries is named by its stage (compile → StageFailed)', async () => {
    await t.run(
      async (c) => {
        const failure = await failureOf(await start(c));
        expect(failure.type).toBe(ErrorTypes.StageFailed);
        expect(failure.message).toMatch(/^compile failed: /);
      },
      (cloud) =>
        cloud.override('compileSpec', async () => {
          throw new Error('compiler crashed');
        }),
    );
  });

  it('a build that never ends times out as BuildTimedOut and is cancelled', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.buildChecks = Number.POSITIVE_INFINITY;
      const failure = await failureOf(await start(c));
      expect(failure.type).toBe(ErrorTypes.BuildTimedOut);
      expect(c.cloud.builds[0]?.status).toBe('CANCELLED');
    });
  });

  it('a failed job fails the run as PipelineFailed naming the task', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.jobOutcome = 'PIPELINE_STATE_FAILED';
      const failure = await failureOf(await start(c));
      expect(failure.type).toBe(ErrorTypes.PipelineFailed);
      expect(failure.message).toContain("task 'train' failed: diverged");
    });
  });

  it('a job that never ends times out as PipelineTimedOut, and the job is cancelled', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.jobChecks = Number.POSITIVE_INFINITY;
      const failure = await failureOf(await start(c));
      expect(failure.type).toBe(ErrorTypes.PipelineTimedOut);
      const [job] = [...c.cloud.jobs.values()];
      expect(job?.state).toBe('PIPELINE_STATE_CANCELLED');
    });
  });

  it('a wait that fails for good while the job runs cancels the job', async () => {
    await t.run(
      async (c) => {
        const failure = await failureOf(await start(c));
        expect(failure.type).toBe(ErrorTypes.PermissionDenied);
        expect([...c.cloud.jobs.values()][0]?.state).toBe('PIPELINE_STATE_CANCELLED');
        expect(c.cloud.count('cancelPipelineJob')).toBe(1);
      },
      (cloud) =>
        cloud.override('checkPipelineJob', async () => {
          throw ApplicationFailure.nonRetryable('lost access', ErrorTypes.PermissionDenied);
        }),
    );
  });

  it('a report that cannot be written leaves the run successful, without a report', async () => {
    await t.run(
      async (c) => {
        const result = await (await start(c)).result();
        expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
        expect(result.report).toBeUndefined();
      },
      (cloud) =>
        cloud.override('writeReport', async () => {
          throw ApplicationFailure.nonRetryable('no write access', ErrorTypes.PermissionDenied);
        }),
    );
  });
});

describe('trainingRun, cancellation in every stage stops what it started', () => {
  /** Holds one activity until released, to cancel the run while it is inside. */
  function gate() {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    return { released, release, inside, entered };
  }

  async function cancelledRun(handle: WorkflowHandle): Promise<void> {
    const error = await handle.result().catch((e: unknown) => e);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const status: RunStatus = await handle.query(Queries.status);
    expect(status.stage).toBe('cancelled');
  }

  for (const activity of ['validateRequest', 'resolveCommit', 'compileSpec'] as const) {
    it(`during ${activity}: nothing is submitted`, async () => {
      const g = gate();
      await t.run(
        async (c) => {
          const handle = await start(c);
          await g.inside;
          await handle.cancel();
          await cancelledRun(handle);
          expect(c.cloud.count('submitPipelineJob')).toBe(0);
        },
        (cloud) => {
          cloud.knobs.buildChecks = 1;
          cloud.override(activity, (async () => {
            g.entered();
            // Never finishes by itself: the run's cancel abandons it, the worker's stop cancels it.
            await Context.current().cancelled;
          }) as never);
        },
      );
    });
  }

  for (const activity of ['uploadSpec', 'submitPipelineJob'] as const) {
    it(`during ${activity} (not cancellable): it completes, then no further side effect`, async () => {
      const g = gate();
      await t.run(
        async (c) => {
          const handle = await start(c);
          await g.inside;
          await handle.cancel();
          g.release();
          await cancelledRun(handle);
          if (activity === 'uploadSpec') expect(c.cloud.jobs.size).toBe(0);
          else expect([...c.cloud.jobs.values()].map((j) => j.state)).toEqual(['PIPELINE_STATE_CANCELLED']);
        },
        (cloud) => {
          cloud.knobs.buildChecks = 1;
          const original = cloud.defaults[activity] as (input: never) => Promise<unknown>;
          cloud.override(activity, (async (input: never) => {
            g.entered();
            await g.released;
            return original(input);
          }) as never);
        },
      );
    });
  }

  it('while waiting for the image: the run detaches and the build nobody needs is cancelled', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.buildChecks = Number.POSITIVE_INFINITY;
      const handle = await start(c);
      await stageReached(handle, 'building');
      while (c.cloud.builds.length === 0) await new Promise((r) => setTimeout(r, 20));
      await handle.cancel();
      await cancelledRun(handle);
      while (c.cloud.builds[0]?.status !== 'CANCELLED') await new Promise((r) => setTimeout(r, 20));
      expect(c.cloud.count('releaseImage')).toBe(1);
    });
  });

  it('while the job runs: the job is cancelled before the run reports cancelled', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.buildChecks = 1;
      c.cloud.knobs.jobChecks = Number.POSITIVE_INFINITY;
      const handle = await start(c);
      await stageReached(handle, 'running');
      await handle.cancel();
      await cancelledRun(handle);
      expect([...c.cloud.jobs.values()].map((j) => j.state)).toEqual(['PIPELINE_STATE_CANCELLED']);
    });
  });
});
