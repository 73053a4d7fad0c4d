import { describe, expect, it } from 'vitest';
import type { SweepResult, SweepTrial } from '@conveyor/contracts';
import { checkSweepRequest, parseGrid, typeSweepParameters } from './request.ts';
import { formatSweepResult, sortTrials, trialTable } from './view.ts';

const trial = (
  index: number,
  accuracy: number | undefined,
  state: SweepTrial['state'] = 'succeeded',
): SweepTrial => ({
  index,
  runId: `s-trial-${index}`,
  parameters: { num_epochs: index + 1, seed: 42 },
  state,
  metrics: accuracy === undefined ? {} : { accuracy },
});

describe('sweep flags', () => {
  it('parses --grid and names what is wrong', () => {
    expect(parseGrid(['num_epochs=5, 10,20', 'learning_rate=1e-3'])).toEqual({
      num_epochs: ['5', '10', '20'],
      learning_rate: ['1e-3'],
    });
    expect(() => parseGrid([])).toThrow(/--grid: give at least one/);
    expect(() => parseGrid(['a=1', 'a=2'])).toThrow(/--grid: a is given twice/);
  });

  it('types every grid value with the one typing function; keeps the shared parameters typed', () => {
    const typed = typeSweepParameters(
      'penguins',
      { seed: '7' },
      { num_epochs: ['5', '10'], learning_rate: ['1e-2'] },
    );
    expect(typed).toEqual({ parameters: { seed: 7 }, grid: { num_epochs: [5, 10], learning_rate: [0.01] } });
    expect(() => typeSweepParameters('penguins', {}, { num_epochs: ['3.5', '2000'] })).toThrow(
      /--grid num_epochs: expected an integer .*--grid num_epochs: expected at most 1000 \(max\)/,
    );
    expect(() => typeSweepParameters('nope', {}, { x: ['1'] })).toThrow(/unknown pipeline 'nope'/);
  });

  it('checks the request as the workflow will, naming the flag', () => {
    const base = {
      pipeline: 'penguins',
      source: { repoUrl: '/r', branch: 'main' },
      trigger: { kind: 'manual' as const, id: 'me', at: '2026-01-01T00:00:00Z' },
      grid: { num_epochs: [1, 2] },
    };
    expect(checkSweepRequest(base).parallel).toBe(2);
    expect(() => checkSweepRequest({ ...base, parallel: 0 })).toThrow(/^--parallel: parallel: /);
    const huge = {
      num_epochs: Array.from({ length: 40 }, (_, i) => i + 1),
      seed: Array.from({ length: 40 }, (_, i) => i),
    };
    expect(() => checkSweepRequest({ ...base, grid: huge })).toThrow(
      /--grid: grid: the grid has 1600 combinations/,
    );
  });
});

describe('sweep view', () => {
  const trials = [
    trial(0, 0.5),
    trial(1, undefined, 'failed'),
    trial(2, 0.9),
    trial(3, 0.9),
    trial(4, undefined, 'cancelled'),
  ];

  it('sorts best first for the goal; ties in trial order; no metric last', () => {
    expect(sortTrials(trials, 'accuracy', 'max').map((t) => t.index)).toEqual([2, 3, 0, 1, 4]);
    expect(sortTrials(trials, 'accuracy', 'min').map((t) => t.index)).toEqual([0, 2, 3, 1, 4]);
  });

  it('shows the swept parameters only, and marks the best', () => {
    const table = trialTable(trials, 'accuracy', 'max', trials[2]).split('\n');
    expect(table[0]).toMatch(/^\s+TRIAL\s+num_epochs\s+ACCURACY\s+BLESSED\s+STATE\s+RUN ID$/);
    expect(table[1]).toMatch(/^\*\s+2\s+3\s+0\.9\s+-\s+succeeded\s+s-trial-2$/);
    expect(table.at(-1)).toMatch(/^\s+4\s+5\s+-\s+-\s+cancelled/);
  });

  it('says what was promoted, or why not', () => {
    const result: SweepResult = {
      sweepId: 's',
      pipeline: 'penguins',
      commit: 'a'.repeat(40),
      image: { uri: 'img', digest: 'sha256:x', buildId: 'b1', reused: true },
      metric: 'accuracy',
      goal: 'max',
      trials,
      best: trials[2],
      notPromoted: 'the best trial (2) was not blessed',
    };
    const text = formatSweepResult(result);
    expect(text).toContain('reused from build b1');
    expect(text).toContain('best         trial 2: num_epochs=3 seed=42 → accuracy=0.9 (max)');
    expect(text).toContain('promoted     nothing: the best trial (2) was not blessed');
    expect(
      formatSweepResult({
        ...result,
        notPromoted: undefined,
        promoted: { uri: 'gs://b/s/p/s', version: 's' },
      }),
    ).toContain('promoted     gs://b/s/p/s  (version s)');
  });
});
