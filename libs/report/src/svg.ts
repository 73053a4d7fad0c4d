/** The text and line styles every report plot shares (grid, axes, ticks, labels, titles, legends). */
export const SVG_STYLE =
  '<style>.grid{stroke:#e9ecef;stroke-width:1}.axis{stroke:#495057;stroke-width:1}' +
  '.tick{font:12px system-ui,sans-serif;fill:#495057}.label{font:13px system-ui,sans-serif;fill:#212529}' +
  '.title{font:600 15px system-ui,sans-serif;fill:#212529}.legend{font:13px system-ui,sans-serif;fill:#212529}</style>';

/** A "nice" step (1, 2, 2.5, 5 × 10^k) that splits `span` into about `count` intervals. */
export function niceStep(span: number, count: number): number {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step ?? 10 * magnitude;
}
