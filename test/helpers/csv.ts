// A small RFC 4180 reader for the CSV files vmsim writes (quoted cells, doubled quotes, newlines).
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(cell), (cell = ''));
    else if (c === '\n') (row.push(cell), rows.push(row), (row = []), (cell = ''));
    else cell += c;
  }
  if (cell !== '' || row.length > 0) (row.push(cell), rows.push(row));
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, k) => [h, r[k] ?? ''])));
}

/** A value as a report shows it ("83.2 ms", "1,378 s", "1.72 GB", "52,754", "12%") in the column's own unit. */
export function shownValue(text: string, column: string): number {
  const m = /^(-?[\d,]*\.?\d+)\s*(ms|s|B|kB|MB|GB|TB|bit\/s|kbit\/s|Mbit\/s|Gbit\/s|%)?$/.exec(text.trim());
  if (m === null) return NaN;
  const n = Number(m[1].replace(/,/g, ''));
  const scale: Record<string, number> = { ms: 1e-3, s: 1, B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, 'bit/s': 1, 'kbit/s': 1e3, 'Mbit/s': 1e6, 'Gbit/s': 1e9, '%': 1, '': 1 };
  const base = n * scale[m[2] ?? ''];
  return column.endsWith('_ms') ? base * 1e3 : base;
}
