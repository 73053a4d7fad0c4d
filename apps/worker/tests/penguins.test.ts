import { execFileSync } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineCatalog } from '@conveyor/activities';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { SweepResult, TrainingRunResult } from '@conveyor/contracts';
import { startTrainingSweep } from '@conveyor/platform';
import { uniqueName } from '@conveyor/testing';
import { startHarness, type Harness } from './harness.ts';
import { waitFor } from './wait.ts';
import { repoRoot } from '@conveyor/platform/repo-root';

/** This checkout: the penguins build clones its current branch (committed code), `main` when detached. */
const branch = (() => {
  const name = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: repoRoot })
    .toString()
    .trim();
  return name === 'HEAD' ? 'main' : name;
})();

describe('penguins end to end', () => {
  let h: Harness;
  beforeAll(async () => {
    // serving_root is an operator setting: the worker's configuration sets it, never the run.
    h = await startHarness({
      catalog: createPipelineCatalog(),
      pollIntervalMs: 1_000,
      pipelineSettings: (root) => ({ penguins: { serving_root: `${root}/serving` } }),
    });
    await h.startWorker();
  });
  afterAll(async () => {
    await h?.close();
  });

  // The build runs `npm ci` for the penguins workspace and bundles it: minutes on a cold cache.
  it('builds the image, trains, evaluates and pushes a model', { timeout: 600_000 }, async () => {
    const handle = await h.start({
      pipeline: 'penguins',
      parameters: { num_epochs: '5', learning_rate: '1e-2' },
      source: { repoUrl: repoRoot, branch },
    });
    const result: TrainingRunResult = await handle.result();
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(result.image?.digest).toMatch(/^sha256:/);
    // The pusher runs inside two conditions (blessed, push): their DAG tasks show as tasks too.
    expect(result.tasks.map((t) => `${t.name}:${t.state}`).sort()).toEqual(
      ['evaluator', 'example-gen', 'if-blessed', 'if-push', 'pusher', 'trainer'].map((n) => `${n}:SUCCEEDED`),
    );
    expect(result.metrics['accuracy']).toBeGreaterThanOrEqual(0.9);
    expect(result.modelUri).toMatch(new RegExp(`^${h.pipelineRoot}/serving/penguins/`));
    // The run report plots the trainer's per-epoch history: one polyline per series, a point per epoch.
    const html = (await h.store.read(result.report?.htmlUri ?? 'gs://missing/report.html')).toString('utf8');
    expect(html).toContain(result.runId);
    for (const name of ['loss', 'accuracy']) {
      const points = new RegExp(`<polyline[^>]*data-series="${name}"[^>]*points="([^"]*)"`).exec(html)?.[1];
      expect(points?.trim().split(/\s+/), `${name} series`).toHaveLength(5);
    }
  });

  // Same commit and build config: the image is adopted, so this is the pipeline's time only.
  it('a model the evaluator does not bless is not pushed: no pusher task, no model URI', async () => {
    const handle = await h.start({
      pipeline: 'penguins',
      parameters: { num_epochs: '1', learning_rate: '0.001' },
      source: { repoUrl: repoRoot, branch },
    });
    const result: TrainingRunResult = await handle.result();
    expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
    expect(result.tasks.map((t) => `${t.name}:${t.state}`).sort()).toEqual([
      'evaluator:SUCCEEDED',
      'example-gen:SUCCEEDED',
      'if-blessed:NOT_TRIGGERED',
      'trainer:SUCCEEDED',
    ]);
    expect(result.metrics['accuracy']).toBeLessThan(0.9);
    expect(result.modelUri).toBeUndefined();
  });

  it(
    'a 2×2 sweep trains every trial on one image, picks the most accurate and promotes only its model',
    { timeout: 600_000 },
    async () => {
      const handle = await startTrainingSweep(
        h.client,
        {
          pipeline: 'penguins',
          source: { repoUrl: repoRoot, branch },
          trigger: { kind: 'manual', id: 'test', at: new Date().toISOString() },
          grid: { num_epochs: [1, 10], learning_rate: [0.001, 0.01] },
          parallel: 2,
        },
        { workflowId: uniqueName('penguins-sweep'), taskQueue: h.taskQueue },
      );
      const result: SweepResult = await handle.result();
      expect(result.trials.map((t) => t.state)).toEqual(Array(4).fill('succeeded'));
      const accuracies = result.trials.map((t) => t.metrics['accuracy'] ?? -1);
      expect(result.best?.metrics['accuracy']).toBe(Math.max(...accuracies));
      // Trials never push (their pusher is not even triggered), and all ran on the sweep's one image.
      for (const trial of result.trials) {
        const run: TrainingRunResult = await h.client.workflow.getHandle(trial.runId).result();
        expect(run.image?.digest).toBe(result.image.digest);
        expect(run.build?.id).toBe(result.image.buildId);
        expect(run.modelUri).toBeUndefined();
        expect(run.tasks.find((t) => t.name === 'if-push')?.state).not.toBe('SUCCEEDED');
      }
      // Only the best is promoted: LATEST points at the sweep's version, which holds the best's files.
      const serving = `${h.pipelineRoot}/serving/penguins`;
      expect(result.promoted?.uri).toBe(`${serving}/${handle.workflowId}`);
      const latest = JSON.parse((await h.store.read(`${serving}/LATEST`)).toString('utf8')) as {
        version: string;
        accuracy: number;
      };
      expect(latest).toMatchObject({
        version: handle.workflowId,
        accuracy: result.best?.metrics['accuracy'],
      });
      const promotedFiles = await h.store.list(result.promoted?.uri ?? '');
      const bestFiles = await h.store.list(result.best?.modelArtifactUri ?? '');
      expect(promotedFiles.length).toBe(bestFiles.length);
      expect(promotedFiles.length).toBeGreaterThan(0);
      const versions = new Set(
        (await h.store.list(serving))
          .map((u) => u.slice(serving.length + 1).split('/')[0])
          .filter((v) => v !== 'LATEST'),
      );
      for (const trial of result.trials) expect(versions.has(trial.runId)).toBe(false);
      const report = (await h.store.read(result.report?.htmlUri ?? 'gs://missing/x')).toString('utf8');
      expect(report).toContain(handle.workflowId);
    },
  );

  it('cancelling a sweep mid-way leaves no pipeline job running', { timeout: 600_000 }, async () => {
    const handle = await startTrainingSweep(
      h.client,
      {
        pipeline: 'penguins',
        source: { repoUrl: repoRoot, branch },
        trigger: { kind: 'manual', id: 'test', at: new Date().toISOString() },
        grid: { num_epochs: [800, 900, 1000], learning_rate: [0.001] },
        parallel: 2,
      },
      { workflowId: uniqueName('penguins-sweep'), taskQueue: h.taskQueue },
    );
    const trialJobs = async () =>
      (await h.vertex.listPipelineJobs()).filter((j) => j.name.includes(handle.workflowId.toLowerCase()));
    await waitFor('two trial jobs to run', 120_000, async () => {
      const jobs = await trialJobs();
      return jobs.filter((j) => j.state === 'PIPELINE_STATE_RUNNING').length === 2;
    });
    await handle.cancel();
    const error = await handle.result().catch((e: unknown) => e);
    expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    const jobs = await trialJobs();
    expect(jobs.length).toBe(2);
    expect(jobs.map((j) => j.state)).toEqual(Array(2).fill('PIPELINE_STATE_CANCELLED'));
  });
});
