import { escapeHtml as h } from './escape.ts';

/** The one stylesheet of every report page (run and sweep), inlined so a page stands alone. */
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
.card .d{color:#868e96;font-size:13px;word-break:break-word}
section{padding:18px 20px;margin:16px 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:16px}.cols section{margin:0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #f1f3f5;vertical-align:top}
th{color:#868e96;font-weight:500;font-size:13px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.small{font-size:13px;color:#495057}td.wide{min-width:11em}
td.key{white-space:nowrap;color:#495057;width:1%}
td.id{min-width:10.5em}td.id code{word-break:normal;overflow-wrap:anywhere}
table.compact td{font-size:13px;padding:5px 6px}table.compact th{padding:5px 6px}
.nowrap{white-space:nowrap}
tr.best td{background:#fff3bf}tr.best td:first-child{box-shadow:inset 3px 0 #f08c00}
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
.plots{display:grid;grid-template-columns:1fr 1fr;gap:8px 24px}.plots figure{margin:0}
.empty{color:#868e96;font-style:italic}
.note{color:#868e96;font-size:13px;margin:4px 0 0}
details summary{cursor:pointer;color:#495057;margin-top:10px}
footer{color:#868e96;font-size:13px;margin-top:20px}
a{color:#1c7ed6}
`;

/** A whole report page: doctype, inline stylesheet, `<main>` around `body` (HTML already escaped). */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${h(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
</main></body></html>
`;
}

/** Pill colour class for a state: `ok` for success, `bad` for failure or cancellation, `other` otherwise. */
export function stateClass(state: string): string {
  if (/SUCCEEDED$/.test(state)) return 'ok';
  if (/(FAILED|CANCELLED)$/.test(state)) return 'bad';
  return 'other';
}

/** Row and table styling for {@link htmlTable}. */
export interface TableOptions {
  /** Class of row i (`best` highlights it). */
  readonly rowClass?: (index: number) => string | undefined;
  /** Class of the table (`compact` for wide tables). */
  readonly tableClass?: string;
}

/**
 * A table (no header row when `headers` is empty); `classes[i]` styles column i (`num` right-aligns,
 * `barcell` widens, `small` shrinks, `wide` keeps text from squeezing, `key` keeps a label on one line, `id` breaks ids at hyphens
 * first). Headers may wrap after `_`. Cells are HTML already escaped.
 */
export function htmlTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  classes: readonly (string | undefined)[] = [],
  options: TableOptions = {},
): string {
  const cls = (i: number): string => (classes[i] ? ` class="${classes[i]}"` : '');
  const head = headers.length
    ? `<thead><tr>${headers.map((x, i) => `<th${cls(i)}>${h(x).replace(/_/g, '_<wbr>')}</th>`).join('')}</tr></thead>`
    : '';
  const body = rows
    .map((r, ri) => {
      const rc = options.rowClass?.(ri);
      return `<tr${rc ? ` class="${rc}"` : ''}>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const tc = options.tableClass ? ` class="${options.tableClass}"` : '';
  return `<table${tc}>${head}<tbody>${body}</tbody></table>`;
}

/** A headline card: a label and a value (HTML already escaped), optionally a small detail line. */
export function card(key: string, value: string, small = false, detail?: string): string {
  const d = detail ? `<div class="d">${detail}</div>` : '';
  return `<div class="card"><div class="k">${h(key)}</div><div class="v${small ? ' small' : ''}">${value}</div>${d}</div>`;
}
