import { escapeHtml as h } from './escape.ts';
import { formatNumber } from './format.ts';
import { niceStep, SVG_STYLE } from './svg.ts';
import { shorten, type ParameterAxis, type ParameterView, type RankedTrial } from './sweep-data.ts';

// One plot, in SVG user units: two fit side by side on the report page (about 470 px each).
const WIDTH = 500;
const PLOT_HEIGHT = 210;
const MARGIN = { left: 64, right: 18, top: 34 } as const;
// Room under the plot for tick labels, the axis label and the legend; rotated labels need more.
const BOTTOM = { flat: 78, rotated: 118 } as const;
// Markers keep this far from the plot's edges so a value on the domain's end is not cut in half.
const INSET = 12;
// More categories than this do not fit side by side as 12 px labels in 418 units: rotate them.
const MAX_FLAT_CATEGORIES = 6;
// More than this many labels overlap even rotated: label every k-th category.
const MAX_CATEGORY_LABELS = 30;
// Category labels longer than this are cut (the full value is in the marker's tooltip and the table).
const MAX_LABEL_CHARS = 14;
// More decades than this get a tick every few decades, so labels do not collide.
const MAX_DECADE_TICKS = 7;

const MARKER = '#1c7ed6';
const BEST = '#f08c00';

/** A tick: where (axis units, or the category index) and its label. */
interface Tick {
  readonly at: number;
  readonly label: string;
}

/** x as a function of axis units, and its ticks. */
interface Scale {
  readonly map: (value: number) => number;
  readonly ticks: readonly Tick[];
}

const fmt = (v: number): string => formatNumber(Number(v.toPrecision(6)));

/** Equal steps of `niceStep` between nice bounds of [min, max], mapped onto [from, to]. */
function linearScale(min: number, max: number, from: number, to: number): Scale {
  // A single value gets a small span around it instead of dividing by zero.
  const pad = min === max ? Math.abs(min) * 0.05 || 0.5 : 0;
  const step = niceStep(max - min + 2 * pad, 5);
  const lo = Math.floor((min - pad) / step) * step;
  const hi = Math.ceil((max + pad) / step) * step;
  const ticks: Tick[] = [];
  for (let i = 0; i <= Math.round((hi - lo) / step); i++) {
    ticks.push({ at: lo + i * step, label: fmt(lo + i * step) });
  }
  return { map: (v) => from + ((v - lo) / (hi - lo)) * (to - from), ticks };
}

/** Whole decades around [min, max]; 2× and 5× ticks too when only a few decades are shown. */
function logScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(Math.ceil(Math.log10(max)), lo + 1);
  const every = Math.ceil((hi - lo) / MAX_DECADE_TICKS);
  // One notation per axis: `1e-4 … 1e-1` once any decade is far from 1, else `0.01 … 10`.
  const scientific = lo <= -4 || hi >= 5;
  const label = (m: number, k: number): string => (scientific ? `${m}e${k}` : fmt(m * 10 ** k));
  const ticks: Tick[] = [];
  for (let k = lo; k <= hi; k++) {
    if ((k - lo) % every === 0) ticks.push({ at: 10 ** k, label: label(1, k) });
    if (hi - lo <= 2 && k < hi) {
      for (const m of [2, 5]) ticks.push({ at: m * 10 ** k, label: label(m, k) });
    }
  }
  return { map: (v) => from + ((Math.log10(v) - lo) / (hi - lo)) * (to - from), ticks };
}

/** Evenly spaced bands, one per category, the marker in each band's middle. */
function categoryScale(categories: readonly string[], from: number, to: number): Scale {
  const band = (to - from) / categories.length;
  const every = Math.ceil(categories.length / MAX_CATEGORY_LABELS);
  const ticks = categories.flatMap((c, i) =>
    i % every === 0 ? [{ at: i, label: shorten(c, MAX_LABEL_CHARS) }] : [],
  );
  return { map: (i) => from + (i + 0.5) * band, ticks };
}

function xScale(axis: ParameterAxis, width: number): Scale {
  if (axis.kind === 'categorical') return categoryScale(axis.categories, 0, width);
  return axis.kind === 'log'
    ? logScale(axis.min, axis.max, INSET, width - INSET)
    : linearScale(axis.min, axis.max, INSET, width - INSET);
}

/** A five-pointed star around (x, y): the best trial's marker, a shape as well as a colour. */
function star(x: number, y: number, r: number): string {
  return Array.from({ length: 10 }, (_, i) => {
    const radius = i % 2 === 0 ? r : r * 0.45;
    const angle = (Math.PI / 5) * i - Math.PI / 2;
    return `${(x + radius * Math.cos(angle)).toFixed(1)},${(y + radius * Math.sin(angle)).toFixed(1)}`;
  }).join(' ');
}

/** A trial's marker: where it goes, and the value it ran with (as shown). */
interface Point {
  readonly x: number;
  readonly y: number;
  readonly ranked: RankedTrial;
  readonly value: string;
}

/** Grid lines and tick labels of both axes, the axis lines and their labels. */
function axes(x: Scale, y: Scale, rotated: boolean, xLabel: string, yLabel: string, plotW: number): string[] {
  const out: string[] = [];
  for (const t of y.ticks) {
    const py = y.map(t.at).toFixed(1);
    out.push(`<line class="grid" x1="0" x2="${plotW}" y1="${py}" y2="${py}"/>`);
    out.push(
      `<text class="tick" x="-8" y="${py}" text-anchor="end" dominant-baseline="middle">${h(t.label)}</text>`,
    );
  }
  const ly = PLOT_HEIGHT + 18;
  for (const t of x.ticks) {
    const px = x.map(t.at).toFixed(1);
    out.push(`<line class="axis" x1="${px}" x2="${px}" y1="${PLOT_HEIGHT}" y2="${PLOT_HEIGHT + 5}"/>`);
    out.push(
      rotated
        ? `<text class="tick" transform="translate(${px},${ly - 6}) rotate(-35)" text-anchor="end" dominant-baseline="middle">${h(t.label)}</text>`
        : `<text class="tick" x="${px}" y="${ly}" text-anchor="middle">${h(t.label)}</text>`,
    );
  }
  const labelY = PLOT_HEIGHT + (rotated ? BOTTOM.rotated - 40 : 38);
  out.push(
    `<line class="axis" x1="0" x2="${plotW}" y1="${PLOT_HEIGHT}" y2="${PLOT_HEIGHT}"/>`,
    `<line class="axis" x1="0" x2="0" y1="0" y2="${PLOT_HEIGHT}"/>`,
    `<text class="label" x="${plotW / 2}" y="${labelY}" text-anchor="middle">${h(xLabel)}</text>`,
    `<text class="label" transform="translate(-52,${PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle">${h(yLabel)}</text>`,
  );
  return out;
}

/** One marker per point (the best as a star, drawn last so no other marker hides it), then the legend. */
function markers(points: readonly Point[], name: string, metric: string, legendY: number): string[] {
  const ordered = [...points.filter((p) => !p.ranked.best), ...points.filter((p) => p.ranked.best)];
  const out = ordered.map((p) => {
    const { index } = p.ranked.trial;
    const what = `trial ${index}: ${name}=${p.value} → ${metric} ${formatNumber(p.ranked.value as number)}`;
    const tip = `<title>${h(what)}${p.ranked.best ? ' (best)' : ''}</title>`;
    return p.ranked.best
      ? `<polygon class="marker best" data-trial="${index}" points="${star(p.x, p.y, 10)}" fill="${BEST}" stroke="#212529" stroke-width="1">${tip}</polygon>`
      : `<circle class="marker" data-trial="${index}" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="5" fill="${MARKER}" fill-opacity="0.6" stroke="${MARKER}" stroke-width="1">${tip}</circle>`;
  });
  out.push(
    `<g class="legend-item" transform="translate(0,${legendY})"><circle cx="6" cy="0" r="5" fill="${MARKER}" fill-opacity="0.6" stroke="${MARKER}"/><text class="legend" x="16" y="0" dominant-baseline="middle">trial</text></g>`,
  );
  const best = points.find((p) => p.ranked.best);
  if (best) {
    const what = `best (trial ${best.ranked.trial.index}, ${name}=${shorten(best.value, MAX_LABEL_CHARS)})`;
    out.push(
      `<g class="legend-item" transform="translate(80,${legendY})"><polygon points="${star(6, 0, 8)}" fill="${BEST}" stroke="#212529"/><text class="legend" x="20" y="0" dominant-baseline="middle">${h(what)}</text></g>`,
    );
  }
  return out;
}

/**
 * A scatter plot of the sweep metric (y) over one swept parameter (x), as inline SVG: one marker per
 * trial that reported the metric, the best trial as a star; numeric values on a linear or log axis,
 * others as evenly spaced categories. The plot's group carries `data-parameter` (and `data-axis`);
 * each marker `data-trial`. Returns undefined when no trial with a value set the parameter.
 */
export function renderScatterSvg(view: ParameterView, metric: string): string | undefined {
  const ran = view.groups.flatMap((g) =>
    g.trials.flatMap((r) => (r.value === undefined ? [] : [{ g, r, value: r.value }])),
  );
  if (ran.length === 0) return undefined;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const x = xScale(view.axis, plotW);
  const values = ran.map((p) => p.value);
  const y = linearScale(Math.min(...values), Math.max(...values), PLOT_HEIGHT - INSET, INSET);
  const points = ran.map(({ g, r, value }) => ({
    x: x.map(g.position),
    y: y.map(value),
    ranked: r,
    value: g.label,
  }));
  const rotated = view.axis.kind === 'categorical' && view.axis.categories.length > MAX_FLAT_CATEGORIES;
  const height = MARGIN.top + PLOT_HEIGHT + (rotated ? BOTTOM.rotated : BOTTOM.flat);
  const xLabel = `${view.name}${view.axis.kind === 'log' ? ' (log scale)' : ''}`;
  const title = `${metric} by ${view.name}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot scatter" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${h(title)}">`,
    `<title>${h(title)}</title>`,
    SVG_STYLE,
    `<g class="scatter" data-parameter="${h(view.name)}" data-axis="${view.axis.kind}" transform="translate(${MARGIN.left},${MARGIN.top})">`,
    `<text class="title" x="${plotW / 2}" y="-14" text-anchor="middle">${h(title)}</text>`,
    ...axes(x, y, rotated, xLabel, metric, plotW),
    ...markers(points, view.name, metric, height - MARGIN.top - 12),
    '</g>',
    '</svg>',
  ].join('\n');
}
