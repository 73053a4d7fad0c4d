// Property-based fuzzing of the decoder: 10,000 generated messages of every shape (hyperparameter
// objects in and out of bounds, operator settings, unknown names, every number spelling, broken JSON,
// invalid UTF-8, oversized bodies, bad attributes, 0–110 noise attributes of any Unicode), each judged
// against an independent oracle. bench/src/fuzz.ts runs the same model for longer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.ts';
import { fuzzCase, judge } from './fuzz.ts';

/** Cases per run: the floor; about two seconds here. */
const RUNS = 10_000;

describe('decodeMessage under fuzzing', () => {
  it(`never crashes and never decides wrongly over ${RUNS} messages`, { timeout: 60_000 }, () => {
    const decisions = new Map<string, number>();
    fc.assert(
      fc.property(fuzzCase(), (c) => {
        const verdict = judge(c);
        decisions.set(verdict.decision, (decisions.get(verdict.decision) ?? 0) + 1);
        // Plain throws: a vitest expect per case would cost more than the decoding it checks.
        if (verdict.crash !== undefined) throw new Error(`crashed: ${verdict.crash}`);
        if (verdict.wrong !== undefined) throw new Error(`wrong decision: ${verdict.wrong}`);
      }),
      { numRuns: RUNS },
    );
    // The generator reaches every decision (a model that only ever produced valid messages would
    // pass vacuously).
    for (const decision of [
      'started',
      'invalid-parameters',
      'not-json',
      'not-object',
      'too-large',
      'unknown-pipeline',
      'spec-not-allowed',
      'invalid-request',
    ]) {
      expect(decisions.get(decision) ?? 0, decision).toBeGreaterThan(50);
    }
  });

  it('the judge catches a decoder that accepts what it must refuse, and one that crashes', () => {
    const lenient: typeof decodeMessage = (m, o) => {
      const r = decodeMessage(m, o);
      return r.ok || r.reason !== 'invalid-parameters'
        ? r
        : decodeMessage({ ...m, data: Buffer.from('{}') }, o);
    };
    const crashing: typeof decodeMessage = () => {
      throw new RangeError('boom');
    };
    const sample = fc.sample(fuzzCase(), { numRuns: 500, seed: 42 });
    expect(sample.filter((c) => judge(c, lenient).wrong !== undefined).length).toBeGreaterThan(20);
    expect(sample.every((c) => judge(c, crashing).crash === 'RangeError: boom')).toBe(true);
  });
});
