import { escapeHtml as h, safeHref } from './escape.ts';
import {
  formatDuration,
  formatNumber,
  formatParameter,
  formatUsd,
  headlineAccuracy,
  lineage,
  modelNotPushed,
  orderedTimings,
} from './format.ts';
import { card, htmlPage, htmlTable as table, stateClass } from './html-parts.ts';
import { historyColumns, renderPlotSvg } from './plot.ts';
import type { ReportInput } from './types.ts';

function curves(input: ReportInput): string {
  const svg = renderPlotSvg(input.history);
  if (!svg)
    return '<section><h2>Training curves</h2><p class="empty">The trainer recorded no per-epoch history.</p></section>';
  const cols = historyColumns(input.history);
  const rows = input.history.map((p) => [
    String(p.epoch),
    ...cols.map((c) => h(formatNumber(c.value(p) ?? Number.NaN))),
  ]);
  return `<section><h2>Training curves</h2>${svg}
<details><summary>Values per epoch</summary>${table(['epoch', ...cols.map((c) => c.header)], rows, ['num', ...cols.map(() => 'num')])}</details></section>`;
}

function parameters(input: ReportInput): string {
  const entries = Object.entries(input.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const body = entries.length
    ? table(
        ['parameter', 'value'],
        entries.map(([k, v]) => [`<code>${h(k)}</code>`, `<code>${h(formatParameter(v))}</code>`]),
      )
    : '<p class="empty">No parameters.</p>';
  return `<section><h2>Parameters</h2>${body}</section>`;
}

function metrics(input: ReportInput): string {
  const entries = Object.entries(input.metrics).sort(([a], [b]) =>
    a === 'accuracy' ? -1 : b === 'accuracy' ? 1 : a.localeCompare(b),
  );
  const body = entries.length
    ? table(
        ['metric', 'value'],
        entries.map(([k, v]) => [h(k), h(formatNumber(v))]),
        [undefined, 'num'],
      )
    : '<p class="empty">The pipeline reported no metrics.</p>';
  return `<section><h2>Metrics</h2>${body}</section>`;
}

function lineageSection(input: ReportInput): string {
  const items = lineage(input).map((s) => {
    const detail = s.detail ? `<span class="detail mono">${h(s.detail)}</span>` : '';
    return `<li><span class="step">${h(s.label)}</span><span><code>${h(s.value)}</code>${detail}</span></li>`;
  });
  return `<section><h2>Lineage</h2><ol class="lineage">${items.join('\n')}</ol></section>`;
}

function tasks(input: ReportInput): string {
  const rows = input.tasks.map((t) => [
    `<code>${h(t.name)}</code>`,
    `<span class="state-${h(t.state)}">${h(t.state)}</span>`,
  ]);
  return `<section><h2>Pipeline tasks</h2>${rows.length ? table(['task', 'state'], rows) : '<p class="empty">No tasks.</p>'}</section>`;
}

function timings(input: ReportInput): string {
  const { rows, totalMs } = orderedTimings(input);
  if (rows.length === 0)
    return '<section><h2>Time per stage</h2><p class="empty">No timings recorded.</p></section>';
  const max = Math.max(...rows.map((r) => r.ms), 1);
  const body = rows.map((r) => [
    h(r.stage),
    h(formatDuration(r.ms)),
    `<div class="bar" style="width:${((r.ms / max) * 100).toFixed(1)}%"></div>`,
  ]);
  body.push(['<strong>total</strong>', `<strong>${h(formatDuration(totalMs))}</strong>`, '']);
  return `<section><h2>Time per stage</h2>${table(['stage', 'time', ''], body, [undefined, 'num', 'barcell'])}</section>`;
}

function cost(input: ReportInput): string {
  return `<section><h2>Estimated cost on Google Cloud</h2><p><strong>${h(formatUsd(input.estimatedCost.usd))}</strong> — ${h(input.estimatedCost.basis)}</p></section>`;
}

/** The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external assets. */
export function renderHtml(input: ReportInput): string {
  const accuracy = headlineAccuracy(input);
  const { totalMs } = orderedTimings(input);
  const webUi = safeHref(input.webUiUrl);
  const title = `${input.pipeline} · ${input.runId}`;
  const links = [
    webUi ? `<a href="${h(webUi)}">Temporal Web UI</a>` : undefined,
    safeHref(input.build?.logUrl) ? `<a href="${h(input.build?.logUrl)}">build log</a>` : undefined,
  ].filter(Boolean);
  return htmlPage(
    title,
    `<header><div class="kicker">Conveyor training run report</div>
<h1>${h(title)}</h1>
<div class="sub"><span class="pill ${stateClass(input.state)}">${h(input.state.replace(/^PIPELINE_STATE_/, ''))}</span>
 triggered by <strong>${h(input.trigger.kind)}</strong> <code>${h(input.trigger.id)}</code> at ${h(input.trigger.at)}${links.length ? ` · ${links.join(' · ')}` : ''}</div></header>
<div class="cards">
${card('accuracy', accuracy === undefined ? '—' : h(formatNumber(accuracy)))}
${card('pushed model', input.modelUri ? h(input.modelUri) : h(modelNotPushed(input)), true)}
${card('duration', totalMs ? h(formatDuration(totalMs)) : '—')}
${card('estimated cost', h(formatUsd(input.estimatedCost.usd)))}
</div>
${curves(input)}
<div class="cols">${parameters(input)}${metrics(input)}</div>
${lineageSection(input)}
<div class="cols">${tasks(input)}${timings(input)}</div>
${cost(input)}
<footer>Generated by Conveyor${input.generatedAt ? ` at ${h(input.generatedAt)}` : ''}.</footer>`,
  );
}
