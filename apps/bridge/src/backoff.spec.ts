import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('doubles up to the cap and resets on success', () => {
    const b = new Backoff(100, 1000);
    const delays = Array.from({ length: 6 }, () => b.fail());
    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[3]).toBeGreaterThanOrEqual(640);
    expect(delays[5]).toBeLessThanOrEqual(1200);
    b.succeed();
    expect(b.fail()).toBeLessThanOrEqual(120);
  });
});
