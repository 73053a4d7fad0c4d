// Where an idle worker's memory goes: the worker's composition (apps/worker: imports, Temporal
// Runtime and connections, the Google clients, Worker.create) replayed step by step in this process
// against the local stack, with process.memoryUsage() and /proc/self/smaps_rollup after each step
// (three forced GCs first). Prints JSON: per step the resident set, the main thread's V8 heap and
// the anonymous memory, and what the step added.
//
//   npx node --expose-gc --max-semi-space-size=1 --optimize-for-size bench/src/worker-steps.ts
//
// Run it with the worker's Node flags (workerNodeFlags) to see what the worker sees, without them to
// see what they save. The workflow thread's heap is not in `heapUsed`: it shows in `rss` and `anon`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { memoryStep, stepsReport, type MemoryStep } from './worker-steps-report.ts';

const STEPS_ENV = 'CONVEYOR_BENCH_STEPS_CHILD';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc: each step is measured after a full GC');
if (!process.env[STEPS_ENV]) {
  // This process prepares the stack's environment and the bundle, then measures in a child that
  // loads nothing before its first step (same Node flags), as the worker starts.
  const { localEnvironment, stackConfigFromEnv } = await import('@conveyor/stack');
  const { repoRoot } = await import('@conveyor/platform/repo-root');
  const { prebuiltWorkflowBundle } = await import('./workflow-bundle.ts');
  const scratch = mkdtempSync(join(tmpdir(), 'conveyor-worker-steps-'));
  try {
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: {
        ...process.env,
        ...localEnvironment(stackConfigFromEnv(process.env, repoRoot)),
        CONVEYOR_WORKFLOW_BUNDLE: await prebuiltWorkflowBundle(join(scratch, 'workflow-bundle.js')),
        CONVEYOR_TASK_QUEUE: `bench-steps-${Date.now().toString(36)}`,
        [STEPS_ENV]: '1',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    process.exitCode = child.status ?? 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  process.exit();
}
const env = process.env;
const steps: MemoryStep[] = [];
async function step(name: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(200);
  }
  steps.push(memoryStep(name, process.memoryUsage(), readFileSync('/proc/self/smaps_rollup', 'utf8')));
}

await step('node');
const { NativeConnection } = await import('@temporalio/worker');
const { Client, Connection } = await import('@temporalio/client');
await step('@temporalio/worker + client');
const platform = await import('@conveyor/platform');
const { startTracing } = await import('@conveyor/platform/tracing');
const { installTemporalRuntime } = await import('@conveyor/platform/runtime');
await step('platform (pino, OpenTelemetry)');
await import('@conveyor/gcp');
await step('@conveyor/gcp');
const { createPipelineCatalog } = await import('@conveyor/activities');
const { loadConfig } = await import('@conveyor/worker/config');
const { createWorkerDeps } = await import('@conveyor/worker/deps');
const { createConveyorWorker } = await import('@conveyor/worker/worker');
await step('other imports');
const config = loadConfig(env);
installTemporalRuntime(platform.createLogger({ name: 'bench-steps', level: 'warn' }), {});
const tracing = startTracing(config.tracing);
const options = platform.temporalConnectionOptions(config.temporal);
const connection = await NativeConnection.connect(options);
const clientConnection = await Connection.connect(options);
const client = new Client({ connection: clientConnection, namespace: config.temporal.namespace });
await step('Runtime + connections');
const deps = await createWorkerDeps(config, createPipelineCatalog(), client);
await step('Google clients');
const worker = await createConveyorWorker({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.taskQueue,
  activityDeps: deps.activityDeps,
  workflowBundlePath: config.workflowBundlePath,
  maxCachedWorkflows: config.maxCachedWorkflows,
  tracing,
});
await step('Worker.create');
const running = worker.run();
// V8's memory reducer starts 8 s after the last burst: measure after it, as an idle worker is.
await sleep(30_000);
await step('polling, 30 s idle');
console.log(
  JSON.stringify({ bench: 'worker-steps', execArgv: process.execArgv, steps: stepsReport(steps) }, null, 2),
);
worker.shutdown();
await running;
await deps.close();
await clientConnection.close();
await connection.close();
await tracing.shutdown();
