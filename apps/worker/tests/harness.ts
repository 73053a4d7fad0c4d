// Integration harness: the stack's Temporal dev server and fake GCS, an in-process Cloud Build +
// Vertex emulator on port 0, a scratch git repository holding the tiny pipeline, and a worker on a
// task queue unique to the test file (so no other worker picks up its tasks).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { pino } from 'pino';
import { inject } from 'vitest';
import type { ActivityDeps, ActivitySettings, PipelineCatalog } from '@conveyor/activities';
import { CloudBuild, ImageRegistry, ObjectStore, VertexPipelines, type BuildInfo } from '@conveyor/gcp';
import { startEmulator, type RunningEmulator } from '@conveyor/gcp-emulator';
import { uniqueName } from '@conveyor/testing';
import { imageWorkflowClient, startTrainingRun } from '@conveyor/platform';
import { imageWorkflowIdFor, sha256Hex, type TrainingRunRequestInput } from '@conveyor/contracts';
import { createConveyorWorker } from '../src/worker.ts';
import { startPrivateGcs } from './private-gcs.ts';
import { tinyCatalog } from './tiny-pipeline.ts';

export const PROJECT = 'conveyor-test';
export const REGION = 'us-central1';
/** Web UI base URL the in-process worker's run reports link to. */
export const WEB_UI = 'http://127.0.0.1:8233';
const fixtureRepo = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-repo');

/** Runs git in `cwd` with a fixed identity. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/**
 * A scratch repository with the tiny pipeline on `main`, a `broken` branch whose unit-test step
 * fails, and `slow-<n>` branches whose unit-test step sleeps n seconds.
 */
export function createTinyRepo(): { dir: string; head: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'conveyor-repo-'));
  cpSync(fixtureRepo, dir, { recursive: true });
  // Two repositories created in the same second from the same files would share their commit ids.
  writeFileSync(join(dir, 'REPO_ID'), `${dir}\n`);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'tiny pipeline');
  const head = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'broken');
  writeFileSync(join(dir, 'apps/tiny/BREAK'), 'x\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'break the unit tests');
  for (const seconds of [8, 120]) {
    git(dir, 'checkout', '-q', '-b', `slow-${seconds}`, 'main');
    writeFileSync(join(dir, 'apps/tiny/SLOW'), `${seconds}\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', `slow build (${seconds} s)`);
  }
  git(dir, 'checkout', '-q', 'main');
  return { dir, head, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Everything a workflow test needs. */
export interface Harness {
  readonly client: Client;
  readonly taskQueue: string;
  readonly emulator: RunningEmulator;
  readonly builds: CloudBuild;
  readonly vertex: VertexPipelines;
  readonly store: ObjectStore;
  readonly repo: { dir: string; head: string };
  readonly pipelineRoot: string;
  readonly deps: ActivityDeps;
  /** Starts a run on this harness's task queue; returns the handle. */
  start(
    request: Partial<TrainingRunRequestInput> & { parameters?: Record<string, unknown> },
    workflowId?: string,
  ): ReturnType<typeof startTrainingRun>;
  /** Runs a worker in-process until `stopWorker` or `close`; `overrides` replace some of its dependencies (fault injection). */
  startWorker(overrides?: Partial<ActivityDeps>): Promise<Worker>;
  stopWorker(): Promise<void>;
  /** Environment for an out-of-process worker (apps/worker/src/main.ts) on this harness. */
  workerEnv(): Record<string, string>;
  /** Replaces the emulator's fault rules (admin endpoint). */
  setFaults(faults: Record<string, unknown>): Promise<void>;
  /**
   * A new branch off `base` with one new (empty) commit, so its image has never been built: images
   * are built once per commit, and a test that needs a build of its own needs a commit of its own.
   */
  freshBranch(base: string): { branch: string; commit: string };
  /** The builds (newest first) of one commit's image. */
  buildsOf(commit: string): Promise<BuildInfo[]>;
  /** The id of the `imageBuild` workflow of the tiny pipeline's image at a commit. */
  imageWorkflowIdOf(commit: string): string;
  close(): Promise<void>;
}

/** Starts the harness. `pollIntervalMs` is short so tests run fast (Google: 10 s). */
export async function startHarness(
  options: {
    catalog?: PipelineCatalog;
    pollIntervalMs?: number;
    /** Operator settings of the worker (CONVEYOR_PIPELINE_SETTINGS), given the harness's pipeline root. */
    pipelineSettings?: (pipelineRoot: string) => ActivitySettings['pipelineSettings'];
  } = {},
): Promise<Harness> {
  const stack = inject('stack');
  const dataDir = mkdtempSync(join(tmpdir(), 'conveyor-wf-emu-'));
  const gcs = await startPrivateGcs();
  const emulator = await startEmulator({
    port: 0,
    adminPort: 0,
    dataDir,
    gcsEndpoint: gcs.endpoint,
    projectId: PROJECT,
    log: pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }),
  });
  const endpoint = { kind: 'emulator', host: '127.0.0.1', port: emulator.port } as const;
  const builds = new CloudBuild({ projectId: PROJECT, endpoint });
  const vertex = new VertexPipelines({ projectId: PROJECT, region: REGION, endpoint });
  const store = new ObjectStore({ projectId: PROJECT, endpoint: gcs.endpoint });
  const bucket = uniqueName('conveyor-wf');
  await store.ensureBucket(bucket);
  const pipelineRoot = `gs://${bucket}/root`;
  const repo = createTinyRepo();
  const taskQueue = uniqueName('wf-test');
  const settings = {
    projectId: PROJECT,
    region: REGION,
    pipelineRoot,
    // One repository per harness, as each deployment has its own: harnesses share the Temporal
    // namespace, and image keys (and the imageBuild workflow ids) include the repository.
    imageRepository: `${REGION}-docker.pkg.dev/${PROJECT}/${uniqueName('conveyor')}`,
    pollIntervalMs: options.pollIntervalMs ?? 300,
    pipelineSettings: options.pipelineSettings?.(pipelineRoot),
  };
  const connection = await Connection.connect({ address: stack.temporal.address });
  const client = new Client({ connection, namespace: stack.temporal.namespace });
  const deps: ActivityDeps = {
    builds,
    pipelines: vertex,
    store,
    registry: new ImageRegistry({ endpoint: `http://127.0.0.1:${emulator.adminPort}` }),
    images: imageWorkflowClient(client, taskQueue),
    catalog: options.catalog ?? tinyCatalog(),
    settings,
  };
  const nativeConnection = await NativeConnection.connect({ address: stack.temporal.address });
  let running: { worker: Worker; done: Promise<void> } | undefined;

  const harness: Harness = {
    client,
    taskQueue,
    emulator,
    builds,
    vertex,
    store,
    repo,
    pipelineRoot,
    deps,
    start(request, workflowId) {
      return startTrainingRun(
        client,
        {
          pipeline: 'tiny',
          parameters: {},
          source: { repoUrl: repo.dir, branch: 'main' },
          trigger: { kind: 'manual', id: 'test', at: new Date().toISOString() },
          ...request,
        },
        { workflowId: workflowId ?? uniqueName(request.pipeline ?? 'tiny'), taskQueue },
      );
    },
    async startWorker(overrides = {}) {
      const worker = await createConveyorWorker({
        connection: nativeConnection,
        namespace: stack.temporal.namespace,
        taskQueue,
        activityDeps: { ...deps, ...overrides },
        webUiBaseUrl: WEB_UI,
        // The run's one bundle (bundle-setup.ts), as production runs a prebuilt one.
        workflowBundlePath: inject('workflowBundlePath'),
      });
      running = { worker, done: worker.run() };
      return worker;
    },
    async stopWorker() {
      if (!running) return;
      running.worker.shutdown();
      await running.done;
      running = undefined;
    },
    workerEnv() {
      return {
        ...stack.env,
        TEMPORAL_ADDRESS: stack.temporal.address,
        TEMPORAL_NAMESPACE: stack.temporal.namespace,
        GOOGLE_CLOUD_PROJECT: PROJECT,
        CONVEYOR_REGION: REGION,
        CONVEYOR_PIPELINE_ROOT: pipelineRoot,
        CONVEYOR_STORAGE_ENDPOINT: gcs.endpoint,
        CONVEYOR_CLOUDBUILD_ENDPOINT: `127.0.0.1:${emulator.port}`,
        CONVEYOR_AIPLATFORM_ENDPOINT: `127.0.0.1:${emulator.port}`,
        CONVEYOR_REGISTRY_ENDPOINT: `http://127.0.0.1:${emulator.adminPort}`,
        CONVEYOR_POLL_INTERVAL_MS: String(settings.pollIntervalMs),
        CONVEYOR_TASK_QUEUE: taskQueue,
        METADATA_SERVER_DETECTION: 'none',
      };
    },
    freshBranch(base) {
      const branch = uniqueName(base);
      git(repo.dir, 'branch', branch, base);
      git(repo.dir, 'checkout', '-q', branch);
      git(repo.dir, 'commit', '-q', '--allow-empty', '-m', `fresh commit for ${branch}`);
      const commit = git(repo.dir, 'rev-parse', 'HEAD');
      git(repo.dir, 'checkout', '-q', 'main');
      return { branch, commit };
    },
    buildsOf(commit) {
      return builds.listBuildsByTag(`commit-${commit}`);
    },
    imageWorkflowIdOf(commit) {
      const config = execFileSync('git', ['show', `${commit}:apps/tiny/cloudbuild.yaml`], {
        cwd: repo.dir,
        encoding: 'utf8',
      });
      return imageWorkflowIdFor({
        pipeline: 'tiny',
        commit,
        configSha256: sha256Hex(config),
        repository: settings.imageRepository,
      });
    },
    async setFaults(faults) {
      const res = await fetch(`http://127.0.0.1:${emulator.adminPort}/faults`, {
        method: 'PUT',
        body: JSON.stringify(faults),
      });
      if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      await harness.stopWorker();
      await nativeConnection.close();
      await connection.close();
      await builds.close();
      await vertex.close();
      await emulator.stop();
      await gcs.stop();
      repo.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
