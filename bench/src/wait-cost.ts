// Wait-cost benchmark: what following a long pipeline job costs with the retry-based wait
// (the check activity throws a benign "still running" failure retried at a fixed interval, so the
// history does not grow with the job and no slot is held). Real Temporal server and the real worker's
// composition in a process of its own (src/wait-worker.ts, as the worker runs in production), whose
// activities talk to a counting fake Vertex whose jobs finish after a given duration: a 10-minute job
// costs 10 minutes of wall time but no cloud. Prints JSON:
//   - history events and GetPipelineJob calls per run, for a short and a long job;
//   - `--waiting` runs waiting at once on this one worker: how many ran at once (visibility count),
//     the most activity slots in use out of `--slots` (the wait holds none between polls), the most
//     cached workflows, and the worker process's RSS idle and at its peak (`VmHWM`).
//
//   npx node bench/src/wait-cost.ts [--short 60] [--long 600] [--waiting 200] [--poll 10000] [--slots 10]
//                                   [--cache N] [--node-flags="<flags>"]
//
// Needs the local stack (`conveyor stack up`): its Temporal, and its emulators and fake GCS, which the
// worker's real Google clients are built against (they stay idle). `--cache` sets
// CONVEYOR_MAX_CACHED_WORKFLOWS (the worker's default when absent); `--node-flags` replaces the
// worker's Node flags (default: the ones the worker runs with, `workerNodeFlags`). Runs use a unique
// task queue.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { pipelineJobIdFor } from '@conveyor/contracts';
import { startTrainingRun } from '@conveyor/platform';
import { localEnvironment, stackConfigFromEnv } from '@conveyor/stack';
import { waitReport } from './wait-cost-report.ts';
import type { WorkerSample } from './wait-worker.ts';
import { workerFlagsOption } from './node-flags.ts';
import { prebuiltWorkflowBundle } from './workflow-bundle.ts';
import { repoRoot } from '@conveyor/platform/repo-root';

const { values: args } = parseArgs({
  options: {
    short: { type: 'string', default: '60' },
    long: { type: 'string', default: '600' },
    waiting: { type: 'string', default: '200' },
    poll: { type: 'string', default: '10000' },
    slots: { type: 'string', default: '10' },
    cache: { type: 'string' },
    'node-flags': { type: 'string' },
  },
});
const SHORT_S = Number(args.short);
const LONG_S = Number(args.long);
const WAITING = Number(args.waiting);
const POLL_MS = Number(args.poll);
const SLOTS = Number(args.slots);
const NODE_FLAGS = workerFlagsOption(args['node-flags']);
const stackEnv = localEnvironment(stackConfigFromEnv(process.env, repoRoot));
const address = stackEnv['TEMPORAL_ADDRESS'] ?? '';
const namespace = stackEnv['TEMPORAL_NAMESPACE'] ?? 'default';
const tag = `bench-wait-${Date.now().toString(36)}`;
/** The worker must say it is polling within 3 minutes (a loaded machine). */
const READY_TIMEOUT_MS = 180_000;

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-wait-cost-'));
// Prebuilt, as in production: bundling in the worker would leave the bundler in the RSS measured.
const bundle = await prebuiltWorkflowBundle(join(scratch, 'workflow-bundle.js'));

let last: WorkerSample | undefined;
let rssPeak = 0;
let atPeak: WorkerSample | undefined;
let cachedMax = 0;
let sampling = false;
const worker: ChildProcess = spawn(
  process.execPath,
  [...NODE_FLAGS, join(repoRoot, 'bench', 'src', 'wait-worker.ts'), String(SLOTS)],
  {
    env: {
      ...process.env,
      ...stackEnv,
      CONVEYOR_TASK_QUEUE: tag,
      CONVEYOR_WORKFLOW_BUNDLE: bundle,
      CONVEYOR_POLL_INTERVAL_MS: String(POLL_MS),
      ...(args.cache === undefined ? {} : { CONVEYOR_MAX_CACHED_WORKFLOWS: args.cache }),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  },
);
const gets = new Promise<Record<string, number>>((answer) => {
  worker.on(
    'message',
    (m: WorkerSample | { kind: 'gets'; gets: Record<string, number> } | { kind: 'ready' }) => {
      if (m.kind === 'gets') answer(m.gets);
      if (m.kind !== 'sample') return;
      last = m;
      if (sampling) {
        if (m.rssBytes > rssPeak) atPeak = m;
        rssPeak = Math.max(rssPeak, m.rssBytes);
        cachedMax = Math.max(cachedMax, m.cachedWorkflows);
      }
    },
  );
});
await new Promise<void>((ready, fail) => {
  const timer = setTimeout(() => fail(new Error('wait-worker: not ready in time')), READY_TIMEOUT_MS);
  worker.on('message', (m: { kind: string }) => {
    if (m.kind === 'ready') {
      clearTimeout(timer);
      ready();
    }
  });
  worker.once('exit', (code) => fail(new Error(`wait-worker exited with ${code} before it was ready`)));
});
await sleep(5_000);
const rssIdle = last?.rssBytes ?? 0;
sampling = true;

function start(id: string, durationS: number) {
  return startTrainingRun(
    client,
    {
      pipeline: 'bench',
      parameters: { duration_s: durationS },
      source: { repoUrl: 'none', branch: 'main' },
      spec: 'gs://bench/root/specs/bench.json',
      trigger: { kind: 'manual', id: 'bench', at: new Date().toISOString() },
    },
    { workflowId: `${tag}-${id}`, taskQueue: tag },
  );
}

const started = Date.now();
const shortRun = await start('short', SHORT_S);
const longRun = await start('long', LONG_S);
let runningAtOnce = 0;
const counter = setInterval(() => {
  void client.workflow
    .count(`TaskQueue="${tag}" AND ExecutionStatus="Running"`)
    .then((c) => (runningAtOnce = Math.max(runningAtOnce, c.count)))
    .catch(() => undefined);
}, 5_000);
// 20 starts in flight: the dev server's start rate is the limit, not the callers.
const waiting: (typeof shortRun)[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: 20 }, async () => {
    while (next < WAITING) waiting.push(await start(`waiting-${next++}`, LONG_S));
  }),
);
// Wait through visibility, not `result()`: a thousand long polls held open by this client.
const all = `TaskQueue="${tag}"`;
while ((await client.workflow.count(`${all} AND ExecutionStatus="Running"`)).count > 0) await sleep(5_000);
const completed = (await client.workflow.count(`${all} AND ExecutionStatus="Completed"`)).count;
clearInterval(counter);
sampling = false;

// The job id the submit activity derives from each run (libs/contracts), as the fake saw it.
const jobOf = (h: typeof shortRun) =>
  `projects/bench/locations/us-central1/pipelineJobs/${pipelineJobIdFor(h.workflowId, h.firstExecutionRunId)}`;
worker.send({ gets: [jobOf(shortRun), jobOf(longRun)] });
const calls = await gets;
async function cost(handle: typeof shortRun, seconds: number) {
  const history = await handle.fetchHistory();
  return {
    jobSeconds: seconds,
    historyEvents: history.events?.length ?? 0,
    getPipelineJobCalls: calls[jobOf(handle)] ?? 0,
  };
}
const waitingEvents = await Promise.all(
  waiting.slice(0, 20).map(async (h) => (await h.fetchHistory()).events?.length ?? 0),
);

console.log(
  JSON.stringify(
    {
      pollIntervalMs: POLL_MS,
      maxCachedWorkflows: args.cache ?? 'worker default',
      nodeFlags: NODE_FLAGS.join(' '),
      short: await cost(shortRun, SHORT_S),
      long: await cost(longRun, LONG_S),
      waiting: waitReport({
        started: waiting.length + 2,
        runningAtOnce,
        completed,
        activitySlots: SLOTS,
        activitiesInFlightMax: last?.activitiesInFlightMax ?? 0,
        cachedWorkflowsMax: cachedMax,
        rssIdleBytes: rssIdle,
        rssPeakBytes: rssPeak,
      }),
      // Where the peak was: the main thread's V8 heap; the rest is the workflow thread and native memory.
      mainHeapAtPeakMb: {
        used: Math.round((atPeak?.heapUsedBytes ?? 0) / 1e5) / 10,
        total: Math.round((atPeak?.heapTotalBytes ?? 0) / 1e5) / 10,
      },
      // The worker's lifetime peak, start-up included (the figure above is the peak while runs waited).
      rssHighWaterMarkMb: Math.round((last?.rssPeakBytes ?? 0) / 1e5) / 10,
      waitingHistoryEvents: {
        min: Math.min(...waitingEvents),
        max: Math.max(...waitingEvents),
        sampled: waitingEvents.length,
      },
      wallSeconds: Math.round((Date.now() - started) / 1000),
    },
    null,
    2,
  ),
);
worker.kill('SIGTERM');
if (worker.exitCode === null) await new Promise((done) => worker.once('exit', done));
await connection.close();
rmSync(scratch, { recursive: true, force: true });
