// Shared fixtures of the bridge's integration tests: unique Pub/Sub resources on the emulator, a
// Temporal client, an in-process bridge, and run counting on a unique task queue.
import { execFile } from 'node:child_process';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { pino } from 'pino';
import { inject } from 'vitest';
import type { TrainingRunRequest } from '@conveyor/contracts';
import { uniqueName, type StackInfo } from '@conveyor/testing';
import type { CertSource } from '../src/auth.ts';
import { startBridge, type RunningBridge } from '../src/bridge.ts';
import { loadConfig } from '../src/config.ts';
import { ensurePubsubResources, type EnsuredResources } from '../src/resources.ts';

/** The stack of the global setup. */
export function stack(): StackInfo {
  return inject('stack');
}

/** A Pub/Sub client on the emulator. */
export function emulatorPubSub(): PubSub {
  const s = stack();
  return new PubSub({
    projectId: s.pubsub.projectId,
    apiEndpoint: s.pubsub.emulatorHost,
    emulatorMode: true,
  });
}

/** A Temporal client on the stack's server. */
export async function temporalClient(): Promise<{ connection: Connection; client: Client }> {
  const s = stack();
  const connection = await Connection.connect({ address: s.temporal.address });
  return { connection, client: new Client({ connection, namespace: s.temporal.namespace }) };
}

/** Unique topic, subscription (10 s ack deadline, the emulator's minimum, so redelivery is quick) and dead-letter topic. */
export async function uniqueResources(pubsub: PubSub, prefix: string): Promise<EnsuredResources> {
  const base = uniqueName(prefix);
  return ensurePubsubResources(pubsub, {
    topic: `${base}-t`,
    subscription: `${base}-s`,
    deadLetterTopic: `${base}-dl`,
    ackDeadlineSeconds: 10,
  });
}

/** The env the bridge needs for these resources and a unique task queue. */
export function bridgeEnv(
  resources: EnsuredResources,
  taskQueue: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const s = stack();
  return {
    TEMPORAL_ADDRESS: s.temporal.address,
    TEMPORAL_NAMESPACE: s.temporal.namespace,
    GOOGLE_CLOUD_PROJECT: s.pubsub.projectId,
    PUBSUB_EMULATOR_HOST: s.pubsub.emulatorHost,
    CONVEYOR_TOPIC: resources.topic,
    CONVEYOR_SUBSCRIPTION: resources.subscription,
    CONVEYOR_DEAD_LETTER_TOPIC: resources.deadLetterTopic,
    CONVEYOR_TASK_QUEUE: taskQueue,
    CONVEYOR_BRIDGE_PORT: '0',
    CONVEYOR_REPO_URL: '/tmp/conveyor-test-repo',
    // Tests restore Temporal within seconds; a short cap keeps retries frequent.
    CONVEYOR_MAX_BACKOFF_MS: '2000',
    // Generous: the shared dev server answers slowly while other suites load it; a timeout only nacks.
    CONVEYOR_START_TIMEOUT_MS: '10000',
    CONVEYOR_DRAIN_TIMEOUT_MS: '10000',
    // Failures are expected in these tests; keep the output readable.
    LOG_LEVEL: 'error',
    ...extra,
  };
}

/** Starts the bridge in-process with its own clients. */
export async function inProcessBridge(
  env: Record<string, string>,
  connection: Connection,
  client: Client,
  pubsub: PubSub,
  certs?: CertSource,
): Promise<RunningBridge> {
  const config = loadConfig(env, '/tmp');
  const log = pino({ level: env['LOG_LEVEL'] ?? 'warn' });
  return startBridge(config, { connection, client, pubsub, log, ...(certs ? { certs } : {}) });
}

/** Runs on `taskQueue` (visibility query; the dev server answers within a second). */
export async function countRuns(client: Client, taskQueue: string): Promise<number> {
  return (await client.workflow.count(`TaskQueue="${taskQueue}"`)).count;
}

/** Polls `fn` until it returns true or `timeoutMs` passes. */
export async function eventually(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The request a run was started with (first history event's input). */
export async function startInput(client: Client, workflowId: string): Promise<TrainingRunRequest> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`no input for ${workflowId}`);
  return defaultPayloadConverter.fromPayload(payload);
}

/** Ids of the runs on `taskQueue`. */
export async function runIds(client: Client, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query: `TaskQueue="${taskQueue}"` })) ids.push(w.workflowId);
  return ids;
}

/** Terminates what is still running on `taskQueue` in one batch (no worker polls these unique queues). */
export async function terminateRuns(taskQueue: string): Promise<void> {
  const s = stack();
  await new Promise<void>((resolve) => {
    execFile(
      s.temporal.cliPath,
      [
        'workflow',
        'terminate',
        '--address',
        s.temporal.address,
        '--namespace',
        s.temporal.namespace,
        '--query',
        `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"`,
        '--reason',
        'test cleanup',
        '--yes',
      ],
      { timeout: 30_000 },
      () => resolve(),
    );
  });
}

/** Reads up to `count` messages from a subscription within `timeoutMs`, acking them. */
export async function readMessages(
  pubsub: PubSub,
  subscription: string,
  count: number,
  timeoutMs: number,
): Promise<Message[]> {
  const sub = pubsub.subscription(subscription);
  const got: Message[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    sub.on('message', (m: Message) => {
      m.ack();
      got.push(m);
      if (got.length >= count) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  await sub.close();
  return got;
}

/** An in-process bridge on unique resources and a unique task queue, with its clients. */
export interface BridgeFixture {
  readonly pubsub: PubSub;
  readonly connection: Connection;
  readonly client: Client;
  readonly resources: EnsuredResources;
  readonly taskQueue: string;
  readonly bridge: RunningBridge;
  /** Stops the bridge, terminates its runs, closes the clients. */
  close(): Promise<void>;
}

/** Starts a {@link BridgeFixture}; names carry `prefix`. */
export async function bridgeFixture(prefix: string): Promise<BridgeFixture> {
  const pubsub = emulatorPubSub();
  const { connection, client } = await temporalClient();
  const resources = await uniqueResources(pubsub, prefix);
  const taskQueue = uniqueName(`${prefix}-q`);
  const bridge = await inProcessBridge(bridgeEnv(resources, taskQueue), connection, client, pubsub);
  return {
    pubsub,
    connection,
    client,
    resources,
    taskQueue,
    bridge,
    async close() {
      await bridge.stop();
      await terminateRuns(taskQueue);
      await pubsub.close();
      await connection.close();
    },
  };
}
