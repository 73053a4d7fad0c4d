import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipelineCatalog } from '@conveyor/activities';
import type { TrainingRunResult } from '@conveyor/contracts';
import { startHarness, type Harness } from './harness.ts';

/** This checkout: the penguins build clones its current branch (committed code), `main` when detached. */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
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
      parameters: { num_epochs: '1', learning_rate: '0.001', serving_root: `${h.pipelineRoot}/serving` },
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
});
