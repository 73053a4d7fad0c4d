import { workerNodeFlags } from '@conveyor/platform/node-flags';
import { repoRoot } from '@conveyor/platform/repo-root';
import { describe, expect, it } from 'vitest';
import { stackConfigFromEnv } from './config.ts';
import type { Binaries } from './install.ts';
import { dynamicConfigArgs, STACK_DYNAMIC_CONFIG, stackServices } from './services.ts';

const binaries: Binaries = {
  temporal: '/bin/temporal',
  fakeGcsServer: '/bin/gcs',
  pubsubEmulator: '/bin/pstest',
};

function argsOf(name: string): string[] {
  const config = stackConfigFromEnv({}, repoRoot);
  const service = stackServices(config, {}, () => undefined).find((s) => s.name === name);
  if (!service) throw new Error(`no ${name} service`);
  return service.command(binaries).args;
}

describe('the dev server arguments', () => {
  it('pass each dynamic config value as KEY=JSON', () => {
    expect(dynamicConfigArgs({ 'a.duration': '100ms', 'b.count': 3, 'c.on': true })).toEqual([
      '--dynamic-config-value',
      'a.duration="100ms"',
      '--dynamic-config-value',
      'b.count=3',
      '--dynamic-config-value',
      'c.on=true',
    ]);
    expect(dynamicConfigArgs({})).toEqual([]);
  });

  it('start the dev server with a timer read-ahead shift under a second (schedules of 1 s fire on time)', () => {
    const args = argsOf('temporal');
    const values = args.flatMap((a, i) => (args[i - 1] === '--dynamic-config-value' ? [a] : []));
    expect(values).toEqual(['history.timerProcessorMaxTimeShift="100ms"']);
    // The server's default is 1 s: anything at or above it brings the second of lag back.
    expect(STACK_DYNAMIC_CONFIG['history.timerProcessorMaxTimeShift']).toMatch(/^\d{1,3}ms$/);
  });
});

describe('the worker arguments', () => {
  it('start the worker with the V8 flags it runs with everywhere (workerNodeFlags)', () => {
    const args = argsOf('worker');
    expect(args.slice(0, workerNodeFlags.length)).toEqual(workerNodeFlags);
    expect(args.at(-1)).toMatch(/apps\/worker\/src\/main\.ts$/);
  });
});
