/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Escapes text for a Markdown table cell or inline text. Markdown renderers pass raw HTML through,
 * so `<`, `>` and `&` become entities too; `|` would split the cell, newlines would end the row.
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]|#])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

/** Only http(s) URLs become links: a `javascript:` URL in a field must not run. */
export function safeHref(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
