// `conveyor sweep` on the local stack's worker with the real penguins pipeline: a 2×2 grid whose trials
// differ in accuracy (1 epoch at learning rate 1e-4 learns little; 0.05 learns it all), so the table's
// order, the best trial and the promotion decision are checked against the trials' own metrics.
import { describe, expect, it } from 'vitest';
import type { SweepResult } from '@conveyor/contracts';
import { conveyorJson, conveyorRaw, repoRoot } from './support.ts';

const GRID = ['--grid', 'num_epochs=1,3', '--grid', 'learning_rate=0.0001,0.05'];

interface SweepOutcomeJson {
  runId: string;
  status: string;
  result: SweepResult;
}

/** Trial indexes in the order the table prints them (its second column). */
function tableOrder(text: string): number[] {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /\bTRIAL\b/.test(l));
  const rows = lines.slice(header + 1).filter((l) => /-trial-\d+\s*$/.test(l));
  return rows.map((l) => Number(/^\s*\*?\s+(\d+)\s/.exec(l)?.[1]));
}

describe('conveyor sweep', () => {
  // Budget: four trials of a few seconds each with the image reused; a first build on a cold
  // machine takes a couple of minutes.
  it(
    '--wait prints the trials sorted by the metric, the best, the promotion and the report',
    { timeout: 600_000 },
    async () => {
      const r = await conveyorRaw(['sweep', '--pipeline', 'penguins', ...GRID, '--parallel', '4', '--wait'], {
        extra: { CONVEYOR_REPO_URL: repoRoot },
        timeoutMs: 580_000,
      });
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
      const sweepId = /started sweep (\S+) \(4 trials\)/.exec(r.stderr)?.[1] ?? '';
      expect(sweepId).toMatch(/^penguins-sweep-/);

      // The same sweep as JSON, through `runs show`: the printed table must agree with it.
      const shown = await conveyorJson<SweepOutcomeJson>(['runs', 'show', sweepId]);
      expect(shown).toMatchObject({ runId: sweepId, status: 'COMPLETED' });
      const result = shown.result;
      expect(result.trials).toHaveLength(4);
      const accuracy = (i: number) => result.trials[i]?.metrics['accuracy'] ?? NaN;
      const byAccuracy = [0, 1, 2, 3].sort((a, b) => accuracy(b) - accuracy(a) || a - b);
      expect(tableOrder(r.stdout)).toEqual(byAccuracy);
      // The trials really differ: the slow learner is worse than the fast one.
      expect(accuracy(0)).toBeLessThan(accuracy(1));
      expect(result.best?.index).toBe(byAccuracy[0]);
      expect(r.stdout).toMatch(new RegExp(`^\\*\\s+${byAccuracy[0]}\\s`, 'm'));
      expect(r.stdout).toContain(`best         trial ${byAccuracy[0]}:`);
      // The best trial is blessed (accuracy ≥ the 0.9 threshold), so its model is the one promoted.
      expect(result.promoted?.version).toBe(sweepId);
      expect(r.stdout).toContain(`promoted     ${result.promoted?.uri}`);
      expect(r.stdout).toContain(`report       ${result.report?.htmlUri}`);

      const text = await conveyorRaw(['runs', 'show', sweepId]);
      expect(text.code).toBe(0);
      expect(tableOrder(text.stdout)).toEqual(byAccuracy);
    },
  );

  it('--goal min picks the worst trial and says why it was not promoted', { timeout: 600_000 }, async () => {
    const out = await conveyorJson<SweepOutcomeJson>(
      ['sweep', '--pipeline', 'penguins', ...GRID, '--parallel', '4', '--goal', 'min', '--wait'],
      {},
      580_000,
    );
    const trials = out.result.trials;
    const lowest = trials.reduce((a, b) =>
      (b.metrics['accuracy'] ?? 1) < (a.metrics['accuracy'] ?? 1) ? b : a,
    );
    expect(out.result.best?.index).toBe(lowest.index);
    expect(out.result.promoted).toBeUndefined();
    expect(out.result.notPromoted).toMatch(/was not blessed/);
  });

  it.each([
    [['--grid', 'num_epochs=0,5'], /--grid num_epochs: expected at least 1 \(min\), got "0"/],
    [['--grid', 'learning_rate=0.1,abc'], /--grid learning_rate: expected a number/],
    [['--grid', 'colour=red'], /--grid colour: unknown parameter/],
    [['--grid', 'num_epochs=1', '--param', 'serving_root=gs://x/y'], /serving_root: is an operator setting/],
    [['--grid', 'num_epochs'], /--grid: 'num_epochs' is not name=value1,value2/],
    [['--grid', 'num_epochs=1,,2'], /--grid: num_epochs: an empty value/],
    [['--grid', 'num_epochs=1', '--seed', '3'], /--seed: only with --random/],
    [['--grid', 'num_epochs=1', '--goal', 'most'], /--goal: 'most' is not max or min/],
    [['--grid', 'num_epochs=1', '--parallel', '99'], /--parallel: .*32/],
    [['--grid', 'num_epochs=1', '--param', 'num_epochs=2'], /--grid: .*'num_epochs' is both swept and fixed/],
  ])('refuses %s before starting anything, naming the field (exit 1)', async (flags, message) => {
    const r = await conveyorRaw(['sweep', '--pipeline', 'penguins', ...flags]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/started sweep/);
  });
});
