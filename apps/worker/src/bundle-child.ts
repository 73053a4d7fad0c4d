// The workflow bundle, built in a child process when no prebuilt one is configured. Bundling in the
// worker itself loads webpack and swc into it for good: about 160 MB of resident memory that an idle
// worker keeps (bench/src/worker-rss.ts, runtime vs prebuilt). The child exits and takes it along.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A bundle written to a private temporary directory. */
export interface TemporaryBundle {
  readonly path: string;
  /** Deletes the directory; Worker.create has read the file by the time it returns. */
  remove(): Promise<void>;
}

/** Error of a bundling child that did not succeed; its stderr went to this process's stderr. */
export class BundleError extends Error {
  override readonly name = 'BundleError';
  readonly exitCode: number | null;
  constructor(exitCode: number | null) {
    super(`bundling the workflow code failed (bundle.ts exited with ${exitCode}); see the lines above`);
    this.exitCode = exitCode;
  }
}

/**
 * Runs `bundle.ts` (the same bundler options as the prebuilt bundle) with this process's Node and
 * returns the bundle's path. @throws BundleError when the child fails
 */
export async function bundleInChildProcess(): Promise<TemporaryBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'conveyor-workflow-bundle-'));
  const path = join(dir, 'workflow-bundle.js');
  const remove = () => rm(dir, { recursive: true, force: true });
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bundle.ts');
  // stdout carries the bundler's progress and the result line: not the worker's log.
  const child = spawn(process.execPath, [script, path], { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) {
    await remove();
    throw new BundleError(code);
  }
  return { path, remove };
}
