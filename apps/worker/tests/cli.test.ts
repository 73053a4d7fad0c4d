// The `conveyor run` / `conveyor runs` commands against a worker on this file's task queue.
import { execFile } from 'node:child_process';

import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineJobIdFor, type TrainingRunResult } from '@conveyor/contracts';
import { startHarness, type Harness } from './harness.ts';
import { waitFor } from './wait.ts';
import { repoPath } from '@conveyor/platform/repo-root';

const exec = promisify(execFile);
const cli = repoPath('apps', 'cli', 'src', 'main.ts');

describe('conveyor run / runs', () => {
  let h: Harness;
  let precompiled: string;
  const conveyor = (...args: string[]) =>
    exec(process.execPath, [cli, ...args], {
      env: { ...process.env, ...h.workerEnv(), CONVEYOR_REPO_URL: h.repo.dir, CONVEYOR_BRANCH: 'main' },
      timeout: 90_000,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: e.code ?? 1,
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? '',
      }),
    );

  beforeAll(async () => {
    h = await startHarness();
    await h.startWorker();
    const first: TrainingRunResult = await (await h.start({})).result();
    precompiled = first.spec.uri;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('run rejects bad parameters before starting anything, naming them', { timeout: 60_000 }, async () => {
    const out = await conveyor(
      'run',
      '--pipeline',
      'penguins',
      '--param',
      'num_epochs=3.5',
      '--param',
      'colour=red',
      '--param',
      'learning_rate=-3',
      '--param',
      'serving_root=gs://attacker/models',
    );
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('num_epochs');
    expect(out.stderr).toContain('colour');
    // Bounds and the trust boundary: the same typing function as the bridge and the worker.
    expect(out.stderr).toContain('learning_rate: expected more than 0 (exclusiveMin), got "-3"');
    expect(out.stderr).toContain('serving_root: is an operator setting');
  });

  it('run --spec --wait --json prints the result', { timeout: 90_000 }, async () => {
    const out = await conveyor(
      'run',
      '--pipeline',
      'tiny',
      '--spec',
      precompiled,
      '--param',
      'num_epochs=6',
      '--wait',
      '--json',
    );
    expect(out.code).toBe(0);
    const printed = JSON.parse(out.stdout) as { status: string; result: TrainingRunResult };
    expect(printed.status).toBe('COMPLETED');
    expect(printed.result.metrics['epochs']).toBe(6);
    expect(printed.result.spec.uri).toBe(precompiled);
  });

  it(
    'runs watch shows stages as plain lines, then the result; show and list find the run',
    { timeout: 90_000 },
    async () => {
      // Long enough that `runs watch` (a fresh Node process, seconds to start on a busy machine) still
      // finds the run going and prints its stages.
      const handle = await h.start({ parameters: { sleep_seconds: 20 } });
      const out = await conveyor('runs', 'watch', handle.workflowId);
      expect(out.code).toBe(0);
      expect(out.stderr).toMatch(/^\[running\]/m);
      expect(out.stdout).toMatch(/^pipeline job +projects\/.*PIPELINE_STATE_SUCCEEDED$/m);
      expect(out.stdout).toMatch(/^metrics +accuracy=/m);
      const show = JSON.parse((await conveyor('runs', 'show', handle.workflowId, '--json')).stdout) as {
        status: string;
      };
      expect(show.status).toBe('COMPLETED');
      await waitFor('the run in the visibility store', 20_000, async () => {
        const list = JSON.parse(
          (await conveyor('runs', 'list', '--pipeline', 'tiny', '--limit', '50', '--json')).stdout,
        ) as { runId: string }[];
        return list.some((r) => r.runId === handle.workflowId);
      });
    },
  );

  it('runs cancel --wait ends the run CANCELLED with its job cancelled', { timeout: 90_000 }, async () => {
    const handle = await h.start({ parameters: { sleep_seconds: 120 } });
    await waitFor('the pipeline to run', 60_000, async () => {
      const d = await handle.describe();
      return d.raw.pendingActivities?.some((a) => a.activityType?.name === 'checkPipelineJob');
    });
    const out = await conveyor('runs', 'cancel', handle.workflowId, '--wait', '--json');
    expect(JSON.parse(out.stdout)).toMatchObject({ runId: handle.workflowId, status: 'CANCELLED' });
    const jobs = await h.vertex.listPipelineJobs();
    const jobId = pipelineJobIdFor(handle.workflowId, handle.firstExecutionRunId);
    expect(jobs.find((j) => j.name.endsWith(`/${jobId}`))?.state).toBe('PIPELINE_STATE_CANCELLED');
  });
});
