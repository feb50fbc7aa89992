// Tidy CSV: one row per run. Column order is stable: identity columns, then parameters in the
// order they were given, then the inputs a trial drew from distributions, then metrics in the order
// drivers emit them. Numbers are written with at most 12 significant digits so float noise
// (0.30000000000000004) never reaches a paper.
import { stringify } from 'csv-stringify/sync';
import type { ParamValue, RunRecord } from '../sim/results/record.js';

export const ID_COLUMNS = ['scenario', 'variant', 'policy', 'seed', 'trial'] as const;

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first)
 * gets a leading apostrophe (OWASP's advice for CSV injection): it shows as text, never runs.
 */
export const neutralise = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function cell(v: ParamValue | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? '' : String(v);
    return String(Number(v.toPrecision(12)));
  }
  return neutralise(String(v));
}

function union(lists: Iterable<string[]>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of lists) for (const k of l) if (!seen.has(k)) (seen.add(k), out.push(k));
  return out;
}

/** The columns of inputs the runs drew from distributions (none when no field was a distribution). */
export const drawnColumns = (records: readonly RunRecord[]): string[] => union(records.map((r) => Object.keys(r.drawn ?? {})));

export function runsColumns(records: readonly RunRecord[]): { params: string[]; metrics: string[] } {
  return {
    params: union(records.map((r) => Object.keys(r.params))),
    metrics: union(records.map((r) => Object.keys(r.metrics))),
  };
}

export function runsCsv(records: readonly RunRecord[]): string {
  const { params, metrics } = runsColumns(records);
  const drawn = drawnColumns(records);
  const rows = records.map((r) => [
    neutralise(r.scenario),
    neutralise(r.variant ?? r.policy),
    neutralise(r.policy),
    String(r.seed),
    String(r.trial),
    ...params.map((p) => cell(r.params[p])),
    ...drawn.map((d) => cell(r.drawn?.[d])),
    ...metrics.map((m) => cell(r.metrics[m])),
  ]);
  return stringify([[...ID_COLUMNS, ...params, ...drawn, ...metrics].map(neutralise), ...rows]);
}

/** Any table of rows (per-round rows, time series) with a stable column order. */
export function tableCsv(rows: ReadonlyArray<Record<string, ParamValue>>, lead: readonly string[] = []): string {
  const cols = union([lead as string[], ...rows.map((r) => Object.keys(r))]);
  return stringify([cols.map(neutralise), ...rows.map((r) => cols.map((c) => cell(r[c])))]);
}

/**
 * One CSV per table name found in the records' `tables` (per-round rows, time series): rows of all
 * runs in record order, identity columns first, then `leads[name]`, then any other columns.
 */
export function tablesCsv(records: readonly RunRecord[], leads: Readonly<Record<string, readonly string[]>> = {}): Array<{ name: string; csv: string }> {
  const names = union(records.map((r) => Object.keys(r.tables ?? {})));
  return names.map((name) => ({
    name,
    csv: tableCsv(records.flatMap((r) => r.tables?.[name] ?? []), [...ID_COLUMNS, ...(leads[name] ?? [])]),
  }));
}

/** RFC 4180 CSV into rows of cells (quoted cells may hold commas, doubled quotes and newlines). */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) row.push(cell), rows.push(row);
  return rows;
}

/** RFC 4180 CSV with a header row into records of named cells (blank lines skipped). */
export function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...body] = csvRows(text).filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}
