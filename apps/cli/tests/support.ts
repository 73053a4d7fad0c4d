// Fixtures of the CLI trigger tests: the conveyor command as a child process, the temporal binary, a
// stub trainingRun worker on a unique task queue.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { StackInfo } from '@conveyor/testing';
import { repoRoot } from '@conveyor/platform/repo-root';

const here = dirname(fileURLToPath(import.meta.url));
const mainTs = join(here, '..', 'src', 'main.ts');
const require = createRequire(import.meta.url);

/** The repository root: real runs on the stack build from this checkout. */
export { repoRoot };

/** The stack of the global setup. */
export function stack(): StackInfo {
  return inject('stack');
}

/** The env a user of the local stack has. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...stack().env, CONVEYOR_REPO_URL: '/tmp/conveyor-test-repo', ...extra };
}

/** What a `conveyor` process did. */
export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

function runFile(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    // 60 s by default: a CLI call does a few RPCs; the bound only catches a hang.
    execFile(
      file,
      args,
      {
        env,
        timeout: options.timeoutMs ?? 60_000,
        cwd: options.cwd ?? repoRoot,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}

/** Runs `conveyor <args>`; throws with its stderr when it fails. */
export async function conveyor(args: string[], extra: Record<string, string> = {}): Promise<string> {
  const r = await runFile(process.execPath, [mainTs, ...args], cliEnv(extra));
  if (r.code !== 0) throw new Error(`conveyor ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** Runs `conveyor <args>` and returns the exit code and output, failure included. */
export function conveyorRaw(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; extra?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return runFile(process.execPath, [mainTs, ...args], options.env ?? cliEnv(options.extra), options);
}

/** Runs `conveyor <args> -o json` on this checkout (real runs) and parses stdout; throws when it fails. */
export async function conveyorJson<T>(
  args: string[],
  extra: Record<string, string> = {},
  timeoutMs?: number,
): Promise<T> {
  const r = await conveyorRaw([...args, '-o', 'json'], {
    extra: { CONVEYOR_REPO_URL: repoRoot, ...extra },
    timeoutMs,
  });
  if (r.code !== 0)
    throw new Error(`conveyor ${args.join(' ')} -o json failed (${r.code}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs the `temporal` CLI against the stack; throws with its output when it fails. */
export async function temporalCli(args: string[]): Promise<string> {
  const s = stack();
  const r = await runFile(
    s.temporal.cliPath,
    [...args, '--address', s.temporal.address, '--namespace', s.temporal.namespace],
    process.env,
  );
  if (r.code !== 0) throw new Error(`temporal ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A Temporal client on the stack's server. */
export async function temporalClient(): Promise<{ connection: Connection; client: Client }> {
  const s = stack();
  const connection = await Connection.connect({ address: s.temporal.address });
  return { connection, client: new Client({ connection, namespace: s.temporal.namespace }) };
}

/** A worker running the stub trainingRun on `taskQueue` until `stop()`. */
export async function stubWorker(taskQueue: string): Promise<{ stop: () => Promise<void> }> {
  const s = stack();
  const connection = await NativeConnection.connect({ address: s.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: s.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('./stub-workflow.ts'),
  });
  const running = worker.run();
  return {
    stop: async () => {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Polls `fn` until it returns true or `timeoutMs` passes. */
export async function eventually(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Runs on `taskQueue`. */
export async function countRuns(client: Client, taskQueue: string, extra = ''): Promise<number> {
  return (await client.workflow.count(`TaskQueue="${taskQueue}"${extra ? ` AND ${extra}` : ''}`)).count;
}
