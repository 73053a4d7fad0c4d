// The worker process of bench/src/wait-cost.ts: the real worker's composition (apps/worker's
// composeWorker: config, Temporal connection, the real Google clients, the worker options, the
// prebuilt bundle) whose activities talk to the fake Vertex of fake-cloud.ts, so a job can last ten
// minutes without running anything. Its own process, as the real worker is: the benchmark's client
// (1,000 starts, visibility queries) is not counted in the memory measured.
//
//   node [node flags] bench/src/wait-worker.ts <activity slots>      (config: the worker's environment)
//
// Over IPC it sends a sample every second ({@link WorkerSample}) and answers `{gets: [job names]}`
// with the GetPipelineJob calls the fake saw for each.
import { readFileSync } from 'node:fs';
import { Runtime } from '@temporalio/worker';
import { composeWorker } from '@conveyor/worker/compose';
import { loadConfig } from '@conveyor/worker/config';
import { benchActivityDeps, memoryVertex } from './fake-cloud.ts';

/** What the worker process reports every second. */
export interface WorkerSample {
  readonly kind: 'sample';
  /** `VmRSS` and `VmHWM` (peak RSS) from /proc/self/status, bytes. */
  readonly rssBytes: number;
  readonly rssPeakBytes: number;
  /** The main thread's V8 heap (the workflow thread has its own, not counted here). */
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly cachedWorkflows: number;
  /** The most activities in flight at once so far (every change counted, not sampled). */
  readonly activitiesInFlightMax: number;
}

const send = (message: unknown): void => void process.send?.(message);
const kb = (status: string, key: string): number =>
  Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) * 1024;

const slots = Number(process.argv[2] ?? '10');
const config = loadConfig(process.env);
// Keep the SDK quiet: the BENIGN "still running" retries are the point, not news.
Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
const vertex = memoryVertex();
const { worker, close } = await composeWorker(config, benchActivityDeps(vertex, 0).catalog, {
  adaptActivityDeps: () => benchActivityDeps(vertex, config.pollIntervalMs),
  maxConcurrentActivityTaskExecutions: slots,
});
let inFlightMax = 0;
const inFlight = worker.numInFlightActivities$.subscribe((n) => (inFlightMax = Math.max(inFlightMax, n)));
const sampler = setInterval(() => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const memory = process.memoryUsage();
  const sample: WorkerSample = {
    kind: 'sample',
    rssBytes: kb(status, 'VmRSS'),
    rssPeakBytes: kb(status, 'VmHWM'),
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    cachedWorkflows: worker.getStatus().numCachedWorkflows,
    activitiesInFlightMax: inFlightMax,
  };
  send(sample);
}, 1_000);
process.on('message', (m: { gets?: string[] }) => {
  if (m.gets)
    send({ kind: 'gets', gets: Object.fromEntries(m.gets.map((n) => [n, vertex.gets.get(n) ?? 0])) });
});
process.once('SIGTERM', () => worker.shutdown());
send({ kind: 'ready' });
try {
  await worker.run();
} finally {
  clearInterval(sampler);
  inFlight.unsubscribe();
  await close();
  process.disconnect?.();
}
