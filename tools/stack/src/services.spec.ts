import { workerNodeFlags } from '@conveyor/platform/node-flags';
import { repoRoot } from '@conveyor/platform/repo-root';
import { describe, expect, it } from 'vitest';
import { stackConfigFromEnv } from './config.ts';
import type { Binaries } from './install.ts';
import { stackServices } from './services.ts';

describe('stackServices', () => {
  it('starts the worker with the V8 flags it runs with everywhere (workerNodeFlags)', () => {
    const config = stackConfigFromEnv({}, repoRoot);
    const worker = stackServices(config, {}, () => undefined).find((s) => s.name === 'worker');
    const { args } = worker?.command({} as Binaries) ?? { args: [] };
    expect(args.slice(0, workerNodeFlags.length)).toEqual(workerNodeFlags);
    expect(args.at(-1)).toMatch(/apps\/worker\/src\/main\.ts$/);
  });
});
