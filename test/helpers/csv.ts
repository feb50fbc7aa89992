// CSV files vmsim writes, read back with the project's reader (reports/csv.ts) as named cells.
export { csvRecords as parseCsv } from '../../reports/csv.js';

/** A value as a report shows it ("83.2 ms", "1,378 s", "1.72 GB", "52,754", "12%") in the column's own unit. */
export function shownValue(text: string, column: string): number {
  const m = /^(-?[\d,]*\.?\d+)\s*(ms|s|B|kB|MB|GB|TB|bit\/s|kbit\/s|Mbit\/s|Gbit\/s|%)?$/.exec(text.trim());
  if (m === null) return NaN;
  const n = Number(m[1].replace(/,/g, ''));
  const scale: Record<string, number> = { ms: 1e-3, s: 1, B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, 'bit/s': 1, 'kbit/s': 1e3, 'Mbit/s': 1e6, 'Gbit/s': 1e9, '%': 1, '': 1 };
  const base = n * scale[m[2] ?? ''];
  return column.endsWith('_ms') ? base * 1e3 : base;
}
