import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  buildIdOf,
  processAlive,
  runBuild,
  seconds,
  startTestEmulator,
  type TestEmulator,
} from './harness.ts';

/** Polls `check` every 50 ms until it returns a value or `ms` pass. */
async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

describe('Cloud Build emulator: step scheduling, cancellation, timeouts', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('runs waitFor groups in parallel: overlapping steps really overlap, dependants wait', async () => {
    const { build } = await runBuild(t.client, {
      steps: [
        { id: 'a', name: 'bash', waitFor: ['-'], args: ['-c', 'sleep 2'] },
        { id: 'b', name: 'bash', waitFor: ['-'], args: ['-c', 'sleep 2'] },
        { id: 'c', name: 'bash', waitFor: ['a', 'b'], args: ['-c', 'true'] },
        { id: 'd', name: 'bash', args: ['-c', 'true'] },
      ],
    });
    expect(build.status).toBe('SUCCESS');
    const [a, b, c, d] = (build.steps ?? []).map((s) => ({
      start: seconds(s.timing?.startTime),
      end: seconds(s.timing?.endTime),
    }));
    if (!a || !b || !c || !d) throw new Error('missing steps');
    // a and b overlap: each starts before the other ends.
    expect(a.start).toBeLessThan(b.end);
    expect(b.start).toBeLessThan(a.end);
    expect(c.start).toBeGreaterThanOrEqual(Math.max(a.end, b.end));
    expect(d.start).toBeGreaterThanOrEqual(c.end);
    // Two 2 s steps in parallel: under the 4 s they would take in sequence (slack for a loaded machine).
    expect(seconds(build.finishTime) - seconds(build.startTime)).toBeLessThan(3.8);
  });

  it('rejects a waitFor naming no earlier step', async () => {
    await expect(
      t.client.createBuild({
        projectId: 'test-project',
        build: { steps: [{ name: 'bash', waitFor: ['later'], args: ['-c', 'true'] }] },
      }),
    ).rejects.toMatchObject({ code: 3, message: expect.stringContaining('"later"') });
  });

  it('cancels a running build: CANCELLED, and the step process (and its children) are gone', async () => {
    const [operation] = await t.client.createBuild({
      projectId: 'test-project',
      build: {
        steps: [
          {
            id: 'long',
            name: 'bash',
            args: ['-c', 'sleep 300 & echo $! > child.pid; echo $$$$ > step.pid; wait'],
          },
          { name: 'bash', args: ['-c', 'true'] },
        ],
      },
    });
    const id = buildIdOf(operation) ?? '';
    const workspace = path.join(t.dataDir, 'builds', id, 'workspace');
    const readPid = (file: string) => {
      try {
        const pid = Number(readFileSync(path.join(workspace, file), 'utf8'));
        return pid > 0 ? pid : undefined;
      } catch {
        return undefined;
      }
    };
    const stepPid = await waitFor(() => readPid('step.pid'), 10_000, 'the step to start');
    const childPid = await waitFor(() => readPid('child.pid'), 10_000, 'the child to start');
    expect(processAlive(stepPid)).toBe(true);

    const [cancelled] = await t.client.cancelBuild({ projectId: 'test-project', id });
    expect(cancelled.status).toBe('CANCELLED');
    await expect(operation.promise()).rejects.toMatchObject({ code: 1 });
    // SIGTERM first, SIGKILL after a 2 s grace period: both processes must be gone well within 5 s.
    await waitFor(
      () => (processAlive(stepPid) || processAlive(childPid) ? undefined : true),
      5_000,
      'step processes to exit',
    );
    const [build] = await t.client.getBuild({ projectId: 'test-project', id });
    expect(build.status).toBe('CANCELLED');
    expect(build.steps?.map((s) => s.status)).toEqual(['CANCELLED', 'QUEUED']);
    expect(build.finishTime).toBeTruthy();
  });

  it('cancels through google.longrunning CancelOperation too', async () => {
    const [operation] = await t.client.createBuild({
      projectId: 'test-project',
      build: { steps: [{ name: 'bash', args: ['-c', 'sleep 60'] }] },
    });
    const id = buildIdOf(operation) ?? '';
    await waitFor(
      async () =>
        (await t.client.getBuild({ projectId: 'test-project', id }))[0].status === 'WORKING'
          ? true
          : undefined,
      10_000,
      'WORKING',
    );
    await operation.cancel();
    await expect(operation.promise()).rejects.toMatchObject({ code: 1 });
    const [build] = await t.client.getBuild({ projectId: 'test-project', id });
    expect(build.status).toBe('CANCELLED');
    // Finished builds keep their log but not their workspace.
    expect(existsSync(path.join(t.dataDir, 'builds', id, 'log.txt'))).toBe(true);
    await waitFor(
      () => (existsSync(path.join(t.dataDir, 'builds', id, 'workspace')) ? undefined : true),
      5_000,
      'workspace removal',
    );
  });

  it('ends TIMEOUT when a step exceeds its timeout, and when the build exceeds its own', async () => {
    const step = await runBuild(t.client, {
      steps: [{ id: 'slow', name: 'bash', args: ['-c', 'sleep 30'], timeout: { seconds: 1 } }],
    });
    expect(step.build.status).toBe('TIMEOUT');
    expect(step.build.steps?.[0]?.status).toBe('TIMEOUT');
    expect(step.build.statusDetail).toContain('"slow"');
    expect(seconds(step.build.finishTime) - seconds(step.build.startTime)).toBeLessThan(10);

    const whole = await runBuild(t.client, {
      timeout: { seconds: 1 },
      steps: [{ name: 'bash', args: ['-c', 'sleep 30'] }],
    });
    expect(whole.build.status).toBe('TIMEOUT');
    expect(whole.opError?.code).toBe(4);
  });

  it('lets allowExitCodes take precedence over allowFailure, and rejects script with args', async () => {
    const allowed = await runBuild(t.client, {
      steps: [
        { name: 'bash', allowExitCodes: [3], args: ['-c', 'exit 3'] },
        { name: 'bash', args: ['-c', 'true'] },
      ],
    });
    expect(allowed.build.status).toBe('SUCCESS');
    expect(allowed.build.steps?.map((s) => s.status)).toEqual(['FAILURE', 'SUCCESS']);
    const notListed = await runBuild(t.client, {
      steps: [{ name: 'bash', allowFailure: true, allowExitCodes: [3], args: ['-c', 'exit 4'] }],
    });
    expect(notListed.build.status).toBe('FAILURE');
    await expect(
      t.client.createBuild({
        projectId: 'test-project',
        build: { steps: [{ name: 'bash', script: 'true', args: ['x'] }] },
      }),
    ).rejects.toMatchObject({ code: 3 });
  });

  it('honours dir, env, entrypoint, script and allowFailure', async () => {
    const { build } = await runBuild(t.client, {
      substitutions: { _WHO: 'conveyor' },
      options: { env: ['SHARED=from-options'] },
      steps: [
        {
          name: 'bash',
          dir: 'sub/dir',
          env: ['WHO=${_WHO}'],
          args: ['-c', 'echo "$$WHO $$SHARED" > out.txt'],
        },
        {
          name: 'gcr.io/cloud-builders/docker',
          entrypoint: 'bash',
          args: ['-c', 'cat /workspace/sub/dir/out.txt'],
        },
        {
          name: 'ubuntu',
          script: '#!/usr/bin/env bash\necho "script in $(basename "$PWD") for $_WHO"',
          automapSubstitutions: true,
        },
        { name: 'bash', allowFailure: true, args: ['-c', 'exit 1'] },
      ],
    });
    expect(build.status).toBe('SUCCESS');
    expect(build.steps?.[3]?.status).toBe('FAILURE');
    const log = readFileSync(new URL(build.logUrl ?? ''), 'utf8');
    expect(log).toContain('Step #1: conveyor from-options');
    expect(log).toContain('Step #2: script in workspace for conveyor');
  });

  it('runs python:* steps in the venv cached for the image: pip and scripts see it, not the host Python', async () => {
    const cached = await startTestEmulator({ cacheDir: inject('stack').cacheDir });
    try {
      const { build } = await runBuild(cached.client, {
        steps: [
          {
            name: 'python:3.11',
            args: ['-c', 'import os, sys; print("prefix", sys.prefix, os.environ["VIRTUAL_ENV"])'],
          },
          { name: 'python:3.11', args: ['pip', '--version'] },
        ],
      });
      expect(build.status, build.statusDetail ?? '').toBe('SUCCESS');
      const log = readFileSync(new URL(build.logUrl ?? ''), 'utf8');
      const venvs = path.join(inject('stack').cacheDir, 'python-venvs', 'python_3.11-');
      const prefix = /Step #0: prefix (\S+) (\S+)/.exec(log);
      expect(prefix?.[1]).toContain(venvs);
      expect(prefix?.[2]).toBe(prefix?.[1]);
      expect(log).toMatch(new RegExp(`Step #1: pip .* from ${venvs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      await cached.stop();
    }
  }, 300_000);
});
