// Horizontal scaling: --runs short trainingRuns (a --duration seconds pipeline job each, over the fake
// cloud of fake-cloud.ts, jobs shared by the worker processes through a directory) on 1, 2, …
// worker processes (--workers) against one Temporal, then the largest count again with one worker
// killed (SIGKILL) once half the runs completed: every run must still complete, and no pipeline job
// may be created twice. Prints JSON: one scaleReport per pass, and the speed-up over one worker.
//
//   npx node bench/src/scale.ts [--workers 1,2] [--runs 200] [--duration 2] [--poll 1000] [--node-flags="<flags>"]
//
// Worker processes run with the worker's V8 flags (workerNodeFlags) unless `--node-flags` replaces
// them (`--node-flags=` for none), to weigh what the flags cost in throughput.
//
// Needs the local stack's Temporal; TEMPORAL_ADDRESS (else CONVEYOR_TEMPORAL_PORT) overrides.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { startTrainingRun } from '@conveyor/platform';
import { round } from './bridge-report.ts';
import { scaleReport, type ScaleReport } from './scale-report.ts';
import { workerFlagsOption } from './node-flags.ts';
import { prebuiltWorkflowBundle } from './workflow-bundle.ts';
import { benchStackEnv } from './stack-env.ts';

const { values: args } = parseArgs({
  options: {
    workers: { type: 'string', default: '1,2' },
    runs: { type: 'string', default: '200' },
    duration: { type: 'string', default: '2' },
    poll: { type: 'string', default: '1000' },
    'node-flags': { type: 'string' },
  },
});
const NODE_FLAGS = workerFlagsOption(args['node-flags']);
const RUNS = Number(args.runs);
const stack = benchStackEnv(process.env);
const address = stack['TEMPORAL_ADDRESS'] ?? '';
const workerMain = join(dirname(fileURLToPath(import.meta.url)), 'scale-worker.ts');
/** A pass that has not finished in 10 minutes is stuck, not slow. */
const PASS_TIMEOUT_MS = 600_000;

const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace: stack['TEMPORAL_NAMESPACE'] ?? '' });
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-scale-'));

async function spawnWorker(taskQueue: string, jobsDir: string, bundle: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [...NODE_FLAGS, workerMain, taskQueue, jobsDir, bundle, String(args.poll)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ready, fail) => {
    child.stdout?.once('data', () => ready());
    child.once('exit', (code) => fail(new Error(`scale worker exited with ${code} before it was ready`)));
  });
  return child;
}

async function pass(workers: number, kill: boolean, bundle: string): Promise<ScaleReport> {
  const taskQueue = `bench-scale-${Date.now().toString(36)}-${workers}${kill ? 'k' : ''}`;
  const jobsDir = mkdtempSync(join(scratch, 'jobs-'));
  const children = await Promise.all(
    Array.from({ length: workers }, () => spawnWorker(taskQueue, jobsDir, bundle)),
  );
  try {
    const t0 = Date.now();
    let completed = 0;
    let next = 0;
    const results: Promise<unknown>[] = [];
    // 20 starts in flight: the dev server's start rate is the limit, not the callers.
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < RUNS) {
          const i = next++;
          const handle = await startTrainingRun(
            client,
            {
              pipeline: 'bench',
              parameters: { duration_s: Number(args.duration) },
              source: { repoUrl: 'none', branch: 'main' },
              spec: 'gs://bench/root/specs/bench.json',
              trigger: { kind: 'manual', id: `${taskQueue}-${i}`, at: new Date().toISOString() },
            },
            { workflowId: `${taskQueue}-${i}`, taskQueue },
          );
          results.push(handle.result().then(() => completed++));
        }
      }),
    );
    const all = Promise.allSettled(results);
    if (kill) {
      while (completed < RUNS / 2 && Date.now() - t0 < PASS_TIMEOUT_MS) await sleep(100);
      children[0]?.kill('SIGKILL');
    }
    // Unref'd: a pass that ends in time must not keep the bench alive until the deadline.
    await Promise.race([all, sleep(PASS_TIMEOUT_MS, undefined, { ref: false })]);
    const wallMs = Date.now() - t0;
    let created: string[] = [];
    try {
      created = readFileSync(join(jobsDir, 'creates.log'), 'utf8').split('\n').filter(Boolean);
    } catch {
      // No job was created: the report refuses the pass.
    }
    return scaleReport({ workers, killed: kill, runs: RUNS, completed, wallMs, jobsCreated: created });
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.exitCode === null && c.signalCode === null
          ? new Promise((done) => c.once('exit', done))
          : undefined,
      ),
    );
  }
}

try {
  const bundle = await prebuiltWorkflowBundle(join(scratch, 'workflow-bundle.js'));
  const counts = (args.workers ?? '1').split(',').map(Number);
  const passes: ScaleReport[] = [];
  for (const n of counts) passes.push(await pass(n, false, bundle));
  const most = Math.max(...counts);
  if (most >= 2) passes.push(await pass(most, true, bundle));
  const one = passes.find((p) => p.workers === 1 && !p.killed);
  const best = passes.find((p) => p.workers === most && !p.killed);
  console.log(
    JSON.stringify(
      {
        bench: 'scale',
        jobSeconds: Number(args.duration),
        nodeFlags: NODE_FLAGS.join(' '),
        passes,
        speedUp: one && best ? round(best.runsPerSecond / one.runsPerSecond) : null,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
  await connection.close();
}
