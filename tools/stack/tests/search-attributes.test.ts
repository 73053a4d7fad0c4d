// A dev server whose database predates a Conveyor search attribute gets it registered.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackConfigFromEnv } from '../src/config.ts';
import { locateTemporal } from '../src/install.ts';
import { run } from '../src/exec.ts';
import { freePort } from '../src/process.ts';
import { ensureSearchAttributes } from '../src/search-attributes.ts';
import { STACK_SEARCH_ATTRIBUTES } from '../src/services.ts';

describe('ensureSearchAttributes', () => {
  let temporal: string;
  let server: ChildProcess;
  let dir: string;
  let address: string;
  beforeAll(async () => {
    // The integration project's global setup installed the CLI into the per-machine cache.
    const found = await locateTemporal(stackConfigFromEnv(process.env, process.cwd()).cacheDir);
    if (!found) throw new Error('temporal CLI missing from the cache');
    temporal = found;
    dir = await mkdtemp(join(tmpdir(), 'conveyor-sa-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    address = `127.0.0.1:${port}`;
    // An "old" server: only one of Conveyor's attributes registered when its database was made.
    server = spawn(
      temporal,
      ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)]
        .concat(['--db-filename', join(dir, 'db'), '--log-level', 'error'])
        .concat(['--search-attribute', 'ConveyorPipeline=Keyword']),
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const ok = await run(temporal, ['operator', 'cluster', 'health', '--address', address], {
        timeoutMs: 5_000,
      })
        .then(() => true)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the test dev server did not come up');
  }, 60_000);
  afterAll(async () => {
    server?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the missing ones, and nothing the second time', async () => {
    const created = await ensureSearchAttributes(temporal, address, 'default');
    expect(created.sort()).toEqual(
      Object.keys(STACK_SEARCH_ATTRIBUTES)
        .filter((n) => n !== 'ConveyorPipeline')
        .sort(),
    );
    const listed = JSON.parse(
      await run(temporal, ['operator', 'search-attribute', 'list', '--address', address, '-o', 'json']),
    ) as { customAttributes: Record<string, string> };
    for (const name of Object.keys(STACK_SEARCH_ATTRIBUTES)) {
      expect(listed.customAttributes[name]).toBe('INDEXED_VALUE_TYPE_KEYWORD');
    }
    expect(await ensureSearchAttributes(temporal, address, 'default')).toEqual([]);
  });
});
