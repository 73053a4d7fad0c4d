// `imageBuild` on its own, on the time-skipping test server with stub activities: lookup, build,
// failure types, the build stopped on every way out, and subscribers answered or detached.
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ErrorTypes,
  imageWorkflowIdFor,
  Signals,
  WorkflowTypes,
  type BuiltImage,
  type ImageBuildInput,
} from '@conveyor/contracts';
import { workflowTestEnv, type Case } from './support/env.ts';
import { CONFIG_SHA, DIGEST, keyOf } from './support/fake-cloud.ts';

/** A subscriber that never existed: answering it must not fail the image build. */
const GONE = { workflowId: 'gone-run', runId: '00000000-0000-4000-8000-000000000000' };

let t: Awaited<ReturnType<typeof workflowTestEnv>>;
beforeAll(async () => {
  t = await workflowTestEnv();
}, 120_000);
afterAll(async () => t?.close());

/** Starts the image workflow of the case's commit with a subscriber that does not exist. */
async function startImage(
  c: Case,
  over: Partial<ImageBuildInput> = {},
): Promise<WorkflowHandle<(i: ImageBuildInput) => Promise<BuiltImage>>> {
  const input: ImageBuildInput = {
    pipeline: 'tiny',
    source: { repoUrl: '/repo', branch: 'main', commit: c.cloud.commit },
    configSha256: CONFIG_SHA,
    repository: 'reg',
    rebuild: false,
    ...over,
  };
  return c.env.client.workflow.signalWithStart(WorkflowTypes.imageBuild, {
    taskQueue: c.taskQueue,
    workflowId: imageWorkflowIdFor(keyOf('tiny', c.cloud.commit)),
    args: [input],
    signal: Signals.imageSubscribe,
    signalArgs: [GONE],
  }) as never;
}

async function failureType(handle: WorkflowHandle): Promise<string | undefined> {
  const error = await handle.result().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  return ((error as WorkflowFailedError).cause as ApplicationFailure).type ?? undefined;
}

describe('imageBuild', () => {
  it('adopts an image the lookup finds: no build', async () => {
    await t.run(async (c) => {
      const id = imageWorkflowIdFor(keyOf('tiny', c.cloud.commit));
      c.cloud.images.set(id, { uri: 'reg/tiny:x', digest: DIGEST, buildId: 'old', logUrl: '', reused: true });
      const image = await (await startImage(c)).result();
      expect(image).toMatchObject({ buildId: 'old', reused: true });
      expect(c.cloud.count('startBuild')).toBe(0);
    });
  });

  it('builds when asked to rebuild even though an image exists, and answers a gone subscriber without failing', async () => {
    await t.run(async (c) => {
      const id = imageWorkflowIdFor(keyOf('tiny', c.cloud.commit));
      c.cloud.images.set(id, { uri: 'reg/tiny:x', digest: DIGEST, buildId: 'old', logUrl: '', reused: true });
      const image = await (await startImage(c, { rebuild: true })).result();
      expect(image).toMatchObject({ buildId: 'b1', reused: false, digest: DIGEST });
      expect(c.cloud.count('findImage')).toBe(0);
    });
  });

  for (const [outcome, type] of [
    ['FAILURE', ErrorTypes.BuildFailed],
    ['TIMEOUT', ErrorTypes.BuildTimedOut],
  ] as const) {
    it(`a build ending ${outcome} fails it as ${type}`, async () => {
      await t.run(async (c) => {
        c.cloud.knobs.buildOutcome = outcome;
        expect(await failureType(await startImage(c))).toBe(type);
      });
    });
  }

  it('a build cancelled outside Conveyor fails it as BuildCancelled', async () => {
    await t.run(
      async (c) => {
        expect(await failureType(await startImage(c))).toBe(ErrorTypes.BuildCancelled);
      },
      (cloud) =>
        cloud.override('checkBuild', async (input) => {
          const out = await cloud.defaults.checkBuild(input).catch(() => undefined);
          return {
            ...(out ?? { id: input.buildId, logUrl: '', steps: [], statusDetail: '' }),
            status: 'CANCELLED',
          };
        }),
    );
  });

  it('the wait running out of its 2 hours fails it as BuildTimedOut and cancels the build', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.buildChecks = Number.POSITIVE_INFINITY;
      expect(await failureType(await startImage(c))).toBe(ErrorTypes.BuildTimedOut);
      expect(c.cloud.builds.map((b) => b.status)).toEqual(['CANCELLED']);
      expect(c.cloud.count('cancelBuild')).toBe(1);
    });
  });

  it('a failed start (no build config) fails it with the activity’s type', async () => {
    await t.run(
      async (c) => {
        expect(await failureType(await startImage(c))).toBe(ErrorTypes.BuildFailed);
        expect(c.cloud.builds).toHaveLength(0);
      },
      (cloud) =>
        cloud.override('startBuild', async () => {
          throw ApplicationFailure.nonRetryable(
            'apps/tiny/cloudbuild.yaml not found',
            ErrorTypes.BuildFailed,
          );
        }),
    );
  });

  it('ignores a malformed subscriber instead of failing its tasks forever', async () => {
    await t.run(async (c) => {
      const handle = await startImage(c);
      await handle.signal(Signals.imageSubscribe, { workflowId: 'junk', runId: 'not-a-uuid' } as never);
      expect(await handle.result()).toMatchObject({ buildId: 'b1' });
    });
  });

  it('every subscriber leaving cancels the build nobody needs', async () => {
    await t.run(async (c) => {
      c.cloud.knobs.buildChecks = Number.POSITIVE_INFINITY;
      const handle = await startImage(c);
      while (c.cloud.builds.length === 0) await new Promise((r) => setTimeout(r, 20));
      await handle.signal(Signals.imageUnsubscribe, GONE);
      expect(await failureType(handle)).toBe(ErrorTypes.BuildCancelled);
      expect(c.cloud.builds.map((b) => b.status)).toEqual(['CANCELLED']);
    });
  });
});

describe('imageBuild on the dev server', () => {
  // The time-skipping test server never completes an image build cancelled while it signals its
  // subscribers (seen with 1.40.0); the dev server is the real thing.
  let dev: Awaited<ReturnType<typeof workflowTestEnv>>;
  beforeAll(async () => {
    dev = await workflowTestEnv('dev');
  }, 120_000);
  afterAll(async () => dev?.close());

  it('cancelling the workflow cancels its build and ends it cancelled', async () => {
    await dev.run(async (c) => {
      c.cloud.knobs.buildChecks = Number.POSITIVE_INFINITY;
      const handle = await startImage(c);
      while (c.cloud.builds.length === 0) await new Promise((r) => setTimeout(r, 20));
      await handle.cancel();
      const error = await handle.result().catch((e: unknown) => e);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect(c.cloud.builds.map((b) => b.status)).toEqual(['CANCELLED']);
    });
  });
});
