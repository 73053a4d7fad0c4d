/** A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF line ends. */

/** Parses CSV text with a header line into records keyed by header name (values as strings). */
export function parseCsv(text: string): Record<string, string>[] {
  const table = parseTable(text);
  const header = table.shift();
  if (header === undefined) return [];
  return table
    .filter((cells) => !(cells.length === 1 && cells[0] === ''))
    .map((cells, i) => {
      if (cells.length !== header.length) {
        throw new Error(`CSV line ${i + 2}: ${cells.length} fields, header has ${header.length}`);
      }
      return Object.fromEntries(header.map((h, j) => [h.trim(), cells[j] ?? '']));
    });
}

function parseTable(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
