import { describe, expect, it } from 'vitest';
import type { Penguin } from './penguin.ts';
import { stratifiedSplit } from './split.ts';

function penguins(counts: Record<string, number>): Penguin[] {
  return Object.entries(counts).flatMap(([species, n]) =>
    Array.from({ length: n }, (_v, i) => ({
      species,
      island: 'DREAM',
      sex: 'MALE',
      bill_length_mm: i,
      bill_depth_mm: 1,
      flipper_length_mm: 1,
      body_mass_g: 1,
    })),
  );
}

describe('stratifiedSplit', () => {
  const rows = penguins({ Adelie: 50, Chinstrap: 20, Gentoo: 30 });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(stratifiedSplit(rows, 0.2, 42)).toEqual(stratifiedSplit(rows, 0.2, 42));
    expect(stratifiedSplit(rows, 0.2, 42).eval).not.toEqual(stratifiedSplit(rows, 0.2, 43).eval);
  });

  it('holds out round(n × fraction) of each species and loses nothing', () => {
    const { train, eval: evalRows } = stratifiedSplit(rows, 0.2, 7);
    const count = (rs: Penguin[], s: string): number => rs.filter((r) => r.species === s).length;
    expect([count(evalRows, 'Adelie'), count(evalRows, 'Chinstrap'), count(evalRows, 'Gentoo')]).toEqual([
      10, 4, 6,
    ]);
    expect(train.length + evalRows.length).toBe(rows.length);
    expect(new Set([...train, ...evalRows]).size).toBe(rows.length);
  });

  it('rejects a fraction outside (0, 1)', () => {
    expect(() => stratifiedSplit(rows, 1, 1)).toThrow(/eval fraction/);
  });
});
