// Worker memory benchmark: the real worker (apps/worker/src/main.ts) against the local stack, on a task
// queue of its own, with the local stack's environment. Measures the resident set size once the worker
// logged "worker started" and idled --settle seconds, and the time from spawn to "worker started",
// for each variant, --repeat times; prints medians as JSON.
//
//   npx node bench/src/worker-rss.ts [--variants runtime,prebuilt] [--repeat 3] [--settle 5] [--node-flags="<flags>"]
//
// Variants: `runtime` starts without CONVEYOR_WORKFLOW_BUNDLE, so the worker bundles the workflow code
// at start (what the local stack does), `prebuilt` runs apps/worker/src/bundle.ts once and starts with
// CONVEYOR_WORKFLOW_BUNDLE. The worker runs with its Node flags (`workerNodeFlags`, as the stack and
// the image start it) unless `--node-flags` replaces them (`--node-flags=` for none).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { localEnvironment, stackConfigFromEnv } from '@conveyor/stack';
import { workerFlagsOption } from './node-flags.ts';
import { prebuiltWorkflowBundle } from './workflow-bundle.ts';
import { rssOfProcStatus, workerRssReport, type WorkerSample } from './worker-rss-report.ts';
import { repoRoot } from '@conveyor/platform/repo-root';

const { values: args } = parseArgs({
  options: {
    variants: { type: 'string', default: 'runtime,prebuilt' },
    repeat: { type: 'string', default: '3' },
    settle: { type: 'string', default: '5' },
    'node-flags': { type: 'string' },
  },
});
const nodeFlags = workerFlagsOption(args['node-flags']);
const workerDir = join(repoRoot, 'apps', 'worker', 'src');
const stackEnv = localEnvironment(stackConfigFromEnv(process.env, repoRoot));
const scratch = mkdtempSync(join(tmpdir(), 'conveyor-worker-rss-'));
const STARTED = '"worker started"';
/** A worker that has not said it started within 3 minutes (a cold bundle on a loaded machine takes ~30 s) is broken. */
const START_TIMEOUT_MS = 180_000;

async function sample(variant: string, bundle: string | undefined, i: number): Promise<WorkerSample> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, join(workerDir, 'main.ts')], {
    env: {
      ...process.env,
      ...stackEnv,
      CONVEYOR_TASK_QUEUE: `bench-rss-${Date.now().toString(36)}-${i}`,
      LOG_LEVEL: 'info',
      ...(bundle ? { CONVEYOR_WORKFLOW_BUNDLE: bundle } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`${variant}: no "worker started" in time`)),
        START_TIMEOUT_MS,
      );
      let seen = '';
      child.stdout.on('data', (chunk: Buffer) => {
        seen = (seen + chunk.toString('utf8')).slice(-4096);
        if (seen.includes(STARTED)) {
          clearTimeout(timer);
          ready();
        }
      });
      child.once('exit', (code) =>
        fail(new Error(`${variant}: worker exited with ${code} before it started`)),
      );
    });
    const startMs = performance.now() - t0;
    await sleep(Number(args.settle) * 1000);
    const rssBytes = rssOfProcStatus(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { variant, rssBytes, startMs };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((done) => child.once('exit', done));
  }
}

try {
  const variants = (args.variants ?? '').split(',').filter(Boolean);
  const bundle = variants.includes('prebuilt')
    ? await prebuiltWorkflowBundle(join(scratch, 'workflow-bundle.js'))
    : undefined;
  const samples: WorkerSample[] = [];
  // Interleaved, so a change in the machine's load touches every variant alike.
  for (let i = 0; i < Number(args.repeat); i++) {
    for (const v of variants) samples.push(await sample(v, v === 'prebuilt' ? bundle : undefined, i));
  }
  console.log(
    JSON.stringify(
      {
        bench: 'worker-rss',
        settleSeconds: Number(args.settle),
        nodeFlags: nodeFlags.join(' '),
        ...workerRssReport(samples),
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
