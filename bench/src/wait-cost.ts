// Wait-cost benchmark: what following a long pipeline job costs with the retry-based wait
// (the check activity throws a BENIGN "still running" failure retried at a fixed interval, so the
// history does not grow with job length and no worker slot is held). Real Temporal server and real worker (trainingRun + activities in this process);
// the Vertex API is a counting fake whose jobs finish after a given duration, so a 10-minute job
// costs 10 minutes of wall time but no cloud. Prints JSON:
//   - history events and GetPipelineJob calls per run, for a short and a long job;
//   - this process's RSS (worker + client) idle and with `--waiting` runs waiting at once.
//
//   npx node bench/src/wait-cost.ts [--short 60] [--long 600] [--waiting 200] [--poll 10000]
//
// Needs the local stack's Temporal (`conveyor stack up`); TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE
// override. Runs use a unique task queue; leftovers are terminated at the end.
import { defaultConventions } from '@conveyor/pipeline';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps, type PipelineApi } from '@conveyor/activities';
import type { PipelineJobInfo } from '@conveyor/gcp';
import { startTrainingRun } from '@conveyor/platform';

const require = createRequire(import.meta.url);
const { values: args } = parseArgs({
  options: {
    short: { type: 'string', default: '60' },
    long: { type: 'string', default: '600' },
    waiting: { type: 'string', default: '200' },
    poll: { type: 'string', default: '10000' },
  },
});
const SHORT_S = Number(args.short);
const LONG_S = Number(args.long);
const WAITING = Number(args.waiting);
const POLL_MS = Number(args.poll);
const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
const namespace = process.env['TEMPORAL_NAMESPACE'] ?? 'default';
const tag = `bench-wait-${Date.now().toString(36)}`;

// Keep the SDK quiet: the BENIGN "still running" retries are the point, not news.
Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });

/** A Vertex fake: a job succeeds `duration_s` seconds after creation; Get calls are counted per job. */
function fakeVertex(): PipelineApi & { gets: Map<string, number> } {
  const jobs = new Map<string, { created: number; durationMs: number; cancelled: boolean }>();
  const gets = new Map<string, number>();
  const view = (name: string): PipelineJobInfo => {
    const job = jobs.get(name);
    if (!job) throw Object.assign(new Error('not found'), { code: 5 });
    const done = Date.now() - job.created >= job.durationMs;
    const state = job.cancelled
      ? 'PIPELINE_STATE_CANCELLED'
      : done
        ? 'PIPELINE_STATE_SUCCEEDED'
        : 'PIPELINE_STATE_RUNNING';
    const task = job.cancelled ? 'CANCELLED' : done ? 'SUCCEEDED' : 'RUNNING';
    return {
      name,
      state,
      tasks: [{ name: 'train', state: task, outputs: {}, executionMetadata: {}, root: false }],
      startTime: job.created,
      endTime: done ? job.created + job.durationMs : undefined,
    };
  };
  return {
    gets,
    jobName: (id) => `projects/bench/locations/us-central1/pipelineJobs/${id}`,
    async createPipelineJob(input) {
      const name = `projects/bench/locations/us-central1/pipelineJobs/${input.pipelineJobId}`;
      const seconds = Number(input.runtimeConfig.parameterValues?.['duration_s'] ?? 0);
      jobs.set(name, { created: Date.now(), durationMs: seconds * 1000, cancelled: false });
      return view(name);
    },
    async getPipelineJob(name) {
      gets.set(name, (gets.get(name) ?? 0) + 1);
      return view(name);
    },
    async cancelPipelineJob(name) {
      const job = jobs.get(name);
      if (job) job.cancelled = true;
    },
  };
}

const vertex = fakeVertex();
const deps: ActivityDeps = {
  builds: {
    createBuild: () => Promise.reject(new Error('no builds in this benchmark')),
    getBuild: () => Promise.reject(new Error('no builds in this benchmark')),
    listBuildsByTag: async () => [],
    cancelBuild: () => Promise.reject(new Error('no builds in this benchmark')),
  },
  pipelines: vertex,
  store: {
    writeIfAbsent: async () => true,
    write: async () => undefined,
    read: async () => Buffer.from('{}'),
    list: async () => [],
    copy: async () => undefined,
  },
  registry: { hasManifest: async () => true },
  images: {
    subscribe: () => Promise.reject(new Error('no image builds in this benchmark')),
    unsubscribe: async () => undefined,
  },
  catalog: {
    has: () => true,
    conventions: (name) => defaultConventions(name),
    typeParameters: (_n, v) => v as never,
    typeGivenParameters: (_n, v) => v as never,
    compile: () => ({ json: '{}', sha256: '' }),
    typeSpecParameters: (_s, v) => v as never,
    toJob: (_s, values, dir) => ({
      pipelineSpec: {},
      runtimeConfig: { gcsOutputDirectory: dir, parameterValues: values },
    }),
  },
  settings: {
    projectId: 'bench',
    region: 'us-central1',
    pipelineRoot: 'gs://bench/root',
    imageRepository: 'bench',
    pollIntervalMs: POLL_MS,
  },
};

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace });
const nativeConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: nativeConnection,
  namespace,
  taskQueue: tag,
  workflowsPath: require.resolve('@conveyor/workflows'),
  activities: createActivities(deps),
  // Enough slots that 200 waiting runs never queue behind each other's polls.
  maxConcurrentActivityTaskExecutions: 200,
});
const running = worker.run();
const mb = (bytes: number) => Math.round(bytes / 1e5) / 10;
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
const waiting = [];
for (let i = 0; i < WAITING; i++) waiting.push(await start(`waiting-${i}`, LONG_S));

// Peak RSS while everything waits (sampled every 5 s until the long runs end).
let rssPeak = 0;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5_000);
await Promise.all([shortRun.result(), longRun.result(), ...waiting.map((h) => h.result())]);
clearInterval(sampler);

async function cost(handle: typeof shortRun, seconds: number) {
  const history = await handle.fetchHistory();
  const name = vertex.jobName(handle.workflowId);
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
      short: await cost(shortRun, SHORT_S),
      long: await cost(longRun, LONG_S),
      waitingRuns: WAITING,
      waitingHistoryEvents: {
        min: Math.min(...waitingEvents),
        max: Math.max(...waitingEvents),
        sampled: waitingEvents.length,
      },
      rssMb: { idle: mb(rssIdle), peakWithWaitingRuns: mb(rssPeak) },
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
