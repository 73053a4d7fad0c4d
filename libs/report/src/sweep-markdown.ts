import type { SweepTrial } from '@conveyor/contracts';
import { escapeMarkdown as m, safeHref } from './escape.ts';
import { formatNumber, formatParameter } from './format.ts';
import { autolink, code, markdownTable } from './markdown-parts.ts';
import {
  blessedText,
  compareText,
  goalWords,
  imageOrigin,
  notPromotedReason,
  otherMetrics,
  parameterNames,
  rankTrials,
  shorten,
  stateCounts,
  sweptViews,
  trialCount,
  type RankedTrial,
} from './sweep-data.ts';
import type { SweepReportInput } from './types.ts';

/** A trial's outcome in a per-value cell: `0.9712 (#3, best)`, `failed (#5)`. */
function outcome({ trial, value, best }: RankedTrial): string {
  const what = value === undefined ? (trial.state === 'succeeded' ? '—' : trial.state) : formatNumber(value);
  return `${what} (#${trial.index}${best ? ', best' : ''})`;
}

function otherMetricsMarkdown(trial: SweepTrial, metric: string): string {
  const { shown, more } = otherMetrics(trial, metric);
  return m(shown.join(' ')) + (more ? ` +${more} more` : '');
}

function facts(input: SweepReportInput): string[] {
  const best = input.best;
  const out: string[] = [];
  if (best) {
    const params = Object.entries(best.parameters)
      .sort(([a], [b]) => compareText(a, b))
      .map(([k, v]) => `${code(k)}=${code(formatParameter(v))}`)
      .join(' ');
    out.push(
      `- **best:** trial ${best.index} ${code(best.runId)}: ${m(input.metric)} **${formatNumber(best.metrics[input.metric] ?? Number.NaN)}** · ${params}`,
    );
  } else {
    out.push(`- **best:** none: no trial reported ${m(input.metric)}`);
  }
  out.push(
    input.promoted
      ? `- **promoted:** ${code(input.promoted.uri)} version ${code(input.promoted.version)}`
      : `- **not promoted:** ${m(notPromotedReason(input))}`,
  );
  if (best?.modelArtifactUri) out.push(`- **best model artifact:** ${code(best.modelArtifactUri)}`);
  out.push(`- **commit:** ${code(input.commit)}`);
  out.push(
    `- **image:** ${code(input.image.uri)} ${code(input.image.digest)}, ${m(imageOrigin(input.image))}`,
  );
  return out;
}

function trialsTable(input: SweepReportInput, ranked: readonly RankedTrial[]): string[] {
  const names = parameterNames(input.trials);
  const headers = [
    'rank',
    'trial',
    ...names.map(code),
    m(input.metric),
    'other metrics',
    'blessed',
    'state',
    'error',
    'run',
  ];
  const rows = ranked.map(({ trial, rank, value, best }) => [
    rank === undefined ? '—' : best ? `**${rank}** ★` : String(rank),
    String(trial.index),
    ...names.map((n) => {
      const v = trial.parameters[n];
      return v === undefined ? '—' : code(formatParameter(v));
    }),
    value === undefined ? '—' : best ? `**${formatNumber(value)}**` : formatNumber(value),
    otherMetricsMarkdown(trial, input.metric),
    blessedText(trial.blessed),
    m(trial.state),
    trial.error ? m(shorten(trial.error)) : '',
    code(trial.runId),
  ]);
  const numeric = [true, true, ...names.map(() => false), true];
  return markdownTable(headers, rows, numeric);
}

function byParameter(input: SweepReportInput, ranked: readonly RankedTrial[]): string[] {
  const { views, none } = sweptViews(input, ranked);
  if (none) return [`_${m(none)}_`, ''];
  return views.flatMap((view) => {
    const scale = view.axis.kind === 'categorical' ? '' : ` (${view.axis.kind} scale)`;
    const rows = view.groups.map((g) => [code(g.label), g.trials.map(outcome).join(', ')]);
    if (view.unset.length) rows.push(['_unset_', view.unset.map(outcome).join(', ')]);
    return [
      `### ${code(view.name)}${scale}`,
      '',
      ...markdownTable([code(view.name), `${m(input.metric)} per trial`], rows),
      '',
    ];
  });
}

/** The sweep report as Markdown: the same facts as the HTML page, a value table per parameter for the plots. */
export function renderSweepMarkdown(input: SweepReportInput): string {
  const ranked = rankTrials(input);
  const counts = stateCounts(input.trials);
  const out: string[] = [];
  out.push(`# ${m(input.pipeline)} · ${m(input.sweepId)}`, '');
  const states = (['succeeded', 'failed', 'cancelled'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(' · ');
  out.push(
    `**${trialCount(input.trials.length)}:** ${states || 'none'} · metric **${m(input.metric)}** (${input.goal}: ${goalWords(input.goal)})`,
  );
  const webUi = safeHref(input.webUiUrl);
  if (webUi) out.push('', `Temporal Web UI: ${autolink(webUi)}`);
  out.push('', ...facts(input), '');
  out.push(`## ${m(input.metric)} by parameter`, '', ...byParameter(input, ranked));
  out.push('## Trials, best first', '', ...trialsTable(input, ranked), '');
  return out.join('\n');
}
