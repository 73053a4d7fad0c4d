import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorTypes, Queries, type RunStatus, type TrainingRunResult } from '@conveyor/contracts';
import { startTrainingSweep } from '@conveyor/platform';
import { uniqueName } from '@conveyor/testing';
import { startHarness, type Harness } from './harness.ts';
import { recordHistory } from './record.ts';

describe('trainingRun on the emulators', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('builds, compiles, uploads, submits and collects: a full result', { timeout: 90_000 }, async () => {
    const handle = await h.start({ parameters: { num_epochs: '8' } });
    const result: TrainingRunResult = await handle.result();
    expect(result.commit).toBe(h.repo.head);
    expect(result.build?.id).toBeTruthy();
    expect(result.image?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.spec.uri).toMatch(new RegExp(`^${h.pipelineRoot}/specs/[0-9a-f]{64}\\.json$`));
    expect(result.spec.uri).toContain(result.spec.sha256);
    expect(result.pipelineJob).toMatch(/\/pipelineJobs\/tiny-/);
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(result.tasks).toEqual([{ name: 'train', state: 'SUCCEEDED' }]);
    expect(result.parameters).toEqual({ num_epochs: 8, sleep_seconds: 0, fail: false });
    expect(result.metrics['accuracy']).toBeCloseTo(0.9);
    expect(result.modelUri).toMatch(/^gs:\/\/tiny-serving\/tiny\//);
    expect(result.estimatedCost.usd).toBeGreaterThan(0);
    expect(Object.keys(result.timings)).toEqual(expect.arrayContaining(['building', 'running']));
    // The spec in GCS is the one compiled for the built image, pinned by digest.
    const spec = JSON.parse((await h.store.read(result.spec.uri)).toString('utf8')) as {
      deploymentSpec: unknown;
    };
    expect(JSON.stringify(spec.deploymentSpec)).toContain(`@${result.image?.digest}`);
    const status: RunStatus = await handle.query(Queries.status);
    expect(status.stage).toBe('succeeded');
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe('tiny · num_epochs=8 · manual');
    await recordHistory(handle, 'succeeded');
    // The image came from the one imageBuild of this commit, which built it.
    const image = h.client.workflow.getHandle(h.imageWorkflowIdOf(result.commit ?? ''));
    expect(await image.result()).toMatchObject({ buildId: result.build?.id, reused: false });
    await recordHistory(image, 'image-build');
  });

  it('a tiny sweep: one image, a child run per trial, the best picked', { timeout: 120_000 }, async () => {
    const handle = await startTrainingSweep(
      h.client,
      {
        pipeline: 'tiny',
        source: { repoUrl: h.repo.dir, branch: 'main' },
        trigger: { kind: 'manual', id: 'test', at: new Date().toISOString() },
        grid: { num_epochs: [1, 6] },
      },
      { workflowId: uniqueName('tiny-sweep'), taskQueue: h.taskQueue },
    );
    const result = await handle.result();
    expect(result.best?.parameters).toEqual({ num_epochs: 6 });
    // The tiny pipeline declares no model convention: nothing to promote, and it says so.
    expect(result.notPromoted).toContain('declares no model');
    const visibility = await handle.describe();
    expect(await visibility.staticSummary()).toBe('tiny sweep · num_epochs∈{1,6} · manual');
    await recordHistory(handle, 'sweep');
    await recordHistory(h.client.workflow.getHandle(result.trials[0]?.runId ?? ''), 'sweep-trial');
  });

  it('submits a precompiled spec as it is (request.spec): no build', { timeout: 90_000 }, async () => {
    const first = await (await h.start({ parameters: { num_epochs: 3 } })).result();
    const buildsBefore = (await h.builds.listBuildsByTag('conveyor')).length;
    const handle = await h.start({ spec: first.spec.uri, parameters: { num_epochs: 4 } });
    const result = await handle.result();
    await recordHistory(handle, 'precompiled-spec');
    expect(result.build).toBeUndefined();
    // The run record carries the sha256 of the spec bytes it validated and submitted.
    expect(result.spec).toEqual({ uri: first.spec.uri, sha256: first.spec.sha256 });
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(result.parameters).toMatchObject({ num_epochs: 4 });
    expect(result.metrics).toMatchObject({ epochs: 4 });
    expect((await h.builds.listBuildsByTag('conveyor')).length).toBe(buildsBefore);
  });

  it(
    'refuses a precompiled spec outside the allowed buckets before reading it',
    { timeout: 90_000 },
    async () => {
      const handle = await h.start({ spec: 'gs://someone-elses-bucket/specs/x.json' });
      const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
      const cause = error.cause as { type?: string; message: string };
      expect(cause.type).toBe(ErrorTypes.InvalidRequest);
      expect(cause.message).toBe(
        `validation failed: spec: gs://someone-elses-bucket/specs/x.json is outside the allowed locations (gs://${h.pipelineRoot.split('/')[2]}/)`,
      );
    },
  );

  it('fails on invalid parameters before any build, naming the parameter', { timeout: 90_000 }, async () => {
    const handle = await h.start({ parameters: { num_epochs: '3.5', colour: 'red' } });
    const error = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
    expect(cause.type).toBe(ErrorTypes.InvalidParameters);
    expect(cause.message).toContain('num_epochs');
    expect(cause.message).toContain('colour');
    await recordHistory(handle, 'invalid-parameters');
    // Nothing after validation was even looked for: no image lookup, no build.
    const scheduled = ((await handle.fetchHistory()).events ?? []).flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    expect(scheduled).toEqual(['validateRequest']);
  });

  it(
    'a failing build step ends the run BuildFailed naming the step and its log',
    { timeout: 90_000 },
    async () => {
      const handle = await h.start({ source: { repoUrl: h.repo.dir, branch: 'broken' } });
      const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
      const cause = error.cause as { type?: string; message: string };
      expect(cause.type).toBe(ErrorTypes.BuildFailed);
      expect(cause.message).toContain("step 'unit-tests' failed");
      expect(cause.message).toMatch(/log: \S+/);
      await recordHistory(handle, 'build-failed');
      const commit = (await h.builds.listBuildsByTag('conveyor'))
        .find((b) => b.status === 'FAILURE')
        ?.tags.find((t) => t.startsWith('commit-'))
        ?.slice('commit-'.length);
      await recordHistory(
        h.client.workflow.getHandle(h.imageWorkflowIdOf(commit ?? '')),
        'image-build-failed',
      );
    },
  );

  it('a failing pipeline task ends the run PipelineFailed naming the task', { timeout: 90_000 }, async () => {
    const handle = await h.start({ parameters: { fail: 'true' } });
    const error = (await handle.result().catch((e: unknown) => e)) as WorkflowFailedError;
    const cause = error.cause as { type?: string; message: string };
    expect(cause.type).toBe(ErrorTypes.PipelineFailed);
    expect(cause.message).toContain("task 'train' failed");
    expect(cause.message).toMatch(
      /log: https:\/\/console\.cloud\.google\.com\/vertex-ai\/locations\/us-central1\/pipelines\/runs\/tiny-/,
    );
    await recordHistory(handle, 'pipeline-failed');
  });
});
