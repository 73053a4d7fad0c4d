// Failing tasks, retries, unknown images and cancellation, through the official Vertex client.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@conveyor/testing';
import { linearSpec } from './specs.ts';
import {
  localLog,
  readGcs,
  startVertex,
  submit,
  task,
  waitFor,
  waitForFile,
  type VertexHarness,
} from './harness.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Vertex emulator: failures and cancellation', () => {
  let h: VertexHarness;
  let scratch: string;
  beforeAll(async () => {
    h = await startVertex();
    scratch = await mkdtemp(join(tmpdir(), 'vertex-scratch-'));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a failing task fails the job, names the task and its log; downstream tasks do not run', async () => {
    const spec = linearSpec([
      // Listed before its upstream on purpose: the scheduler must still settle it.
      {
        name: 'notify',
        args: ['branch', '--label', 'n', '--ms', '10', '--out-file', '/dev/null'],
        after: ['push'],
      },
      { name: 'prepare', args: ['branch', '--label', 'p', '--ms', '10', '--out-file', '/dev/null'] },
      { name: 'train', args: ['fail', '--reason', 'loss-is-nan'], after: ['prepare'] },
      {
        name: 'side',
        args: ['branch', '--label', 's', '--ms', '300', '--out-file', '/dev/null'],
        after: ['prepare'],
      },
      {
        name: 'push',
        args: ['branch', '--label', 'x', '--ms', '10', '--out-file', '/dev/null'],
        after: ['train'],
      },
    ]);
    const created = await submit(h, uniqueName('fails'), spec);
    const job = await waitFor(h, created.name!);
    expect(job.state).toBe('PIPELINE_STATE_FAILED');
    expect(job.error?.message).toContain('The failed tasks are: [train]');
    expect(job.error?.message).toContain('exited with code 3');
    expect(task(job, 'train').state).toBe('FAILED');
    const taskError = task(job, 'train').error?.message ?? '';
    expect(taskError).toContain('loss-is-nan');
    // Independent work finishes (Vertex's default fail-slow policy); dependants never start.
    expect(task(job, 'side').state).toBe('SUCCEEDED');
    expect(task(job, 'push').state).toBe('CANCELLED');
    expect(task(job, 'push').startTime).toBeFalsy();
    expect(task(job, 'notify').state).toBe('CANCELLED');
    expect(task(job, 'push').error?.message).toContain('upstream task "train" did not succeed');
    // The error points at the log, which is in GCS and on disk.
    const logUri = /Log: (gs:\/\/\S+)/.exec(taskError)?.[1];
    const logPath = /\(local: ([^)]+)\)/.exec(taskError)?.[1];
    expect(await readGcs(h.gcsEndpoint, logUri!)).toContain('fixture task failing on purpose: loss-is-nan');
    expect(await readFile(logPath!, 'utf8')).toContain('loss-is-nan');
  });

  it('settles every dependant of a failed task, whatever the order tasks are listed in', async () => {
    const quick = ['branch', '--label', 'q', '--ms', '10', '--out-file', '/dev/null'];
    const spec = linearSpec([
      { name: 'last', args: quick, after: ['middle'] },
      { name: 'middle', args: quick, after: ['first'] },
      { name: 'first', args: ['fail'] },
    ]);
    const job = await waitFor(h, (await submit(h, uniqueName('order'), spec)).name!);
    expect(job.state).toBe('PIPELINE_STATE_FAILED');
    expect(['first', 'middle', 'last'].map((t) => task(job, t).state)).toEqual([
      'FAILED',
      'CANCELLED',
      'CANCELLED',
    ]);
  });

  it('an unknown image fails the task with a message naming the image', async () => {
    const spec = linearSpec([
      { name: 'ghost', args: ['echo'], image: 'us-docker.pkg.dev/nope/repo/ghost:1' },
    ]);
    const job = await waitFor(h, (await submit(h, uniqueName('ghost'), spec)).name!);
    expect(job.state).toBe('PIPELINE_STATE_FAILED');
    expect(task(job, 'ghost').error?.message).toContain(
      'image "us-docker.pkg.dev/nope/repo/ghost:1" is not in the local image store',
    );
  });

  it('honours the task retry policy', async () => {
    const marker = join(scratch, `${uniqueName('marker')}`);
    const spec = linearSpec([
      {
        name: 'flaky',
        args: ['flaky', '--marker', marker],
        retry: { maxRetryCount: 2, backoffDuration: '0.2s', backoffFactor: 2 },
      },
    ]);
    const job = await waitFor(h, (await submit(h, uniqueName('retry'), spec)).name!);
    expect(job.state).toBe('PIPELINE_STATE_SUCCEEDED');
    const log = await localLog(h, job, 'flaky');
    expect(log).toContain('first attempt fails');
    expect(log).toContain('second attempt succeeds');
  });

  it('without a retry policy the same task fails', async () => {
    const marker = join(scratch, `${uniqueName('marker')}`);
    const job = await waitFor(
      h,
      (
        await submit(
          h,
          uniqueName('noretry'),
          linearSpec([{ name: 'flaky', args: ['flaky', '--marker', marker] }]),
        )
      ).name!,
    );
    expect(job.state).toBe('PIPELINE_STATE_FAILED');
  });

  it('cancel mid-run: CANCELLING, then CANCELLED, and the task process is killed', async () => {
    const pidFile = join(scratch, `${uniqueName('pid')}`);
    const spec = linearSpec([
      { name: 'long', args: ['sleep', '--pid-file', pidFile, '--ms', '60000'] },
      {
        name: 'after',
        args: ['branch', '--label', 'x', '--ms', '10', '--out-file', '/dev/null'],
        after: ['long'],
      },
    ]);
    const created = await submit(h, uniqueName('cancel'), spec);
    await waitFor(
      h,
      created.name!,
      (j) => j.jobDetail?.taskDetails?.some((t) => t.taskName === 'long' && t.state === 'RUNNING') === true,
      20_000,
    );
    const pid = Number(await waitForFile(pidFile));
    expect(alive(pid)).toBe(true);
    await h.client.cancelPipelineJob({ name: created.name });
    const [right] = await h.client.getPipelineJob({ name: created.name });
    expect(['PIPELINE_STATE_CANCELLING', 'PIPELINE_STATE_CANCELLED']).toContain(right.state);
    const job = await waitFor(h, created.name!, undefined, 20_000);
    expect(job.state).toBe('PIPELINE_STATE_CANCELLED');
    expect(job.error?.code).toBe(1);
    expect(task(job, 'long').state).toBe('CANCELLED');
    expect(task(job, 'after').state).toBe('CANCELLED');
    expect(alive(pid)).toBe(false);
    // Cancelling a finished job is refused.
    await expect(h.client.cancelPipelineJob({ name: created.name })).rejects.toMatchObject({ code: 9 });
  });
});

/** The task's local log: `<dataDir>/vertex/jobs/<jobId>/<taskName>_<taskId>/task.log`. */
