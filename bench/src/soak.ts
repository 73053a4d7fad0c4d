// Chaos soak: "nothing lost, nothing twice". Publishes valid, invalid and repeated-key messages at a
// steady rate into the bridge while the worker and the bridge are SIGKILLed at random and every
// emulator RPC fails with UNAVAILABLE at a set rate; then checks that every valid message ended in
// exactly one run, every invalid one in a dead letter, and that no build or pipeline job is left
// running. Prints JSON (src/soak/report.ts); exits 1 when a target is missed.
//
//   npx node bench/src/soak.ts [--messages 1000] [--minutes 10] [--kill-every 20-60] [--fault-rate 0.1]
//                              [--seed 2026] [--drain-minutes 10] [--cancel-minutes 10] [--keep]
//
// Needs `conveyor stack up` (its Temporal, Pub/Sub emulator and fake GCS, found through the same
// CONVEYOR_*_PORT variables). Runs its own worker, bridge and Cloud Build + Vertex emulator as child
// processes on a unique task queue, topic and bucket, all on 127.0.0.1, and stops all of them at the
// end, on error and on Ctrl-C. Details: bench/README.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { Client, Connection } from '@temporalio/client';
import { CloudBuild, parseGrpcEndpoint, VertexPipelines } from '@conveyor/gcp';
import { repoRoot } from '@conveyor/platform/repo-root';
import { freePort, localEnvironment, stackConfigFromEnv } from '@conveyor/stack';
import { startChild } from '@conveyor/testing/processes';
import { killAtRandom, parseKillEvery, Supervised } from './soak/chaos.ts';
import { cancelRunning, DeadLetterReader, listCloudWork, listRuns, waitForQuiet } from './soak/observe.ts';
import { planMessages } from './soak/plan.ts';
import { expectations, soakReport, type PublishedMessage } from './soak/report.ts';
import * as setup from './soak/setup.ts';
import { messageOf, seededRandom } from '@conveyor/contracts';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '10' },
    'kill-every': { type: 'string', default: '20-60' },
    'fault-rate': { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '2026' },
    'drain-minutes': { type: 'string', default: '10' },
    'cancel-minutes': { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(args.messages);
const MINUTES = Number(args.minutes);
const FAULT_RATE = Number(args['fault-rate']);
const SEED = Number(args.seed);
const DRAIN_MINUTES = Number(args['drain-minutes']);
const CANCEL_MINUTES = Number(args['cancel-minutes']);
const killEvery = parseKillEvery(args['kill-every']);
for (const [flag, value, ok] of [
  ['--messages', MESSAGES, Number.isInteger(MESSAGES) && MESSAGES > 0],
  ['--minutes', MINUTES, MINUTES > 0],
  ['--fault-rate', FAULT_RATE, FAULT_RATE >= 0 && FAULT_RATE <= 1],
  ['--seed', SEED, Number.isInteger(SEED)],
  ['--drain-minutes', DRAIN_MINUTES, DRAIN_MINUTES > 0],
  ['--cancel-minutes', CANCEL_MINUTES, CANCEL_MINUTES > 0],
] as const) {
  if (!ok) throw new Error(`${flag}: invalid value ${String(value)}`);
}
/** Messages go out during the first 80 % of the chaos, so the last ones still meet kills. */
const PUBLISH_SHARE = 0.8;
/** After the expected runs and dead letters are there, the soak waits this long for late duplicates (> the 10 s ack deadline). */
const SETTLE_MS = 15_000;

const progress = (message: string): void => {
  process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const stack = stackConfigFromEnv(process.env, repoRoot);
const stackEnv = localEnvironment(stack);
process.env['METADATA_SERVER_DETECTION'] = 'none';
const tag = `soak-${Date.now().toString(36)}`;
const work = mkdtempSync(join(tmpdir(), 'conveyor-soak-'));
const logs = join(work, 'logs');
mkdirSync(logs);

// Ctrl-C / SIGTERM: stop the chaos and the waits, then the `finally` below stops everything.
const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (abort.signal.aborted) return;
    progress(`${signal}: stopping everything the soak started`);
    abort.abort();
  });
}
const cleanups: (() => Promise<unknown>)[] = [];
const onCleanup = (what: string, fn: () => Promise<unknown>) =>
  cleanups.push(() => fn().catch((e: unknown) => progress(`cleanup of ${what} failed: ${messageOf(e)}`)));

const started = Date.now();
let exitCode = 0;
try {
  const connection = await Connection.connect({
    address: stackEnv['TEMPORAL_ADDRESS']!,
    connectTimeout: '10 seconds',
  }).catch((e: unknown) => {
    throw new Error(
      `Temporal at ${stackEnv['TEMPORAL_ADDRESS']} does not answer (npx conveyor stack up?): ${messageOf(e)}`,
    );
  });
  onCleanup('Temporal connection', () => connection.close());
  const client = new Client({ connection, namespace: stack.namespace });
  const pubsub = new PubSub({
    projectId: stack.projectId,
    apiEndpoint: stackEnv['PUBSUB_EMULATOR_HOST'],
    emulatorMode: true,
  });
  onCleanup('Pub/Sub client', () => pubsub.close());
  const storage = new Storage({
    projectId: stack.projectId,
    apiEndpoint: stackEnv['CONVEYOR_STORAGE_ENDPOINT'],
  });

  progress(`setting up in ${work}: scratch repository, workflow bundle, emulator`);
  const repo = setup.scratchRepository(mkdtempSync(join(work, 'repo-')));
  const bundlePath = join(work, 'workflow-bundle.js');
  await setup.writeWorkflowBundle(bundlePath);
  const emulator = await setup.startSoakEmulator(
    stack,
    stackEnv['CONVEYOR_STORAGE_ENDPOINT']!,
    join(work, 'emulator'),
    join(logs, 'emulator.log'),
  );
  onCleanup('emulator', () => emulator.child.stop(15_000));
  const endpoint = parseGrpcEndpoint(emulator.endpoint);
  const builds = new CloudBuild({ projectId: stack.projectId, endpoint });
  const pipelines = new VertexPipelines({ projectId: stack.projectId, region: setup.REGION, endpoint });
  onCleanup('Google clients', () => Promise.all([builds.close(), pipelines.close()]));

  const target: setup.SoakTarget = {
    stackEnv,
    taskQueue: `${tag}-q`,
    bucket: tag,
    emulator,
    bundlePath,
    tag,
  };
  onCleanup('bucket', () =>
    storage
      .bucket(target.bucket)
      .deleteFiles({ force: true })
      .then(() => storage.bucket(target.bucket).delete()),
  );
  const resources = await setup.soakPubsubResources(pubsub, tag);
  onCleanup('Pub/Sub resources', () => setup.deletePubsubResources(pubsub, resources));
  const deadLetters = new DeadLetterReader(pubsub, resources.deadLetterSubscription);
  onCleanup('dead-letter reader', () => deadLetters.close());
  // Whatever is still running when the soak stops (Ctrl-C, an error) would wait forever for a worker.
  onCleanup('leftover runs', () =>
    client.workflow
      .count(`TaskQueue = "${target.taskQueue}" AND ExecutionStatus = "Running"`)
      .then(({ count }) =>
        count === 0
          ? undefined
          : client.workflowService.startBatchOperation({
              namespace: stack.namespace,
              jobId: `${tag}-cleanup`,
              reason: 'soak stopped',
              visibilityQuery: `TaskQueue = "${target.taskQueue}" AND ExecutionStatus = "Running"`,
              terminationOperation: {},
            }),
      ),
  );

  let logNumber = 0;
  const worker = new Supervised(
    'worker',
    () =>
      startChild(setup.soakWorker.script, setup.workerEnv(target), setup.soakWorker.ready, {
        logFile: join(logs, `worker-${++logNumber}.log`),
      }),
    progress,
  );
  const bridgePort = await freePort();
  const bridge = new Supervised(
    'bridge',
    () =>
      startChild(
        setup.bridge.script,
        setup.bridgeEnv(target, resources, repo.dir, bridgePort),
        setup.bridge.ready,
        { logFile: join(logs, `bridge-${++logNumber}.log`) },
      ),
    progress,
  );
  onCleanup('worker', () => worker.stop(15_000));
  onCleanup('bridge', () => bridge.stop(15_000));
  await Promise.all([worker.up(), bridge.up()]);

  await emulator.setFaults(FAULT_RATE > 0 ? { '*': { code: 'UNAVAILABLE', probability: FAULT_RATE } } : {});
  const chaosEnd = new AbortController();
  const stopChaos = () => chaosEnd.abort();
  abort.signal.addEventListener('abort', stopChaos);
  const random = seededRandom(SEED);
  const chaos = Promise.all([
    killAtRandom(worker, killEvery, random, chaosEnd.signal),
    killAtRandom(bridge, killEvery, random, chaosEnd.signal),
  ]);

  const plan = planMessages(MESSAGES, SEED, tag);
  const topic = pubsub.topic(resources.topic, { batching: { maxMessages: 1 } });
  const intervalMs = (MINUTES * 60_000 * PUBLISH_SHARE) / MESSAGES;
  progress(
    `publishing ${MESSAGES} messages, one every ${Math.round(intervalMs)} ms; kills every ${args['kill-every']} s; ${FAULT_RATE * 100} % UNAVAILABLE`,
  );
  const chaosStart = Date.now();
  const published: PublishedMessage[] = [];
  for (const m of plan) {
    if (abort.signal.aborted) break;
    const due = chaosStart + m.index * intervalMs;
    if (due > Date.now())
      await sleep(due - Date.now(), undefined, { signal: abort.signal }).catch(() => undefined);
    const messageId = await topic.publishMessage({ data: m.data, attributes: { ...m.attributes } });
    published.push({ messageId, kind: m.kind, runKey: m.runKey, expectedReason: m.expectedReason });
    if ((m.index + 1) % 100 === 0)
      progress(`${m.index + 1} published; kills: worker ${worker.kills}, bridge ${bridge.kills}`);
  }
  const chaosLeft = chaosStart + MINUTES * 60_000 - Date.now();
  if (chaosLeft > 0) await sleep(chaosLeft, undefined, { signal: abort.signal }).catch(() => undefined);
  stopChaos();
  await chaos;
  progress(
    `chaos over (worker killed ${worker.kills}×, bridge ${bridge.kills}×); waiting for the runs to end`,
  );

  const expected = expectations(published);
  const quiet = await waitForQuiet(
    client,
    target.taskQueue,
    { ...expected, deadLetters: () => deadLetters.received.length },
    SETTLE_MS,
    Date.now() + DRAIN_MINUTES * 60_000,
    abort.signal,
  );
  if (abort.signal.aborted) throw new Error('interrupted');
  if (!quiet) progress(`drain deadline passed: cancelling the runs still running`);
  const cancelledAtDeadline = quiet
    ? 0
    : await cancelRunning(client, target.taskQueue, CANCEL_MINUTES * 60_000);
  // The accounting is not under test: ask the emulator without faults.
  await emulator.setFaults({});
  const report = soakReport({
    published,
    runs: await listRuns(client, target.taskQueue),
    deadLetters: deadLetters.received,
    ...(await listCloudWork(builds, pipelines)),
    cancelledAtDeadline,
    chaos: {
      workerKills: worker.kills,
      bridgeKills: bridge.kills,
      faultRate: FAULT_RATE,
      unexpectedExits: worker.unexpectedExits + bridge.unexpectedExits,
    },
  });
  const settings = { messages: MESSAGES, minutes: MINUTES, killEvery: args['kill-every'], seed: SEED, tag };
  const restarts = { workerMs: worker.restartMs, bridgeMs: bridge.restartMs };
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'soak', ...settings, wallMs: Date.now() - started, ...report, restarts }, null, 2)}\n`,
  );
  if (!report.targetsMet) exitCode = 1;
} catch (e: unknown) {
  progress(`failed: ${(e as Error).stack ?? String(e)}`);
  exitCode = abort.signal.aborted ? 130 : 2;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
  if (args.keep) progress(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
