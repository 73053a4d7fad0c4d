import { describe, expect, it } from 'vitest';
import { decodeMessage } from '@conveyor/bridge/fuzz';
import { runFuzz } from './fuzz-run.ts';

describe('bench fuzz', () => {
  it('measures: every case tried and judged, every kind of decision reached, nothing wrong', () => {
    const report = runFuzz({ cases: 1500, seed: 7 });
    expect(report.inputsTried).toBe(1500);
    expect(Object.values(report.decisions).reduce((a, b) => a + b, 0)).toBe(1500);
    expect(Object.keys(report.decisions).sort()).toEqual(
      [
        'invalid-parameters',
        'invalid-request',
        'not-json',
        'not-object',
        'spec-not-allowed',
        'started',
        'too-large',
        'unknown-pipeline',
      ].sort(),
    );
    expect(report).toMatchObject({ crashes: 0, wrongDecisions: 0, examples: [] });
    expect(report.inputsPerSecond).toBeGreaterThan(0);
  });

  it('counts crashes and wrong decisions when the decoder has them', () => {
    const crashing = runFuzz({
      cases: 200,
      seed: 7,
      decode: () => {
        throw new Error('boom');
      },
    });
    expect(crashing).toMatchObject({ inputsTried: 200, crashes: 200 });
    expect(crashing.examples[0]?.why).toBe('Error: boom');
    const acceptsAll = runFuzz({
      cases: 500,
      seed: 7,
      decode: (m, o) => decodeMessage({ ...m, data: Buffer.from('{}'), attributes: {} }, o),
    });
    expect(acceptsAll.wrongDecisions).toBeGreaterThan(100);
    expect(acceptsAll.examples.length).toBe(5);
  });
});
