// `conveyor runs cleanup`: after `temporal workflow terminate` (which runs no cleanup code) the run's
// pipeline job and the image workflow's build go on; cleanup cancels them, and never touches the
// cloud work of a run that is still going.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTagFor, ownerTagsFor, Queries, type RunStatus } from '@conveyor/contracts';
import { CloudBuild, VertexPipelines } from '@conveyor/gcp';
import { uniqueName } from '@conveyor/testing';
import type { CleanupReport } from '../src/runs/cleanup.ts';
import type { StartedRun } from '../src/commands/run.ts';
import {
  conveyorJson,
  conveyorRaw,
  eventually,
  repoRoot,
  stack,
  temporalCli,
  temporalClient,
} from './support.ts';

const SLEEP_SPEC = join(repoRoot, 'apps', 'cli', 'tests', 'fixtures', 'sleep.yaml');

let connection: Connection;
let client: Client;
let vertex: VertexPipelines;
let builds: CloudBuild;
beforeAll(async () => {
  ({ connection, client } = await temporalClient());
  const s = stack();
  if (!s.emulator) throw new Error('the stack runs no Cloud Build / Vertex emulator');
  const endpoint = { kind: 'emulator', host: s.emulator.host, port: s.emulator.port } as const;
  vertex = new VertexPipelines({ projectId: s.pubsub.projectId, region: 'us-central1', endpoint });
  builds = new CloudBuild({ projectId: s.pubsub.projectId, endpoint });
});
afterAll(async () => {
  await vertex?.close();
  await builds?.close();
  await connection?.close();
});

/** Starts a run whose pipeline job sleeps, and waits until the job runs; returns the run and job names. */
async function runningJob(): Promise<{ runId: string; job: string }> {
  const started = await conveyorJson<StartedRun>(['run', '--spec', SLEEP_SPEC, '--param', 'seconds=600']);
  const handle = client.workflow.getHandle(started.runId);
  let job = '';
  await eventually(
    async () => {
      const status = await handle.query<RunStatus>(Queries.status).catch(() => undefined);
      job = status?.pipelineJob ?? '';
      return job !== '' && (await vertex.getPipelineJob(job)).state === 'PIPELINE_STATE_RUNNING';
    },
    120_000,
    `the pipeline job of ${started.runId} to run`,
  );
  return { runId: started.runId, job };
}

async function jobState(name: string): Promise<string> {
  return (await vertex.getPipelineJob(name)).state;
}

describe('conveyor runs cleanup', () => {
  it(
    'cancels the job of a terminated run, and never the job of a run still going',
    { timeout: 300_000 },
    async () => {
      const [terminated, alive] = await Promise.all([runningJob(), runningJob()]);
      await temporalCli([
        'workflow',
        'terminate',
        '--workflow-id',
        terminated.runId,
        '--reason',
        'cleanup test',
      ]);
      // Terminate ran no code of the run: its job goes on.
      await sleep(2_000);
      expect(await jobState(terminated.job)).toBe('PIPELINE_STATE_RUNNING');

      const dry = await conveyorJson<CleanupReport>(['runs', 'cleanup', '--dry-run']);
      expect(dry.dryRun).toBe(true);
      expect(dry.cancelled).toContainEqual(
        expect.objectContaining({
          kind: 'job',
          id: terminated.job,
          owner: terminated.runId,
          ownerStatus: 'TERMINATED',
        }),
      );
      expect(dry.kept).toContainEqual(
        expect.objectContaining({
          kind: 'job',
          id: alive.job,
          owner: alive.runId,
          ownerStatus: 'RUNNING',
          action: 'keep',
        }),
      );
      expect(dry.cancelled.map((w) => w.id)).not.toContain(alive.job);
      const dryText = await conveyorRaw(['runs', 'cleanup', '--dry-run']);
      expect(dryText.stdout).toContain(`would cancel job ${terminated.job}`);
      expect(await jobState(terminated.job)).toBe('PIPELINE_STATE_RUNNING');

      const done = await conveyorJson<CleanupReport>(['runs', 'cleanup']);
      expect(done.dryRun).toBe(false);
      expect(done.cancelled.map((w) => w.id)).toContain(terminated.job);
      await eventually(
        async () => (await jobState(terminated.job)) === 'PIPELINE_STATE_CANCELLED',
        60_000,
        'the job cancelled',
      );
      expect(await jobState(alive.job)).toBe('PIPELINE_STATE_RUNNING');

      // The live run is cancelled the normal way: exit 4, its job cancelled by the run itself.
      const cancel = await conveyorRaw(['runs', 'cancel', alive.runId, '--wait']);
      expect(cancel.code).toBe(4);
      expect(await jobState(alive.job)).toBe('PIPELINE_STATE_CANCELLED');
    },
  );

  it(
    'cancels the build of a terminated image workflow, and not while it runs',
    { timeout: 180_000 },
    async () => {
      // An image workflow that owns a build: nothing polls its task queue, so it stays RUNNING until terminated.
      const owner = uniqueName('image-cleanup');
      const handle = await client.workflow.start('imageBuild', {
        taskQueue: uniqueName('nobody'),
        workflowId: owner,
        args: [],
      });
      const build = await builds.createBuild({
        steps: [{ name: 'bash', args: ['-c', 'sleep 600'] }],
        tags: ['conveyor', ...ownerTagsFor(owner), buildTagFor(owner, handle.firstExecutionRunId)],
      });
      await eventually(
        async () => ['QUEUED', 'WORKING'].includes((await builds.getBuild(build.id)).status),
        30_000,
        'the build',
      );

      const before = await conveyorJson<CleanupReport>(['runs', 'cleanup']);
      expect(before.kept).toContainEqual(
        expect.objectContaining({
          kind: 'build',
          id: build.id,
          owner,
          ownerStatus: 'RUNNING',
          action: 'keep',
        }),
      );
      expect(before.cancelled.map((w) => w.id)).not.toContain(build.id);

      await handle.terminate('cleanup test');
      const dry = await conveyorJson<CleanupReport>(['runs', 'cleanup', '--dry-run']);
      expect(dry.cancelled).toContainEqual(
        expect.objectContaining({ kind: 'build', id: build.id, owner, ownerStatus: 'TERMINATED' }),
      );
      await conveyorJson<CleanupReport>(['runs', 'cleanup']);
      await eventually(
        async () => (await builds.getBuild(build.id)).status === 'CANCELLED',
        60_000,
        'the build cancelled',
      );
    },
  );
});
