// A fake-gcs-server of this test file's own (the cached stack binary on a free port, in memory):
// other test files start and stop the shared stack's GCS while these tests run.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@conveyor/testing';

function binary(): string {
  const dir = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'conveyor', 'bin');
  const name = readdirSync(dir).find((f) => f.startsWith('fake-gcs-server-'));
  if (!name) throw new Error(`no fake-gcs-server in ${dir}: run 'conveyor stack up' once`);
  return join(dir, name);
}

/** Starts a private fake GCS; returns its endpoint and a stop function. */
export async function startPrivateGcs(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary(),
    [
      '-scheme',
      'http',
      '-host',
      '127.0.0.1',
      '-port',
      String(port),
      '-backend',
      'memory',
      '-external-url',
      endpoint,
      '-public-host',
      `127.0.0.1:${port}`,
      '-log-level',
      'error',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/storage/v1/b`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('private fake-gcs-server did not start in 15 s');
    await sleep(100);
  }
  return {
    endpoint,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}
