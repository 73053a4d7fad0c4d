import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSweepHtml } from './sweep-html.ts';
import { renderSweepMarkdown } from './sweep-markdown.ts';
import type { RenderedReport, ReportInput, SweepReportInput } from './types.ts';

/** Renders a finished run's report as self-contained HTML and as Markdown. Pure: no I/O, no clock. */
export function renderReport(input: ReportInput): RenderedReport {
  return { html: renderHtml(input), markdown: renderMarkdown(input) };
}

/**
 * Renders a finished sweep's report as self-contained HTML (trial table best first, one scatter plot
 * of the metric per swept parameter) and as Markdown. Pure: no I/O, no clock; the same input gives
 * the same bytes.
 */
export function renderSweepReport(input: SweepReportInput): RenderedReport {
  return { html: renderSweepHtml(input), markdown: renderSweepMarkdown(input) };
}

export { renderHtml } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export { renderPlotSvg } from './plot.ts';
export { historyFromMetadata, parseHistoryJson } from './history.ts';
export { escapeHtml, escapeMarkdown } from './escape.ts';
export type { EpochPoint, ReportInput, RenderedReport, SweepReportInput } from './types.ts';
