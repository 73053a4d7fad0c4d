// Aligned text tables for people (JSON output carries the same rows as objects).

/** Rows under a header, columns padded to their widest cell; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `1:05`, `12:30`, `1:02:03`: a duration as a clock. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(s / 3600);
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss.padStart(5, '0')}` : mmss;
}

/** `k=v k2=v2`, or `empty` when there are none. */
export function pairs(values: Readonly<Record<string, unknown>>, empty = ''): string {
  const text = Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toFixed(4)) : String(v)}`)
    .join(' ');
  return text || empty;
}
