import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { pipelineJobIdFor } from '@conveyor/contracts';
import { startHarness, type Harness } from './harness.ts';
import { waitFor } from './wait.ts';

const workerScript = join(dirname(fileURLToPath(import.meta.url)), 'tiny-worker.ts');

/** Starts the worker as a child process; resolves once it polls. */
async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [workerScript], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('tiny-worker ready')) resolve();
    });
  });
  return child;
}

async function kill9(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('a worker killed with SIGKILL and restarted', () => {
  let h: Harness;
  let worker: ChildProcess | undefined;
  let bundlePath: string;
  beforeAll(async () => {
    h = await startHarness();
    // The run's prebuilt bundle (bundle-setup.ts): each restarted worker starts in a second instead
    // of re-bundling (10-20 s on a loaded 2-core machine), as a production worker does.
    bundlePath = inject('workflowBundlePath');
  }, 300_000);
  // Each test ends with a live worker: stop it, or it outlives the suite and (holding vitest's
  // stderr pipe) keeps the test run from exiting.
  afterEach(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) await kill9(worker);
    worker = undefined;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Every build of the commit's image and every pipeline job of the workflow execution. */
  async function external(commit: string, workflowId: string, runId: string) {
    const builds = await h.buildsOf(commit);
    const jobs = (await h.vertex.listPipelineJobs()).filter((j) =>
      j.name.endsWith(`/${pipelineJobIdFor(workflowId, runId)}`),
    );
    return { builds, jobs };
  }

  it(
    'during the build and again during the wait: one build, one job, run succeeds',
    { timeout: 240_000 },
    async () => {
      const jobsBefore = (await h.vertex.listPipelineJobs()).length;
      const buildsBefore = (await h.builds.listBuildsByTag('conveyor')).length;
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });
      const { branch, commit } = h.freshBranch('slow-8');
      const handle = await h.start({
        source: { repoUrl: h.repo.dir, branch },
        parameters: { sleep_seconds: 6 },
      });
      await waitFor(
        'the build to be WORKING',
        30_000,
        async () => (await h.buildsOf(commit))[0]?.status === 'WORKING',
      );
      await kill9(worker);
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });

      const name = h.vertex.jobName(pipelineJobIdFor(handle.workflowId, handle.firstExecutionRunId));
      await waitFor('the train task to run', 60_000, async () =>
        (await h.vertex.getPipelineJob(name)).tasks.some((t) => t.name === 'train' && t.state === 'RUNNING'),
      );
      // The prebuilt bundle's source map carries mappings without sources: stack traces still name
      // the TypeScript lines the run waits on, not positions in the bundle.
      const trace = await handle.query<string>('__stack_trace');
      expect(trace).toMatch(/libs\/workflows\/src\/[a-z-]+\.ts:\d+:\d+/);
      expect(trace).not.toMatch(/workflow-bundle[^\n]*\.js:\d+/);
      await kill9(worker);
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });

      const result = await handle.result();
      expect(result.state).toBe('PIPELINE_STATE_SUCCEEDED');
      const { builds, jobs } = await external(commit, handle.workflowId, handle.firstExecutionRunId);
      expect(builds).toHaveLength(1);
      expect(jobs).toHaveLength(1);
      // Nothing else was created in this emulator by the retries either.
      expect((await h.builds.listBuildsByTag('conveyor')).length - buildsBefore).toBe(1);
      expect((await h.vertex.listPipelineJobs()).length - jobsBefore).toBe(1);
    },
  );

  it(
    'during a build three runs share: still one build, and every run completes',
    { timeout: 240_000 },
    async () => {
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });
      const { branch, commit } = h.freshBranch('slow-8');
      const handles = await Promise.all(
        Array.from({ length: 3 }, () => h.start({ source: { repoUrl: h.repo.dir, branch } })),
      );
      await waitFor(
        'the shared build to be WORKING',
        30_000,
        async () => (await h.buildsOf(commit))[0]?.status === 'WORKING',
      );
      await kill9(worker);
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });
      const results = await Promise.all(handles.map((x) => x.result()));
      expect(results.map((r) => r.state)).toEqual(Array(3).fill('PIPELINE_STATE_SUCCEEDED'));
      const builds = await h.buildsOf(commit);
      expect(builds).toHaveLength(1);
      expect(new Set(results.map((r) => r.build?.id))).toEqual(new Set([builds[0]?.id]));
    },
  );

  it(
    'a graceful stop (SIGTERM) during the build cancels nothing: the build goes on, the run completes',
    { timeout: 120_000 },
    async () => {
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });
      const { branch, commit } = h.freshBranch('slow-8');
      const handle = await h.start({ source: { repoUrl: h.repo.dir, branch } });
      await waitFor(
        'the build to be WORKING',
        30_000,
        async () => (await h.buildsOf(commit))[0]?.status === 'WORKING',
      );
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
      expect((await h.buildsOf(commit))[0]?.status).not.toBe('CANCELLED');
      worker = await startWorkerProcess({ ...h.workerEnv(), CONVEYOR_WORKFLOW_BUNDLE: bundlePath });
      expect((await handle.result()).state).toBe('PIPELINE_STATE_SUCCEEDED');
      expect(await h.buildsOf(commit)).toHaveLength(1);
    },
  );
});
