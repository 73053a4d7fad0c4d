// Vitest global setup of the `integration` project: bundles the workflows once per test run, as a
// production worker runs them (a prebuilt bundle with the interceptors, `bundleWorkflows`), for every
// test that runs the Conveyor worker. Each such test file used to bundle them itself: 5-20 s of
// webpack on two cores, about a dozen times a run.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../src/worker.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-test-bundle-'));
  const path = join(dir, 'workflow-bundle.js');
  await writeFile(path, await bundleWorkflows());
  project.provide('workflowBundlePath', path);
  return () => rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  interface ProvidedContext {
    /** The workflow bundle of this test run (apps/worker/tests/bundle-setup.ts). */
    workflowBundlePath: string;
  }
}
