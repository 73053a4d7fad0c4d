import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSize, isBetter, MAX_SWEEP_TRIALS, SweepRequestSchema, sweepTrials } from './sweep.ts';

const base = {
  pipeline: 'penguins',
  source: { repoUrl: '/tmp/repo', branch: 'main' },
  trigger: { kind: 'manual' as const, id: 'me', at: '2026-01-01T00:00:00Z' },
};

describe('sweepTrials', () => {
  it('lists the cartesian product in order, the last parameter varying fastest', () => {
    const trials = sweepTrials({ num_epochs: [2, 10], learning_rate: [0.001, 0.01] });
    expect(trials).toEqual([
      { num_epochs: 2, learning_rate: 0.001 },
      { num_epochs: 2, learning_rate: 0.01 },
      { num_epochs: 10, learning_rate: 0.001 },
      { num_epochs: 10, learning_rate: 0.01 },
    ]);
  });
  it('draws `count` distinct combinations, the same ones for the same seed', () => {
    const grid = { a: [1, 2, 3, 4, 5], b: ['x', 'y', 'z'], c: [true, false] };
    const one = sweepTrials(grid, { count: 7, seed: 42 });
    expect(one).toHaveLength(7);
    expect(new Set(one.map((t) => JSON.stringify(t))).size).toBe(7);
    expect(sweepTrials(grid, { count: 7, seed: 42 })).toEqual(one);
    expect(sweepTrials(grid, { count: 7, seed: 43 })).not.toEqual(one);
  });
  it('returns the whole grid when asked for more random trials than it has', () => {
    expect(sweepTrials({ a: [1, 2] }, { count: 10, seed: 1 })).toHaveLength(2);
  });
  it('every random trial is a combination of the grid', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[a-z]{1,6}$/),
          fc.array(fc.integer(), { minLength: 1, maxLength: 4 }),
          {
            minKeys: 1,
            maxKeys: 4,
          },
        ),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (grid, count, seed) => {
          const trials = sweepTrials(grid, { count, seed });
          expect(trials.length).toBe(Math.min(count, gridSize(grid)));
          for (const t of trials) for (const [k, v] of Object.entries(t)) expect(grid[k]).toContain(v);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('SweepRequestSchema', () => {
  it('applies defaults', () => {
    const r = SweepRequestSchema.parse({ ...base, grid: { num_epochs: [2, 10] } });
    expect(r).toMatchObject({ parallel: 2, metric: 'accuracy', goal: 'max', rebuild: false, parameters: {} });
  });
  it('names every bad field', () => {
    const bad = SweepRequestSchema.safeParse({
      ...base,
      grid: { num_epochs: [], learning_rate: [0.1] },
      parameters: { learning_rate: 0.2 },
      parallel: 0,
      goal: 'up',
    });
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['grid.num_epochs', 'parallel', 'goal']));
    const overlap = SweepRequestSchema.safeParse({ ...base, grid: { lr: [1] }, parameters: { lr: 2 } });
    expect(overlap.error?.issues[0]?.message).toContain("'lr' is both swept and fixed");
  });
  it('refuses a grid larger than the trial limit unless it is sampled', () => {
    const big = { a: Array.from({ length: 40 }, (_, i) => i), b: Array.from({ length: 40 }, (_, i) => i) };
    expect(gridSize(big)).toBeGreaterThan(MAX_SWEEP_TRIALS);
    expect(SweepRequestSchema.safeParse({ ...base, grid: big }).error?.issues[0]?.message).toContain('limit');
    expect(SweepRequestSchema.safeParse({ ...base, grid: big, random: { count: 20, seed: 1 } }).success).toBe(
      true,
    );
  });
});

describe('isBetter', () => {
  it('follows the goal', () => {
    expect(isBetter(0.9, 0.8, 'max')).toBe(true);
    expect(isBetter(0.9, 0.8, 'min')).toBe(false);
  });
});
