import { describe, expect, it } from 'vitest';
import { estimateCost } from './cost.ts';

describe('estimateCost', () => {
  it("uses the original system's figures: $0.03 per pipeline run, n1-standard-4 at $0.19/hour", () => {
    // 10 build minutes at $0.003 + run fee + 1 h of pipeline machine time.
    const estimate = estimateCost({ buildMs: 10 * 60_000, pipelineMs: 3_600_000 });
    expect(estimate.usd).toBeCloseTo(0.03 + 0.03 + 0.19, 4);
    expect(estimate.basis).toContain('n1-standard-4 × $0.19/h');
  });
  it('costs the run fee alone when nothing was built or run', () => {
    expect(estimateCost({}).usd).toBe(0.03);
  });
});
