// Wait-cost benchmark: what following a long pipeline job costs with the retry-based wait
// (the check activity throws a benign "still running" failure retried at a fixed interval, so the history does not grow with the job and no slot is held). Real Temporal server and real worker (trainingRun + activities in this process);
// the Vertex API is a counting fake whose jobs finish after a given duration, so a 10-minute job
// costs 10 minutes of wall time but no cloud. Prints JSON:
//   - history events and GetPipelineJob calls per run, for a short and a long job;
//   - `--waiting` runs waiting at once on this one worker: how many ran at once (visibility count),
//     the most activity slots in use out of `--slots` (the wait holds none between polls), the most
//     cached workflows, and this process's RSS (worker + client) idle and at the peak.
//
//   npx node bench/src/wait-cost.ts [--short 60] [--long 600] [--waiting 200] [--poll 10000] [--slots 10] [--cache N]
//
// Needs the local stack's Temporal (`conveyor stack up`); TEMPORAL_ADDRESS (else CONVEYOR_TEMPORAL_PORT)
// and TEMPORAL_NAMESPACE override. Runs use a unique task queue; leftovers are terminated at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '@conveyor/activities';
import { pipelineJobIdFor } from '@conveyor/contracts';
import { startTrainingRun } from '@conveyor/platform';
import { benchActivityDeps, memoryVertex } from './fake-cloud.ts';
import { waitReport } from './wait-cost-report.ts';
import { prebuiltWorkflowBundle } from './workflow-bundle.ts';

const { values: args } = parseArgs({
  options: {
    short: { type: 'string', default: '60' },
    long: { type: 'string', default: '600' },
    waiting: { type: 'string', default: '200' },
    poll: { type: 'string', default: '10000' },
    slots: { type: 'string', default: '10' },
    cache: { type: 'string' },
  },
});
const SHORT_S = Number(args.short);
const LONG_S = Number(args.long);
const WAITING = Number(args.waiting);
const POLL_MS = Number(args.poll);
const SLOTS = Number(args.slots);
/** maxCachedWorkflows; the SDK's default (from the heap limit, ~1,000 here) when absent. */
const CACHE = args.cache === undefined ? undefined : Number(args.cache);
const address =
  process.env['TEMPORAL_ADDRESS'] ?? `127.0.0.1:${process.env['CONVEYOR_TEMPORAL_PORT'] ?? '7233'}`;
const namespace = process.env['TEMPORAL_NAMESPACE'] ?? 'default';
const tag = `bench-wait-${Date.now().toString(36)}`;

// Keep the SDK quiet: the BENIGN "still running" retries are the point, not news.
Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });

const vertex = memoryVertex();
const deps = benchActivityDeps(vertex, POLL_MS);

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-wait-cost-'));
const bundle = await prebuiltWorkflowBundle(join(scratch, 'workflow-bundle.js'));
const nativeConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: nativeConnection,
  namespace,
  taskQueue: tag,
  // Prebuilt, as in production: bundling here would leave the bundler in the RSS measured.
  workflowBundle: { codePath: bundle },
  activities: createActivities(deps),
  // Few slots on purpose: the retry-based wait holds none between polls, so 1,000 runs wait on 10.
  maxConcurrentActivityTaskExecutions: SLOTS,
  ...(CACHE === undefined ? {} : { maxCachedWorkflows: CACHE }),
});
const running = worker.run();
await sleep(2_000);
const rssIdle = process.memoryUsage().rss;

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
// Peak RSS, slots in use and cached workflows while everything waits (RSS every 5 s, cached workflows
// every 100 ms, runs running at once every 5 s, until the long runs end).
let rssPeak = 0;
let inFlightMax = 0;
let cachedMax = 0;
let runningAtOnce = 0;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5_000);
// Every change of the worker's in-flight activity count (a sample would miss polls of a few ms).
const inFlight = worker.numInFlightActivities$.subscribe((n) => (inFlightMax = Math.max(inFlightMax, n)));
const slotSampler = setInterval(() => {
  cachedMax = Math.max(cachedMax, worker.getStatus().numCachedWorkflows);
}, 100);
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
// Wait through visibility, not `result()`: a thousand long polls held open by the client would be
// counted in this process's RSS as if the worker used it.
const all = `TaskQueue="${tag}"`;
while ((await client.workflow.count(`${all} AND ExecutionStatus="Running"`)).count > 0) await sleep(5_000);
const completed = (await client.workflow.count(`${all} AND ExecutionStatus="Completed"`)).count;
clearInterval(sampler);
clearInterval(slotSampler);
inFlight.unsubscribe();
clearInterval(counter);

async function cost(handle: typeof shortRun, seconds: number) {
  const history = await handle.fetchHistory();
  // The job id the submit activity derives from the run (libs/contracts), as the fake saw it.
  const name = vertex.jobName(pipelineJobIdFor(handle.workflowId, handle.firstExecutionRunId));
  return {
    jobSeconds: seconds,
    historyEvents: history.events?.length ?? 0,
    getPipelineJobCalls: vertex.gets.get(name) ?? 0,
  };
}
const waitingEvents = await Promise.all(
  waiting.slice(0, 20).map(async (h) => (await h.fetchHistory()).events?.length ?? 0),
);

console.log(
  JSON.stringify(
    {
      pollIntervalMs: POLL_MS,
      maxCachedWorkflows: CACHE ?? 'SDK default',
      short: await cost(shortRun, SHORT_S),
      long: await cost(longRun, LONG_S),
      waiting: waitReport({
        started: waiting.length + 2,
        runningAtOnce,
        completed,
        activitySlots: SLOTS,
        activitiesInFlightMax: inFlightMax,
        cachedWorkflowsMax: cachedMax,
        rssIdleBytes: rssIdle,
        rssPeakBytes: rssPeak,
      }),
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
worker.shutdown();
await running;
await nativeConnection.close();
await connection.close();
rmSync(scratch, { recursive: true, force: true });
