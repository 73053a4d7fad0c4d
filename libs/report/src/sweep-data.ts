import type { Goal, ParameterValue, SweepTrial } from '@conveyor/contracts';
import { formatNumber, formatParameter } from './format.ts';
import type { SweepReportInput } from './types.ts';

/** A trial with its place in the ranking by the sweep metric. */
export interface RankedTrial {
  readonly trial: SweepTrial;
  /** The metric, when the trial succeeded and reported it as a finite number. */
  readonly value: number | undefined;
  /** 1-based rank among trials with a value (equal values share a rank); undefined for the rest. */
  readonly rank: number | undefined;
  /** Whether this is the sweep's best trial (the one the sweep chose, `input.best`). */
  readonly best: boolean;
}

/** The sweep metric of a trial: only a succeeded trial's finite value counts. */
export function metricValue(trial: SweepTrial, metric: string): number | undefined {
  const value = trial.metrics[metric];
  return trial.state === 'succeeded' && typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/**
 * Every trial, best first for the goal; ties keep trial order. Trials without the metric (failed,
 * cancelled, or silent) come last, in trial order.
 */
export function rankTrials(input: SweepReportInput): RankedTrial[] {
  const withValue = input.trials.map((trial) => ({ trial, value: metricValue(trial, input.metric) }));
  const sign = input.goal === 'max' ? -1 : 1;
  const scored = withValue
    .filter((t): t is { trial: SweepTrial; value: number } => t.value !== undefined)
    .sort((a, b) => sign * (a.value - b.value) || a.trial.index - b.trial.index);
  const rest = withValue.filter((t) => t.value === undefined).sort((a, b) => a.trial.index - b.trial.index);
  const bestIndex = input.best?.index;
  let rank = 0;
  const ranked = scored.map((t, i) => {
    if (i === 0 || t.value !== scored[i - 1]?.value) rank = i + 1;
    return { ...t, rank, best: t.trial.index === bestIndex };
  });
  return [...ranked, ...rest.map((t) => ({ ...t, rank: undefined, best: t.trial.index === bestIndex }))];
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The union of the trials' parameter names, sorted. */
export function parameterNames(trials: readonly SweepTrial[]): string[] {
  return [...new Set(trials.flatMap((t) => Object.keys(t.parameters)))].sort(compareText);
}

function valueKey(value: ParameterValue | undefined): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

/** The parameters whose values differ across trials (a parameter some trials lack counts), sorted. */
export function sweptParameters(trials: readonly SweepTrial[]): string[] {
  return parameterNames(trials).filter(
    (name) => new Set(trials.map((t) => valueKey(t.parameters[name]))).size > 1,
  );
}

/** A parameter value as a number: numbers, and strings that spell one (`"1e-2"` from a message). */
export function numericValue(value: ParameterValue): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value)) {
    return Number(value);
  }
  return undefined;
}

/**
 * A log axis needs positive values spanning more than this factor: learning rates (1e-4..1e-1)
 * crowd into one corner of a linear axis, while epochs (2..20) read better linearly.
 */
export const LOG_AXIS_MIN_RATIO = 20;

/** How a parameter's values are laid out along the x axis. */
export type ParameterAxis =
  | { readonly kind: 'linear' | 'log'; readonly min: number; readonly max: number }
  | { readonly kind: 'categorical'; readonly categories: readonly string[] };

/** The axis for a parameter's values: numeric (log when positive and wide), else categories. */
export function axisFor(values: readonly ParameterValue[]): ParameterAxis {
  const numbers = values.map(numericValue);
  if (numbers.length > 0 && numbers.every((n) => n !== undefined)) {
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const kind = min > 0 && max / min > LOG_AXIS_MIN_RATIO ? 'log' : 'linear';
    return { kind, min, max };
  }
  // Mixed or textual values: numbers first in numeric order, then text in code-unit order.
  const labels = [...new Set(values.map(formatParameter))];
  const num = (label: string): number | undefined => numericValue(label);
  labels.sort((a, b) => {
    const na = num(a);
    const nb = num(b);
    if (na !== undefined && nb !== undefined) return na - nb || compareText(a, b);
    if (na !== undefined) return -1;
    if (nb !== undefined) return 1;
    return compareText(a, b);
  });
  return { kind: 'categorical', categories: labels };
}

/** Trials that ran one value of a parameter. */
export interface ValueGroup {
  /** The value as shown (`formatParameter`). */
  readonly label: string;
  /** Position on the axis: the number itself, or the category's index. */
  readonly position: number;
  /** In ranking order. */
  readonly trials: readonly RankedTrial[];
}

/** One swept parameter: its axis and its values in axis order, each with its trials. */
export interface ParameterView {
  readonly name: string;
  readonly axis: ParameterAxis;
  readonly groups: readonly ValueGroup[];
  /** Trials that do not set the parameter at all. */
  readonly unset: readonly RankedTrial[];
}

/** The view of one swept parameter over the ranked trials. */
export function parameterView(name: string, ranked: readonly RankedTrial[]): ParameterView {
  const setTrials = ranked.filter((r) => r.trial.parameters[name] !== undefined);
  const valueOf = (r: RankedTrial): ParameterValue => r.trial.parameters[name] as ParameterValue;
  const axis = axisFor(setTrials.map(valueOf));
  const position = (value: ParameterValue): number =>
    axis.kind === 'categorical'
      ? axis.categories.indexOf(formatParameter(value))
      : (numericValue(value) ?? Number.NaN);
  const groups = new Map<string, { label: string; position: number; trials: RankedTrial[] }>();
  for (const r of setTrials) {
    const value = valueOf(r);
    const key = axis.kind === 'categorical' ? formatParameter(value) : String(position(value));
    const group = groups.get(key) ?? { label: formatParameter(value), position: position(value), trials: [] };
    group.trials.push(r);
    groups.set(key, group);
  }
  return {
    name,
    axis,
    groups: [...groups.values()].sort((a, b) => a.position - b.position),
    unset: ranked.filter((r) => r.trial.parameters[name] === undefined),
  };
}

/** The swept parameters' views, for the plots and their Markdown tables; or why there are none. */
export function sweptViews(
  input: SweepReportInput,
  ranked: readonly RankedTrial[],
): { views: ParameterView[]; none?: string } {
  if (!ranked.some((r) => r.value !== undefined)) {
    return { views: [], none: `No trial reported ${input.metric}: nothing to plot.` };
  }
  const swept = sweptParameters(input.trials);
  if (swept.length > 0) return { views: swept.map((name) => parameterView(name, ranked)) };
  return {
    views: [],
    none:
      input.trials.length === 1
        ? 'A single trial: nothing to compare, so nothing to plot.'
        : 'No parameter differs between trials: nothing to plot.',
  };
}

/** `1 trial`, `12 trials`. */
export function trialCount(count: number): string {
  return `${count} trial${count === 1 ? '' : 's'}`;
}

/** `yes`, `no`, or `—` when the pipeline said nothing about blessing. */
export function blessedText(blessed: boolean | undefined): string {
  return blessed === undefined ? '—' : blessed ? 'yes' : 'no';
}

/** How many trials ended in each state. */
export function stateCounts(trials: readonly SweepTrial[]): Record<SweepTrial['state'], number> {
  const counts = { succeeded: 0, failed: 0, cancelled: 0 };
  for (const t of trials) counts[t.state]++;
  return counts;
}

/** "higher is better" / "lower is better". */
export function goalWords(goal: Goal): string {
  return goal === 'max' ? 'higher is better' : 'lower is better';
}

/** Where the image came from: adopted from an earlier build, or built by this sweep. */
export function imageOrigin(image: SweepReportInput['image']): string {
  return image.reused ? `image reused from build ${image.buildId}` : `built by build ${image.buildId}`;
}

/** Why nothing was promoted, in words, when nothing was. */
export function notPromotedReason(input: SweepReportInput): string {
  if (input.notPromoted) return input.notPromoted;
  return input.best ? 'not promoted' : `no trial reported ${input.metric}`;
}

/**
 * Metrics other than the sweep metric as `name=value`, sorted: all of them, the first `limit`
 * (three keep a 100-row table readable), and how many more there are.
 */
export function otherMetrics(
  trial: SweepTrial,
  metric: string,
  limit = 3,
): { all: string[]; shown: string[]; more: number } {
  const all = Object.entries(trial.metrics)
    .filter(([k]) => k !== metric)
    .sort(([a], [b]) => compareText(a, b))
    .map(([k, v]) => `${k}=${formatNumber(v)}`);
  return { all, shown: all.slice(0, limit), more: Math.max(0, all.length - limit) };
}

/** Text cut to `max` characters (whitespace collapsed) with an ellipsis, for table cells. */
export function shorten(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
