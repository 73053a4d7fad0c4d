import { describe, expect, it } from 'vitest';
import { NothingMeasuredError } from './stats.ts';
import { memoryStep, stepsReport } from './worker-steps-report.ts';

const rollup = (kb: number) => `00400000-7ffc [rollup]\nRss:  1 kB\nAnonymous:  ${kb} kB\nLazyFree:  0 kB\n`;

describe('worker-steps report', () => {
  it('reports each step in MB with what it added', () => {
    const steps = [
      memoryStep('node', { rss: 67e6, heapUsed: 7e6 }, rollup(20_000)),
      memoryStep('imports', { rss: 130e6, heapUsed: 30e6 }, rollup(70_000)),
    ];
    expect(stepsReport(steps)).toEqual([
      { name: 'node', rssMb: 67, addedRssMb: 67, heapUsedMb: 7, anonymousMb: 20 },
      { name: 'imports', rssMb: 130, addedRssMb: 63, heapUsedMb: 30, anonymousMb: 72 },
    ]);
  });

  it('refuses steps that measured nothing', () => {
    expect(() => stepsReport([])).toThrow(NothingMeasuredError);
    expect(() => stepsReport([memoryStep('x', { rss: 0, heapUsed: 0 }, rollup(1))])).toThrow(
      /nothing was measured/,
    );
    expect(() => memoryStep('x', { rss: 1, heapUsed: 1 }, 'Rss: 1 kB')).toThrow(/no Anonymous line/);
  });
});
