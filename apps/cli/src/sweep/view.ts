// How a sweep shows: the trials sorted by the metric, the best trial, what was promoted (or why not)
// and the report. `sweep --wait` and `runs show <sweep id>` print it.
import type { Goal, SweepResult, SweepTrial } from '@conveyor/contracts';
import { formatTable, pairs } from '../common/table.ts';

/** What the `sweepStatus` query answers while a sweep runs. */
export interface SweepProgress {
  readonly trials: readonly SweepTrial[];
  readonly running: number;
  readonly planned: number;
}

/**
 * Trials best first by the metric and goal; trials without the metric (failed, cancelled, or not
 * reporting it) last, in trial order.
 */
export function sortTrials(trials: readonly SweepTrial[], metric: string, goal: Goal): SweepTrial[] {
  const valueOf = (t: SweepTrial): number | undefined => {
    const v = t.metrics[metric];
    return t.state === 'succeeded' && v !== undefined && Number.isFinite(v) ? v : undefined;
  };
  return [...trials].sort((a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
      return a.index - b.index;
    }
    return va === vb ? a.index - b.index : goal === 'max' ? vb - va : va - vb;
  });
}

/** The parameters that differ between trials (what the grid swept), in first-seen order. */
function sweptNames(trials: readonly SweepTrial[]): string[] {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
  return names.filter((n) => new Set(trials.map((t) => String(t.parameters[n]))).size > 1);
}

/** The trial table: rank, trial, swept parameters, metric, blessed, state, run id (best marked `*`). */
export function trialTable(
  trials: readonly SweepTrial[],
  metric: string,
  goal: Goal,
  best?: SweepTrial | undefined,
): string {
  const sorted = sortTrials(trials, metric, goal);
  const swept = sweptNames(trials);
  const names = swept.length > 0 ? swept : [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))];
  return formatTable(
    ['', 'TRIAL', ...names, metric.toUpperCase(), 'BLESSED', 'STATE', 'RUN ID'],
    sorted.map((t) => [
      best?.index === t.index ? '*' : '',
      String(t.index),
      ...names.map((n) => (t.parameters[n] === undefined ? '-' : String(t.parameters[n]))),
      t.metrics[metric] === undefined ? '-' : String(Number(t.metrics[metric].toFixed(4))),
      t.blessed === undefined ? '-' : t.blessed ? 'yes' : 'no',
      t.state === 'failed' && t.error ? `failed: ${t.error.slice(0, 60)}` : t.state,
      t.runId,
    ]),
  );
}

/** The finished sweep for people. */
export function formatSweepResult(result: SweepResult): string {
  const lines = [
    `sweep ${result.sweepId}  (${result.pipeline}, commit ${result.commit.slice(0, 12)})`,
    `image        ${result.image.uri}@${result.image.digest}  ${result.image.reused ? 'reused from' : 'built by'} build ${result.image.buildId}`,
    '',
    trialTable(result.trials, result.metric, result.goal, result.best),
    '',
    result.best
      ? `best         trial ${result.best.index}: ${pairs(result.best.parameters)} → ${result.metric}=${Number((result.best.metrics[result.metric] ?? NaN).toFixed(4))} (${result.goal})`
      : `best         none: no trial reported '${result.metric}'`,
    result.promoted
      ? `promoted     ${result.promoted.uri}  (version ${result.promoted.version})`
      : `promoted     nothing: ${result.notPromoted ?? 'no reason given'}`,
  ];
  if (result.report) lines.push(`report       ${result.report.htmlUri}`);
  return lines.join('\n');
}

/** A running sweep for people: how far it is, and the trials so far. */
export function formatSweepProgress(
  sweepId: string,
  progress: SweepProgress | undefined,
  metric: string,
  goal: Goal,
): string {
  if (!progress) return `sweep ${sweepId}  RUNNING  (no worker answered the sweepStatus query)`;
  const done = progress.trials.length;
  const head = `sweep ${sweepId}  RUNNING  ${done}/${progress.planned} trials done, ${progress.running} running`;
  return done === 0 ? head : `${head}\n\n${trialTable(progress.trials, metric, goal)}`;
}

/** One progress line while following a sweep. */
export function sweepProgressLine(progress: SweepProgress | undefined): string {
  if (!progress) return '[sweep] planning…';
  const failed = progress.trials.filter((t) => t.state !== 'succeeded').length;
  return `[sweep] ${progress.trials.length}/${progress.planned} trials done${failed ? ` (${failed} not succeeded)` : ''}, ${progress.running} running`;
}
