import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './stats.ts';

describe('summarize', () => {
  it('gives nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(summarize(values)).toEqual({ n: 100, min: 1, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });
  it('is NaN for an empty sample rather than a made-up zero', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(summarize([]).p99).toBeNaN();
  });
});
