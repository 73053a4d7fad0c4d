import { escapeHtml as h, safeHref } from './escape.ts';
import {
  formatDuration,
  formatNumber,
  formatParameter,
  formatUsd,
  headlineAccuracy,
  lineage,
  orderedTimings,
} from './format.ts';
import { historyColumns, renderPlotSvg } from './plot.ts';
import type { ReportInput } from './types.ts';

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#f8f9fa;color:#212529;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1060px;margin:0 auto;padding:28px 24px 40px}
header .kicker{color:#868e96;font-size:13px;text-transform:uppercase;letter-spacing:.06em}
h1{font-size:26px;margin:2px 0 6px;word-break:break-all}
h2{font-size:17px;margin:0 0 12px}
.sub{color:#495057}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;font-size:13px;font-weight:600;vertical-align:middle}
.ok{background:#d3f9d8;color:#2b8a3e}.bad{background:#ffe3e3;color:#c92a2a}.other{background:#e9ecef;color:#495057}
.cards{display:grid;grid-template-columns:1fr 2.2fr 1fr 1fr;gap:12px;margin:20px 0}
.card,section{background:#fff;border:1px solid #dee2e6;border-radius:8px}
.card{padding:12px 16px}.card .k{color:#868e96;font-size:13px}.card .v{font-size:22px;font-weight:600;word-break:break-all}
.card .v.small{font-size:14px;font-weight:500;font-family:ui-monospace,Menlo,Consolas,monospace}
section{padding:18px 20px;margin:16px 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}.cols section{margin:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #f1f3f5;vertical-align:top}
th{color:#868e96;font-weight:500;font-size:13px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;word-break:break-all}
ol.lineage{list-style:none;margin:0;padding:0}
ol.lineage li{display:grid;grid-template-columns:120px 1fr;gap:12px;padding:7px 0 7px 26px;position:relative}
ol.lineage li::before{content:"";position:absolute;left:5px;top:13px;width:10px;height:10px;border-radius:50%;background:#1c7ed6}
ol.lineage li:not(:last-child)::after{content:"";position:absolute;left:9px;top:25px;bottom:-13px;width:2px;background:#a5d8ff}
ol.lineage .step{font-weight:600;color:#495057}
ol.lineage .detail{display:block;color:#868e96}
td.barcell{width:45%;vertical-align:middle}
.bar{height:10px;background:#4dabf7;border-radius:3px;min-width:2px}
.state-SUCCEEDED{color:#2b8a3e}.state-FAILED{color:#c92a2a}.state-CANCELLED,.state-SKIPPED{color:#868e96}
.empty{color:#868e96;font-style:italic}
details summary{cursor:pointer;color:#495057;margin-top:10px}
footer{color:#868e96;font-size:13px;margin-top:20px}
a{color:#1c7ed6}
`;

function stateClass(state: string): string {
  if (/SUCCEEDED$/.test(state)) return 'ok';
  if (/(FAILED|CANCELLED)$/.test(state)) return 'bad';
  return 'other';
}

/** A table; `classes[i]` styles column i (`num` right-aligns, `barcell` widens). Cells are HTML already escaped. */
function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  classes: readonly (string | undefined)[] = [],
): string {
  const cls = (i: number): string => (classes[i] ? ` class="${classes[i]}"` : '');
  const head = headers.map((x, i) => `<th${cls(i)}>${h(x)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function card(key: string, value: string, small = false): string {
  return `<div class="card"><div class="k">${h(key)}</div><div class="v${small ? ' small' : ''}">${value}</div></div>`;
}

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
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)}</title><style>${CSS}</style></head>
<body><main>
<header><div class="kicker">Conveyor training run report</div>
<h1>${h(title)}</h1>
<div class="sub"><span class="pill ${stateClass(input.state)}">${h(input.state.replace(/^PIPELINE_STATE_/, ''))}</span>
 triggered by <strong>${h(input.trigger.kind)}</strong> <code>${h(input.trigger.id)}</code> at ${h(input.trigger.at)}${links.length ? ` · ${links.join(' · ')}` : ''}</div></header>
<div class="cards">
${card('accuracy', accuracy === undefined ? '—' : h(formatNumber(accuracy)))}
${card('pushed model', input.modelUri ? h(input.modelUri) : 'not pushed', true)}
${card('duration', totalMs ? h(formatDuration(totalMs)) : '—')}
${card('estimated cost', h(formatUsd(input.estimatedCost.usd)))}
</div>
${curves(input)}
<div class="cols">${parameters(input)}${metrics(input)}</div>
${lineageSection(input)}
<div class="cols">${tasks(input)}${timings(input)}</div>
${cost(input)}
<footer>Generated by Conveyor${input.generatedAt ? ` at ${h(input.generatedAt)}` : ''}.</footer>
</main></body></html>
`;
}
