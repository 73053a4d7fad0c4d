// Bridge benchmark: publish N messages at a fixed rate through the Pub/Sub emulator into a bridge
// process, measure publish → workflow-started latency and sustained starts/s, next to the raw
// `client.workflow.start` rate against the same server in the same run (same request, memo and search
// attributes through startTrainingRun, 100 concurrent callers). Prints JSON.
//
//   npx node bench/src/bridge.ts [--messages 500] [--rate 100] [--raw 500] [--concurrency 100]
//
// Needs the local stack (`conveyor stack up`); reads TEMPORAL_ADDRESS / PUBSUB_EMULATOR_HOST /
// GOOGLE_CLOUD_PROJECT with the stack's defaults. Runs start on unique task queues with no worker and
// are terminated (one batch operation) at the end.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

import { parseArgs } from 'node:util';

import { setTimeout as sleep } from 'node:timers/promises';
import { PubSub } from '@google-cloud/pubsub';
import { Client, Connection } from '@temporalio/client';
import { ensurePubsubResources } from '@conveyor/bridge/resources';
import { startTrainingRun } from '@conveyor/platform';
import { summarize } from './stats.ts';
import { repoPath } from '@conveyor/platform/repo-root';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '500' },
    rate: { type: 'string', default: '100' },
    raw: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '100' },
  },
});
const N = Number(args.messages);
const RATE = Number(args.rate);
const RAW = Number(args.raw);
const CONCURRENCY = Number(args.concurrency);

// Emulators only: without this the Google clients (ours and the bridge's) probe the GCE metadata server.
process.env['METADATA_SERVER_DETECTION'] ??= 'none';
const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
const namespace = process.env['TEMPORAL_NAMESPACE'] ?? 'default';
const emulatorHost = process.env['PUBSUB_EMULATOR_HOST'] ?? '127.0.0.1:8085';
const projectId = process.env['GOOGLE_CLOUD_PROJECT'] ?? 'conveyor-local';
const tag = `bench-${Date.now().toString(36)}`;
const bridgeMain = repoPath('apps', 'bridge', 'src', 'main.ts');

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

async function rawStartRate(
  taskQueue: string,
): Promise<{ starts: number; seconds: number; perSecond: number }> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RAW) {
        const i = next++;
        // The same request, memo, search attributes and summary the bridge sends: only the bridge differs.
        await startTrainingRun(
          client,
          {
            pipeline: 'penguins',
            parameters: { num_epochs: 3, learning_rate: 0.01 },
            source: { repoUrl: '/tmp/bench-repo', branch: 'main' },
            trigger: { kind: 'manual', id: `${tag}-raw-${i}`, at: new Date().toISOString() },
          },
          { workflowId: `${tag}-raw-${i}`, taskQueue },
        );
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { starts: RAW, seconds: round(seconds), perSecond: round(RAW / seconds) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function bridgeRun(): Promise<Record<string, unknown>> {
  const taskQueue = `${tag}-bridge`;
  const names = await ensurePubsubResources(pubsub, {
    topic: `${tag}-t`,
    subscription: `${tag}-s`,
    deadLetterTopic: `${tag}-dl`,
  });
  const child = spawn(process.execPath, [bridgeMain], {
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
  try {
    await sleep(2_000); // let the streaming pull open before the clock starts
    const publishedAt = new Map<string, number>();
    const topic = pubsub.topic(names.topic, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
    const t0 = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const sentAt = Date.now();
      pending.push(
        topic.publishMessage({ json: { num_epochs: 3, learning_rate: 0.01 } }).then((id) => {
          publishedAt.set(id, sentAt);
        }),
      );
    }
    await Promise.all(pending);
    const publishSeconds = (Date.now() - t0) / 1000;
    const deadline = Date.now() + 120_000;
    while ((await client.workflow.count(`TaskQueue="${taskQueue}"`)).count < N && Date.now() < deadline)
      await sleep(500);
    const latencies: number[] = [];
    const startTimes: number[] = [];
    for await (const w of client.workflow.list({ query: `TaskQueue="${taskQueue}"` })) {
      // `penguins-msg-<messageId>-<publish time>` (emulator mode keys ids by publish time too).
      const sent = publishedAt.get(w.workflowId.replace(/^penguins-msg-/, '').replace(/-[0-9a-z]+$/, ''));
      if (sent === undefined) continue;
      latencies.push(w.startTime.getTime() - sent);
      startTimes.push(w.startTime.getTime());
    }
    startTimes.sort((a, b) => a - b);
    const span = ((startTimes.at(-1) ?? 0) - (startTimes[0] ?? 0)) / 1000;
    return {
      messages: N,
      rate: RATE,
      runs: latencies.length,
      publishSeconds: round(publishSeconds),
      latencyMs: summarize(latencies),
      startsPerSecond: round(latencies.length / Math.max(span, 0.001)),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

// Cleanup runs last: a batch termination loads the server and would skew whatever it overlaps.
try {
  const bridge = await bridgeRun();
  const rawQueue = `${tag}-raw`;
  const raw = await rawStartRate(rawQueue);
  await terminateQueue(`${tag}-bridge`);
  await terminateQueue(rawQueue);
  console.log(
    JSON.stringify(
      { bench: 'bridge', temporal: address, bridge, rawWorkflowStart: { concurrency: CONCURRENCY, ...raw } },
      null,
      2,
    ),
  );
} finally {
  await pubsub.close();
  await connection.close();
}
