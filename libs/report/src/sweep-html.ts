import type { SweepTrial } from '@conveyor/contracts';
import { escapeHtml as h, safeHref } from './escape.ts';
import { formatNumber, formatParameter } from './format.ts';
import { card, htmlPage, htmlTable } from './html-parts.ts';
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
import { renderScatterSvg } from './sweep-plot.ts';
import type { SweepReportInput } from './types.ts';

/** Pill colour per trial state: a cancelled trial is not a failure of the model. */
const STATE_CLASS: Record<SweepTrial['state'], string> = {
  succeeded: 'ok',
  failed: 'bad',
  cancelled: 'other',
};

function otherMetricsHtml(trial: SweepTrial, metric: string): string {
  const { shown, more, all } = otherMetrics(trial, metric);
  const spans = shown.map((e) => `<span class="nowrap">${h(e)}</span>`).join(' ');
  return more ? `${spans} <span class="nowrap" title="${h(all.join(' '))}">+${more} more</span>` : spans;
}

function header(input: SweepReportInput): string {
  const counts = stateCounts(input.trials);
  const pills = (['succeeded', 'failed', 'cancelled'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `<span class="pill ${STATE_CLASS[s]}">${counts[s]} ${s}</span>`)
    .join(' ');
  const webUi = safeHref(input.webUiUrl);
  return `<header><div class="kicker">Conveyor hyperparameter sweep report</div>
<h1>${h(input.pipeline)} · ${h(input.sweepId)}</h1>
<div class="sub">${trialCount(input.trials.length)}: ${pills || 'none'}
 · metric <strong>${h(input.metric)}</strong> (${h(input.goal)}: ${goalWords(input.goal)})${webUi ? ` · <a href="${h(webUi)}">Temporal Web UI</a>` : ''}</div></header>`;
}

function cards(input: SweepReportInput): string {
  const best = input.best;
  const value = best?.metrics[input.metric];
  const bestCard = card(
    `best ${input.metric}`,
    value === undefined ? '—' : h(formatNumber(value)),
    false,
    best ? `trial ${best.index}` : h(notPromotedReason(input)),
  );
  const promoted = input.promoted
    ? card('promoted model', h(input.promoted.uri), true, `version <code>${h(input.promoted.version)}</code>`)
    : card('promoted model', 'not promoted', false, h(notPromotedReason(input)));
  const counts = stateCounts(input.trials);
  const trials = card('trials succeeded', `${counts.succeeded} / ${input.trials.length}`);
  const image = card(
    'image',
    input.image.reused ? 'reused' : 'built',
    false,
    `${input.image.reused ? 'from' : 'by'} build <code>${h(input.image.buildId)}</code>`,
  );
  return `<div class="cards">\n${bestCard}\n${promoted}\n${trials}\n${image}\n</div>`;
}

function bestSection(input: SweepReportInput): string {
  const best = input.best;
  if (!best) {
    return `<section><h2>Best trial</h2><p class="empty">No trial reported ${h(input.metric)}: nothing to promote.</p></section>`;
  }
  const rows: [string, string][] = [
    ['trial', String(best.index)],
    ['run', `<code>${h(best.runId)}</code>`],
    [input.metric, `<strong>${h(formatNumber(best.metrics[input.metric] ?? Number.NaN))}</strong>`],
    ...Object.entries(best.parameters)
      .sort(([a], [b]) => compareText(a, b))
      .map(([k, v]): [string, string] => [`<code>${h(k)}</code>`, `<code>${h(formatParameter(v))}</code>`]),
    ['blessed', blessedText(best.blessed)],
    ['model artifact', best.modelArtifactUri ? `<code>${h(best.modelArtifactUri)}</code>` : '—'],
    [
      'promoted',
      input.promoted
        ? `<code>${h(input.promoted.uri)}</code> version <code>${h(input.promoted.version)}</code>`
        : `not promoted: ${h(notPromotedReason(input))}`,
    ],
  ];
  if (best.pipelineJob) rows.push(['pipeline job', `<code>${h(best.pipelineJob)}</code>`]);
  return `<section><h2>Best trial</h2>${htmlTable([], rows, ['key'])}</section>`;
}

function imageSection(input: SweepReportInput): string {
  const rows: [string, string][] = [
    ['commit', `<code>${h(input.commit)}</code>`],
    ['image', `<code>${h(input.image.uri)}</code>`],
    ['digest', `<code>${h(input.image.digest)}</code>`],
    ['build', `<code>${h(input.image.buildId)}</code>`],
    ['origin', h(imageOrigin(input.image))],
  ];
  return `<section><h2>Code and image</h2>${htmlTable([], rows, ['key'])}</section>`;
}

function plots(input: SweepReportInput, ranked: readonly RankedTrial[]): string {
  const heading = `<h2>${h(input.metric)} by parameter</h2>`;
  const { views, none } = sweptViews(input, ranked);
  if (none) return `<section>${heading}<p class="empty">${h(none)}</p></section>`;
  const noMetric = ranked.filter((r) => r.value === undefined).length;
  const figures = views.map((view) => {
    const unset = view.unset.filter((r) => r.value !== undefined).length;
    const notes = [
      noMetric ? `${trialCount(noMetric)} without ${input.metric}` : '',
      unset ? `${unset} without ${view.name}` : '',
    ].filter(Boolean);
    const svg = renderScatterSvg(view, input.metric) ?? '<p class="empty">No trial with a value set it.</p>';
    const note = notes.length ? `<p class="note">Not shown: ${h(notes.join(', '))}.</p>` : '';
    return `<figure>${svg}${note}</figure>`;
  });
  return `<section>${heading}<div class="plots">${figures.join('\n')}</div></section>`;
}

function trialsSection(input: SweepReportInput, ranked: readonly RankedTrial[]): string {
  const names = parameterNames(input.trials);
  const headers = [
    'rank',
    'trial',
    ...names,
    input.metric,
    'other metrics',
    'blessed',
    'state',
    'error',
    'run',
  ];
  const rows = ranked.map(({ trial, rank, value, best }) => [
    rank === undefined ? '—' : `${rank}${best ? ' ★' : ''}`,
    String(trial.index),
    ...names.map((n) => {
      const v = trial.parameters[n];
      return v === undefined ? '—' : `<code>${h(formatParameter(v))}</code>`;
    }),
    value === undefined ? '—' : h(formatNumber(value)),
    otherMetricsHtml(trial, input.metric),
    blessedText(trial.blessed),
    `<span class="pill ${STATE_CLASS[trial.state]}">${h(trial.state)}</span>`,
    trial.error ? `<span title="${h(trial.error)}">${h(shorten(trial.error))}</span>` : '',
    `<code>${h(trial.runId)}</code>`,
  ]);
  const classes = [
    'num',
    'num',
    ...names.map(() => undefined),
    'num',
    'small',
    undefined,
    undefined,
    'small wide',
    'id',
  ];
  const table = htmlTable(headers, rows, classes, {
    rowClass: (i) => (ranked[i]?.best ? 'best' : undefined),
    tableClass: 'compact',
  });
  return `<section><h2>Trials, best first</h2><div class="scroll">${table}</div></section>`;
}

/** The sweep report as one self-contained HTML page: inline CSS and SVG, no scripts, no external assets. */
export function renderSweepHtml(input: SweepReportInput): string {
  const ranked = rankTrials(input);
  return htmlPage(
    `${input.pipeline} · ${input.sweepId}`,
    `${header(input)}
${cards(input)}
<div class="cols">${bestSection(input)}${imageSection(input)}</div>
${plots(input, ranked)}
${trialsSection(input, ranked)}
<footer>Generated by Conveyor.</footer>`,
  );
}
