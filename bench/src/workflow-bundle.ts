// The worker's prebuilt workflow bundle, written by apps/worker/src/bundle.ts in a child process, so a
// benchmark measuring memory never loads the bundler itself.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bundleScript = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'apps',
  'worker',
  'src',
  'bundle.ts',
);

/** Writes the bundle to `out` and returns `out`. @throws Error when bundle.ts fails */
export async function prebuiltWorkflowBundle(out: string): Promise<string> {
  const child = spawn(process.execPath, [bundleScript, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`apps/worker/src/bundle.ts exited with ${code}`);
  return out;
}
