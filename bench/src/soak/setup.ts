// What the soak sets up around the local stack, and how it starts its children: a scratch repository
// holding the tiny pipeline, a workflow bundle, its own Cloud Build + Vertex emulator (so the injected
// faults and whatever it leaves are its own), unique Pub/Sub resources, and the worker's and the
// bridge's environments. Everything listens on 127.0.0.1.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PubSub } from '@google-cloud/pubsub';
import { ensurePubsubResources, type EnsuredResources } from '@conveyor/bridge/resources';
import { repoPath } from '@conveyor/platform/repo-root';
import { freePorts, type StackConfig } from '@conveyor/stack';
import { startChild, type Child } from '@conveyor/testing/processes';
import { SOAK_APP, WORKER_READY } from './pipeline.ts';

/** The soak worker process (bench/src/soak/worker.ts) and the line it prints when ready. */
export const soakWorker = { script: repoPath('bench', 'src', 'soak', 'worker.ts'), ready: WORKER_READY };
/** The bridge's composition root and its ready log line. */
export const bridge = { script: repoPath('apps', 'bridge', 'src', 'main.ts'), ready: '"bridge listening"' };
const emulatorMain = repoPath('apps', 'gcp-emulator', 'src', 'main.ts');
const tinyRepo = repoPath('apps', 'worker', 'tests', 'fixtures', 'tiny-repo');

/** Region the soak's pipeline jobs run in (any region works against the emulator). */
export const REGION = 'us-central1';

/**
 * Variables a child must not inherit: an OTLP endpoint would send spans off this machine, and a
 * Temporal API key or TLS files would point at another server than the stack's.
 */
const NOT_INHERITED = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
];

/** This process's environment without {@link NOT_INHERITED}, plus `env`. */
export function childEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && !NOT_INHERITED.includes(e[0]),
    ),
  );
  return { ...base, ...env };
}

/** A git repository in `dir` holding the tiny pipeline on `main`, one commit. */
export function scratchRepository(dir: string): { dir: string; commit: string } {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=soak', '-c', 'user.email=soak@example.com', ...args], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  cpSync(tinyRepo, dir, { recursive: true });
  // A commit of its own: the image key includes the commit, so this soak builds its own image once.
  writeFileSync(join(dir, 'SOAK_ID'), `${dir}\n`);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', `soak: the ${SOAK_APP} pipeline`);
  return { dir, commit: git('rev-parse', 'HEAD') };
}

/** Writes the prebuilt workflow bundle, so every restarted worker starts in seconds. */
export async function writeWorkflowBundle(path: string): Promise<void> {
  // Bundling takes 10-60 s on a loaded two-core machine; five minutes means it hangs.
  await promisify(execFile)(process.execPath, [repoPath('apps', 'worker', 'src', 'bundle.ts'), path], {
    timeout: 300_000,
  });
}

/** The soak's own emulator process. */
export interface SoakEmulator {
  readonly child: Child;
  /** `127.0.0.1:<port>`: Cloud Build, Vertex AI, Operations. */
  readonly endpoint: string;
  /** `http://127.0.0.1:<port>`: faults, health, the image registry stand-in. */
  readonly adminUrl: string;
  /** Replaces the fault rules (`PUT /faults`). */
  setFaults(rules: Record<string, unknown>): Promise<void>;
}

/** Starts the emulator (apps/gcp-emulator) on free loopback ports, state in `dataDir`. */
export async function startSoakEmulator(
  stack: StackConfig,
  storageEndpoint: string,
  dataDir: string,
  logFile: string,
): Promise<SoakEmulator> {
  const [port, adminPort] = await freePorts(2);
  const child = await startChild(
    emulatorMain,
    childEnv({
      CONVEYOR_EMULATOR_HOST: '127.0.0.1',
      CONVEYOR_EMULATOR_PORT: String(port),
      CONVEYOR_EMULATOR_ADMIN_PORT: String(adminPort),
      CONVEYOR_DATA_DIR: dataDir,
      CONVEYOR_CACHE_DIR: stack.cacheDir,
      CONVEYOR_STORAGE_ENDPOINT: storageEndpoint,
      GOOGLE_CLOUD_PROJECT: stack.projectId,
      CONVEYOR_EMULATOR_PERSIST: 'false',
      CONVEYOR_EMULATOR_FAULTS: '{}',
      LOG_LEVEL: 'info',
    }),
    'gcp emulator listening',
    { logFile },
  );
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  return {
    child,
    endpoint: `127.0.0.1:${port}`,
    adminUrl,
    async setFaults(rules) {
      const res = await fetch(`${adminUrl}/faults`, {
        method: 'PUT',
        body: JSON.stringify(rules),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`PUT /faults answered ${res.status}: ${await res.text()}`);
    },
  };
}

/** The topic, the bridge's subscription and the dead-letter topic and subscription, named by `tag`. */
export function soakPubsubResources(pubsub: PubSub, tag: string): Promise<EnsuredResources> {
  return ensurePubsubResources(pubsub, {
    topic: `${tag}-t`,
    subscription: `${tag}-s`,
    deadLetterTopic: `${tag}-dl`,
    // The emulator's minimum: a message a killed bridge held comes back 10 s later.
    ackDeadlineSeconds: 10,
  });
}

/** Deletes what {@link soakPubsubResources} created; missing ones are fine. */
export async function deletePubsubResources(pubsub: PubSub, r: EnsuredResources): Promise<void> {
  await Promise.allSettled([
    pubsub.subscription(r.subscription).delete(),
    pubsub.subscription(r.deadLetterSubscription).delete(),
  ]);
  await Promise.allSettled([pubsub.topic(r.topic).delete(), pubsub.topic(r.deadLetterTopic).delete()]);
}

/** Where the soak's runs go, shared by the worker's and the bridge's environments. */
export interface SoakTarget {
  readonly stackEnv: Readonly<Record<string, string>>;
  readonly taskQueue: string;
  readonly bucket: string;
  readonly emulator: SoakEmulator;
  readonly bundlePath: string;
  readonly tag: string;
}

/** The worker's environment: the stack's Temporal and GCS, the soak's emulator, a unique queue. */
export function workerEnv(t: SoakTarget): Record<string, string> {
  return childEnv({
    TEMPORAL_ADDRESS: t.stackEnv['TEMPORAL_ADDRESS']!,
    TEMPORAL_NAMESPACE: t.stackEnv['TEMPORAL_NAMESPACE']!,
    GOOGLE_CLOUD_PROJECT: t.stackEnv['GOOGLE_CLOUD_PROJECT']!,
    METADATA_SERVER_DETECTION: 'none',
    CONVEYOR_REGION: REGION,
    CONVEYOR_PIPELINE_ROOT: `gs://${t.bucket}/root`,
    CONVEYOR_STORAGE_ENDPOINT: t.stackEnv['CONVEYOR_STORAGE_ENDPOINT']!,
    CONVEYOR_CLOUDBUILD_ENDPOINT: t.emulator.endpoint,
    CONVEYOR_AIPLATFORM_ENDPOINT: t.emulator.endpoint,
    CONVEYOR_REGISTRY_ENDPOINT: t.emulator.adminUrl,
    // Its own image repository: the image key includes it, so nothing outside the soak is adopted.
    CONVEYOR_IMAGE_REPOSITORY: `${REGION}-docker.pkg.dev/${t.stackEnv['GOOGLE_CLOUD_PROJECT']}/${t.tag}`,
    // The serving root is an operator setting; it must be in an allowed bucket, so the soak's.
    CONVEYOR_PIPELINE_SETTINGS: JSON.stringify({ penguins: { serving_root: `gs://${t.bucket}/serving` } }),
    // 1 s: runs end within a second of their job, and a few hundred runs poll at most a few hundred times a second.
    CONVEYOR_POLL_INTERVAL_MS: '1000',
    CONVEYOR_TASK_QUEUE: t.taskQueue,
    CONVEYOR_WORKFLOW_BUNDLE: t.bundlePath,
    LOG_LEVEL: 'warn',
  });
}

/** The bridge's environment: the stack's Temporal and Pub/Sub, the soak's topic and queue. */
export function bridgeEnv(
  t: SoakTarget,
  resources: EnsuredResources,
  repoUrl: string,
  port: number,
): Record<string, string> {
  return childEnv({
    TEMPORAL_ADDRESS: t.stackEnv['TEMPORAL_ADDRESS']!,
    TEMPORAL_NAMESPACE: t.stackEnv['TEMPORAL_NAMESPACE']!,
    GOOGLE_CLOUD_PROJECT: t.stackEnv['GOOGLE_CLOUD_PROJECT']!,
    PUBSUB_EMULATOR_HOST: t.stackEnv['PUBSUB_EMULATOR_HOST']!,
    METADATA_SERVER_DETECTION: 'none',
    CONVEYOR_TOPIC: resources.topic,
    CONVEYOR_SUBSCRIPTION: resources.subscription,
    CONVEYOR_DEAD_LETTER_TOPIC: resources.deadLetterTopic,
    CONVEYOR_TASK_QUEUE: t.taskQueue,
    CONVEYOR_REPO_URL: repoUrl,
    CONVEYOR_BRANCH: 'main',
    CONVEYOR_BRIDGE_HOST: '127.0.0.1',
    CONVEYOR_BRIDGE_PORT: String(port),
    // Info: its ready line is an info log line ("bridge listening"); the file takes the rest.
    LOG_LEVEL: 'info',
  });
}
