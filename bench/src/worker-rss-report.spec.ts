import { describe, expect, it } from 'vitest';
import { NothingMeasuredError } from './stats.ts';
import { rssOfProcStatus, workerRssReport } from './worker-rss-report.ts';

describe('worker-rss report', () => {
  it('reads VmRSS from /proc/<pid>/status', () => {
    expect(rssOfProcStatus('Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t  245760 kB\nThreads:\t12\n')).toBe(
      245_760 * 1024,
    );
    expect(() => rssOfProcStatus('Name:\tnode\n')).toThrow(NothingMeasuredError);
  });

  it('reports the median of each variant', () => {
    const report = workerRssReport([
      { variant: 'runtime', rssBytes: 500e6, startMs: 9_000 },
      { variant: 'prebuilt', rssBytes: 240e6, startMs: 2_000 },
      { variant: 'runtime', rssBytes: 520e6, startMs: 11_000 },
      { variant: 'prebuilt', rssBytes: 250e6, startMs: 3_000 },
      { variant: 'runtime', rssBytes: 510e6, startMs: 10_000 },
    ]);
    expect(report.variants).toEqual({
      runtime: { samples: 3, rssMb: 510, startMs: 10_000 },
      prebuilt: { samples: 2, rssMb: 240, startMs: 2_000 },
    });
  });

  it('refuses to report a run that measured nothing', () => {
    expect(() => workerRssReport([])).toThrow(NothingMeasuredError);
    expect(() => workerRssReport([{ variant: 'runtime', rssBytes: 0, startMs: 1 }])).toThrow(
      NothingMeasuredError,
    );
  });
});
