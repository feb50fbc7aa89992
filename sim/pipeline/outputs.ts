// Stage 5: records -> output files. A file is a path inside the output folder and its content; the
// front door decides where the folder is (the CLI and the Node API write it, the explorer offers
// downloads). A sweep's files are built in sim/experiment/sweep-outputs.ts, a reproduction's in
// sim/experiment/isr-reproduction.ts; all of them are this one type.
import type { RunRecord } from '../results/record.js';
import { REMAINING_COLUMNS, ROUND_COLUMNS } from '../results/migration-tables.js';
import { runsCsv, tablesCsv } from '../../reports/csv.js';

/** A file an output set holds: a path inside the output folder (`runs.csv`, `charts/x.svg`) and its content. */
export interface OutputFile {
  name: string;
  content: string | Uint8Array;
}

/** The files `vmsim run` writes for these records: runs.csv and each per-run table (rounds.csv, ...). */
export function runFiles(records: readonly RunRecord[]): OutputFile[] {
  const tables = tablesCsv(records, { rounds: ROUND_COLUMNS, remaining: REMAINING_COLUMNS });
  return [{ name: 'runs.csv', content: runsCsv(records) }, ...tables.map((t) => ({ name: `${t.name}.csv`, content: t.csv }))];
}
