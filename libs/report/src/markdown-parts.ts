/** A Markdown table; cells are Markdown already escaped; `numeric[i]` right-aligns column i. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[] = [],
): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map((_x, i) => (numeric[i] ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** Inline code for identifiers; backticks inside are impossible to escape in a code span, so drop them. */
export function code(value: string): string {
  return `\`${value.replace(/`/g, "'").replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')}\``;
}

/** An autolink `<url>` for an http(s) URL already checked by `safeHref`; `<`, `>` and spaces would end it. */
export function autolink(url: string): string {
  return `<${url.replace(/[<>\s]/g, encodeURIComponent)}>`;
}
