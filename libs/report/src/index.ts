import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import type { RenderedReport, ReportInput } from './types.ts';

/** Renders a finished run's report as self-contained HTML and as Markdown. Pure: no I/O, no clock. */
export function renderReport(input: ReportInput): RenderedReport {
  return { html: renderHtml(input), markdown: renderMarkdown(input) };
}

export { renderHtml } from './html.ts';
export { renderMarkdown } from './markdown.ts';
export { renderPlotSvg } from './plot.ts';
export { historyFromMetadata, parseHistoryJson } from './history.ts';
export { escapeHtml, escapeMarkdown } from './escape.ts';
export type { EpochPoint, ReportInput, RenderedReport } from './types.ts';
