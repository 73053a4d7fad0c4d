import { workerNodeFlags } from '@conveyor/platform/node-flags';
import { describe, expect, it } from 'vitest';
import { workerFlagsOption } from './node-flags.ts';

describe('--node-flags', () => {
  it("defaults to the worker's flags; the option replaces them, empty for none", () => {
    expect(workerFlagsOption(undefined)).toEqual(workerNodeFlags);
    expect(workerFlagsOption('')).toEqual([]);
    expect(workerFlagsOption(' --max-semi-space-size=4  --trace-gc ')).toEqual([
      '--max-semi-space-size=4',
      '--trace-gc',
    ]);
  });
});
