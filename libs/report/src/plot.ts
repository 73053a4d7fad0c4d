import { escapeHtml } from './escape.ts';
import { formatNumber } from './format.ts';
import { niceStep, SVG_STYLE } from './svg.ts';
import type { EpochPoint } from './types.ts';

/** One line of a panel. */
interface Series {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  /** Dashed for validation series, so colour-blind readers can tell train from val. */
  readonly dashed: boolean;
  readonly values: readonly (number | undefined)[];
}

/** One chart: a title, a y-axis label, and its series over the epochs. */
interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Fixed y range (accuracy is 0–1); otherwise from 0 to a nice maximum. */
  readonly yRange?: readonly [number, number];
}

// Geometry of one panel, in SVG user units. Two panels side by side fit a 1000-unit wide page.
const PANEL_WIDTH = 480;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 58, right: 16, top: 34, bottom: 72 } as const;
const GAP = 40;
// Markers on every point help short runs (1–3 epochs) and would clutter long ones.
const MAX_MARKED_POINTS = 20;

const COLORS = { loss: '#d9480f', accuracy: '#1c7ed6' } as const;

function yDomain(panel: Panel): [number, number] {
  if (panel.yRange) return [panel.yRange[0], panel.yRange[1]];
  const values = panel.series
    .flatMap((s) => s.values)
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  if (max === min) return [min, min + 1];
  const step = niceStep(max - min, 5);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}

/** X ticks: every epoch when few, otherwise a nice step so labels do not collide. */
function xTicks(epochs: readonly number[]): number[] {
  if (epochs.length <= 12) return [...epochs];
  const first = epochs[0] ?? 1;
  const last = epochs[epochs.length - 1] ?? first;
  const step = Math.max(1, Math.round(niceStep(last - first, 8)));
  const ticks: number[] = [];
  for (let e = Math.ceil(first / step) * step; e <= last; e += step) ticks.push(e === 0 ? first : e);
  return ticks;
}

function renderPanel(panel: Panel, epochs: readonly number[], offsetX: number): string {
  const plotW = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const firstEpoch = epochs[0] ?? 1;
  const lastEpoch = epochs[epochs.length - 1] ?? firstEpoch;
  // A single epoch sits in the middle instead of dividing by zero.
  const x = (epoch: number): number =>
    lastEpoch === firstEpoch ? plotW / 2 : ((epoch - firstEpoch) / (lastEpoch - firstEpoch)) * plotW;
  const [y0, y1] = yDomain(panel);
  const y = (v: number): number => plotH - ((v - y0) / (y1 - y0)) * plotH;
  const yStep = niceStep(y1 - y0, 5);
  const out: string[] = [];
  out.push(`<g class="panel" transform="translate(${offsetX + MARGIN.left},${MARGIN.top})">`);
  out.push(
    `<text class="title" x="${plotW / 2}" y="-14" text-anchor="middle">${escapeHtml(panel.title)}</text>`,
  );
  for (let v = y0; v <= y1 + yStep / 1000; v += yStep) {
    const py = y(v).toFixed(1);
    out.push(`<line class="grid" x1="0" x2="${plotW}" y1="${py}" y2="${py}"/>`);
    out.push(
      `<text class="tick" x="-8" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeHtml(formatNumber(Number(v.toPrecision(6))))}</text>`,
    );
  }
  for (const e of xTicks(epochs)) {
    const px = x(e).toFixed(1);
    out.push(`<line class="axis" x1="${px}" x2="${px}" y1="${plotH}" y2="${plotH + 5}"/>`);
    out.push(`<text class="tick" x="${px}" y="${plotH + 18}" text-anchor="middle">${e}</text>`);
  }
  out.push(`<line class="axis" x1="0" x2="${plotW}" y1="${plotH}" y2="${plotH}"/>`);
  out.push(`<line class="axis" x1="0" x2="0" y1="0" y2="${plotH}"/>`);
  out.push(`<text class="label" x="${plotW / 2}" y="${plotH + 38}" text-anchor="middle">epoch</text>`);
  out.push(
    `<text class="label" transform="translate(-44,${plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(panel.yLabel)}</text>`,
  );
  for (const s of panel.series) {
    const points = epochs.flatMap((e, i) => {
      const v = s.values[i];
      return v !== undefined && Number.isFinite(v) ? [[x(e), y(v)] as const] : [];
    });
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<polyline class="series" data-series="${escapeHtml(s.key)}" fill="none" stroke="${s.color}" stroke-width="2.5"${dash} points="${points
        .map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`)
        .join(' ')}"/>`,
    );
    if (points.length <= MAX_MARKED_POINTS) {
      for (const [px, py] of points) {
        out.push(
          `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${s.dashed ? '#fff' : s.color}" stroke="${s.color}" stroke-width="1.5"/>`,
        );
      }
    }
  }
  // Legend under the x-axis label: one swatch per series.
  panel.series.forEach((s, i) => {
    const lx = i * 175;
    const ly = plotH + 58;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    out.push(`<g class="legend-item" transform="translate(${lx},${ly})">`);
    out.push(`<line x1="0" x2="26" y1="0" y2="0" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
    out.push(
      `<text class="legend" x="32" y="0" dominant-baseline="middle">${escapeHtml(s.label)}</text></g>`,
    );
  });
  out.push('</g>');
  return out.join('\n');
}

/** The panels a history supports: loss and accuracy, each with its validation series when recorded. */
function panelsOf(history: readonly EpochPoint[]): Panel[] {
  const hasValLoss = history.some((h) => h.valLoss !== undefined);
  const hasValAccuracy = history.some((h) => h.valAccuracy !== undefined);
  const loss: Series[] = [
    {
      key: 'loss',
      label: 'training loss',
      color: COLORS.loss,
      dashed: false,
      values: history.map((h) => h.loss),
    },
  ];
  if (hasValLoss)
    loss.push({
      key: 'val_loss',
      label: 'validation loss',
      color: COLORS.loss,
      dashed: true,
      values: history.map((h) => h.valLoss),
    });
  const accuracy: Series[] = [
    {
      key: 'accuracy',
      label: 'training accuracy',
      color: COLORS.accuracy,
      dashed: false,
      values: history.map((h) => h.accuracy),
    },
  ];
  if (hasValAccuracy) {
    accuracy.push({
      key: 'val_accuracy',
      label: 'validation accuracy',
      color: COLORS.accuracy,
      dashed: true,
      values: history.map((h) => h.valAccuracy),
    });
  }
  const accValues = history
    .flatMap((h) => [h.accuracy, h.valAccuracy])
    .filter((v): v is number => v !== undefined);
  const accuracyInUnitRange = accValues.every((v) => v >= 0 && v <= 1);
  return [
    { title: 'Loss per epoch', yLabel: 'loss (cross-entropy)', series: loss },
    accuracyInUnitRange
      ? { title: 'Accuracy per epoch', yLabel: 'accuracy', series: accuracy, yRange: [0, 1] }
      : { title: 'Accuracy per epoch', yLabel: 'accuracy', series: accuracy },
  ];
}

/**
 * An inline SVG of training loss and accuracy per epoch: two panels side by side (their scales
 * differ), each with axes, ticks, labels and a legend; one `<polyline data-series=…>` per series.
 * Returns undefined for an empty history.
 */
export function renderPlotSvg(history: readonly EpochPoint[]): string | undefined {
  if (history.length === 0) return undefined;
  const epochs = history.map((h) => h.epoch);
  const panels = panelsOf(history);
  const width = PANEL_WIDTH * 2 + GAP;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" viewBox="0 0 ${width} ${PANEL_HEIGHT}" width="100%" role="img" aria-label="Training loss and accuracy per epoch">`,
    '<title>Training loss and accuracy per epoch</title>',
    SVG_STYLE,
    ...panels.map((p, i) => renderPanel(p, epochs, i * (PANEL_WIDTH + GAP))),
    '</svg>',
  ].join('\n');
}

/** The columns of the history table (Markdown and HTML), validation columns only when recorded. */
export function historyColumns(
  history: readonly EpochPoint[],
): { header: string; value: (h: EpochPoint) => number | undefined }[] {
  const cols: { header: string; value: (h: EpochPoint) => number | undefined }[] = [
    { header: 'loss', value: (h) => h.loss },
    { header: 'accuracy', value: (h) => h.accuracy },
  ];
  if (history.some((h) => h.valLoss !== undefined))
    cols.push({ header: 'val_loss', value: (h) => h.valLoss });
  if (history.some((h) => h.valAccuracy !== undefined))
    cols.push({ header: 'val_accuracy', value: (h) => h.valAccuracy });
  return cols;
}
