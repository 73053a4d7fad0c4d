import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { createFaultInjector, ruleFor } from './fault-injector.ts';

describe('fault injection', () => {
  it('picks the most specific rule: Service/Method, then Service/*, then *', () => {
    const config = {
      'CloudBuild/GetBuild': { delayMs: 1 },
      'CloudBuild/*': { delayMs: 2 },
      '*': { delayMs: 3 },
    };
    expect(ruleFor(config, 'CloudBuild/GetBuild')?.delayMs).toBe(1);
    expect(ruleFor(config, 'CloudBuild/ListBuilds')?.delayMs).toBe(2);
    expect(ruleFor(config, 'PipelineService/GetPipelineJob')?.delayMs).toBe(3);
    expect(ruleFor({}, 'X/Y')).toBeUndefined();
  });

  it('fails with the configured code according to the probability', async () => {
    let roll = 0.5;
    const faults = createFaultInjector({ 'A/B': { code: 'UNAVAILABLE', probability: 0.3 } }, () => roll);
    await expect(faults.apply('A/B')).resolves.toBeUndefined();
    roll = 0.1;
    await expect(faults.apply('A/B')).rejects.toMatchObject({ code: status.UNAVAILABLE });
    await expect(faults.apply('A/C')).resolves.toBeUndefined();
  });

  it('adds latency, and can be changed at run time', async () => {
    const faults = createFaultInjector({});
    faults.set({ '*': { delayMs: 120 } });
    const t0 = Date.now();
    await faults.apply('A/B');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(faults.get()).toEqual({ '*': { delayMs: 120 } });
  });

  it('rejects unknown status names and bad probabilities', () => {
    expect(() => createFaultInjector({ '*': { code: 'NOPE' } })).toThrow(/NOPE/);
    const faults = createFaultInjector({});
    expect(() => faults.set({ '*': { code: 14, probability: 2 } })).toThrow();
    expect(faults.get()).toEqual({});
  });
});
