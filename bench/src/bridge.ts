// Bridge benchmark. Four passes against the local stack, in one run, printed as JSON:
//  - pullOnly: a bare streaming-pull loop in this process against the Pub/Sub emulator at --rate:
//    publish → message received, what pstest and the client library cost before the bridge does anything;
//  - latency: --messages published at --rate into a bridge process: publish → workflow started;
//  - backlog: --backlog messages published before a bridge starts, so it starts runs as fast as it can:
//    the sustained starts/s;
//  - rawWorkflowStart: `startTrainingRun` straight to Temporal (same request, memo, search attributes),
//    --concurrency callers: the server's own start rate, the ceiling of the backlog pass.
//
//   npx node bench/src/bridge.ts [--messages 500] [--rate 50] [--backlog 500] [--raw 500] [--concurrency 100]
//
// Reads TEMPORAL_ADDRESS / PUBSUB_EMULATOR_HOST / GOOGLE_CLOUD_PROJECT, else the stack's ports from
// CONVEYOR_TEMPORAL_PORT / CONVEYOR_PUBSUB_PORT. Runs start on unique task queues with no worker and
// are terminated (one batch operation per queue) at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { parseArgs } from 'node:util';

import { setTimeout as sleep } from 'node:timers/promises';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { ensurePubsubResources } from '@conveyor/bridge/resources';
import { MemoKeys } from '@conveyor/contracts';
import { startTrainingRun } from '@conveyor/platform';
import { bridgeReport, round, type ListedRun, type PublishedMessage } from './bridge-report.ts';
import { NothingMeasuredError, summarize } from './stats.ts';
import { repoPath } from '@conveyor/platform/repo-root';
import { benchStackEnv } from './stack-env.ts';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '500' },
    rate: { type: 'string', default: '50' },
    backlog: { type: 'string', default: '500' },
    raw: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '100' },
  },
});
const N = Number(args.messages);
const RATE = Number(args.rate);
const BACKLOG = Number(args.backlog);
const RAW = Number(args.raw);
const CONCURRENCY = Number(args.concurrency);

// Emulators only: without this the Google clients (ours and the bridge's) probe the GCE metadata server.
process.env['METADATA_SERVER_DETECTION'] ??= 'none';
const stack = benchStackEnv(process.env);
const address = stack['TEMPORAL_ADDRESS'] ?? '';
const namespace = stack['TEMPORAL_NAMESPACE'] ?? '';
const emulatorHost = stack['PUBSUB_EMULATOR_HOST'] ?? '';
const projectId = stack['GOOGLE_CLOUD_PROJECT'] ?? '';
const tag = `bench-${Date.now().toString(36)}`;
const bridgeMain = repoPath('apps', 'bridge', 'src', 'main.ts');
const body = { num_epochs: 3, learning_rate: 0.01 };

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const pubsub = new PubSub({ projectId, apiEndpoint: emulatorHost, emulatorMode: true });

async function terminateQueue(taskQueue: string): Promise<void> {
  await client.workflowService.startBatchOperation({
    namespace,
    jobId: randomUUID(),
    reason: 'bench cleanup',
    visibilityQuery: `TaskQueue="${taskQueue}" AND ExecutionStatus="Running"`,
    terminationOperation: {},
  });
}

async function resources(name: string): Promise<Awaited<ReturnType<typeof ensurePubsubResources>>> {
  return ensurePubsubResources(pubsub, {
    topic: `${tag}-${name}-t`,
    subscription: `${tag}-${name}-s`,
    deadLetterTopic: `${tag}-${name}-dl`,
  });
}

/** Publishes `count` messages at `rate`/s (Infinity: all at once); message id → what was sent. */
async function publish(
  topicName: string,
  count: number,
  rate: number,
): Promise<Map<string, PublishedMessage>> {
  // One message per publish request: batching would add its own delay to the latency measured.
  const topic = pubsub.topic(topicName, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
  const data = Buffer.from(JSON.stringify(body));
  const sent = new Map<string, PublishedMessage>();
  const t0 = Date.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    const sentAt = Date.now();
    pending.push(
      topic.publishMessage({ data }).then((id) => {
        sent.set(id, { sentAt, data, attributes: {} });
      }),
    );
  }
  await Promise.all(pending);
  return sent;
}

async function pullOnly(): Promise<Record<string, unknown>> {
  const names = await resources('pull');
  // The bridge's flow control (CONVEYOR_MAX_MESSAGES default): the same stream settings, no handler.
  const subscription = pubsub.subscription(names.subscription, {
    flowControl: { maxMessages: 100, allowExcessMessages: false },
  });
  const receivedAt = new Map<string, number>();
  subscription.on('message', (m: Message) => {
    receivedAt.set(m.id, Date.now());
    m.ack();
  });
  await sleep(2_000); // let the stream open before the clock starts
  const sent = await publish(names.topic, N, RATE);
  const deadline = Date.now() + 30_000;
  while (receivedAt.size < N && Date.now() < deadline) await sleep(100);
  await subscription.close();
  const latencies = [...sent].flatMap(([id, m]) => {
    const at = receivedAt.get(id);
    return at === undefined ? [] : [at - m.sentAt];
  });
  if (latencies.length === 0) throw new NothingMeasuredError('the pull-only loop received nothing');
  return { messages: N, rate: RATE, received: latencies.length, latencyMs: summarize(latencies) };
}

function spawnBridge(
  names: { topic: string; subscription: string; deadLetterTopic: string },
  taskQueue: string,
): ChildProcess {
  return spawn(process.execPath, [bridgeMain], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      PUBSUB_EMULATOR_HOST: emulatorHost,
      GOOGLE_CLOUD_PROJECT: projectId,
      CONVEYOR_TOPIC: names.topic,
      CONVEYOR_SUBSCRIPTION: names.subscription,
      CONVEYOR_DEAD_LETTER_TOPIC: names.deadLetterTopic,
      CONVEYOR_TASK_QUEUE: taskQueue,
      CONVEYOR_BRIDGE_PORT: '0',
      CONVEYOR_REPO_URL: '/tmp/bench-repo',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Waits for `count` runs on the queue, then lists them with the trigger their memo records. */
async function listRuns(taskQueue: string, count: number): Promise<ListedRun[]> {
  const query = `TaskQueue="${taskQueue}"`;
  const deadline = Date.now() + 120_000;
  while ((await client.workflow.count(query)).count < count && Date.now() < deadline) await sleep(500);
  const runs: ListedRun[] = [];
  for await (const w of client.workflow.list({ query })) {
    const request = w.memo?.[MemoKeys.request] as { trigger?: { id: string; at: string } } | undefined;
    runs.push({ workflowId: w.workflowId, startTime: w.startTime.getTime(), trigger: request?.trigger });
  }
  return runs;
}

async function bridgePass(
  name: string,
  count: number,
  rate: number,
  before: boolean,
): Promise<Record<string, unknown>> {
  const taskQueue = `${tag}-${name}`;
  const names = await resources(name);
  let sent = new Map<string, PublishedMessage>();
  const t0 = Date.now();
  if (before) sent = await publish(names.topic, count, rate);
  const child = spawnBridge(names, taskQueue);
  try {
    if (!before) {
      await sleep(2_000); // let the streaming pull open before the clock starts
      sent = await publish(names.topic, count, rate);
    }
    const publishSeconds = (Date.now() - t0) / 1000;
    const runs = await listRuns(taskQueue, count);
    return { ...bridgeReport({ rate, publishSeconds, published: sent, runs }) };
  } finally {
    child.kill('SIGTERM');
  }
}

async function rawStartRate(taskQueue: string): Promise<Record<string, number>> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RAW) {
        const i = next++;
        await startTrainingRun(
          client,
          {
            pipeline: 'penguins',
            parameters: body,
            source: { repoUrl: '/tmp/bench-repo', branch: 'main' },
            trigger: { kind: 'manual', id: `${tag}-raw-${i}`, at: new Date().toISOString() },
          },
          { workflowId: `${tag}-raw-${i}`, taskQueue },
        );
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { concurrency: CONCURRENCY, starts: RAW, seconds: round(seconds), perSecond: round(RAW / seconds) };
}

// Cleanup runs last: a batch termination loads the server and would skew whatever it overlaps.
try {
  const pull = await pullOnly();
  const latency = await bridgePass('latency', N, RATE, false);
  const backlog = await bridgePass('backlog', BACKLOG, Number.POSITIVE_INFINITY, true); // all at once
  const raw = await rawStartRate(`${tag}-raw`);
  for (const q of ['latency', 'backlog', 'raw']) await terminateQueue(`${tag}-${q}`);
  const ratio = round((backlog['startsPerSecond'] as number) / (raw['perSecond'] as number));
  console.log(
    JSON.stringify(
      {
        bench: 'bridge',
        temporal: address,
        pullOnly: pull,
        latency,
        backlog,
        rawWorkflowStart: raw,
        sustainedOverRaw: ratio,
      },
      null,
      2,
    ),
  );
} finally {
  await pubsub.close();
  await connection.close();
}
