// Cluster sharding. `vmsim sweep ... --shard K/N` runs only runs K-1, K-1+N, K-1+2N, ... of the
// sweep (dealt like cards, so every shard gets a fair mix of cheap and costly points) and writes
// them, losslessly, to OUT/shard-K-of-N.jsonl: a header line (format, the sweep's fingerprint and
// definition, K, N, the run count) then one line per run (its index and full record). Numbers are
// JSON doubles, which round-trip exactly, so `vmsim merge` rebuilds the very files one unsharded run
// would have written; NaN and infinities are tagged rather than turned into null.
import { readFileSync } from 'node:fs';
import { InputError, messages } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import type { SweepDefinition } from './sweep.js';

export const SHARD_FORMAT = 'vmsim-shard/1';

export interface ShardHeader {
  format: typeof SHARD_FORMAT;
  fingerprint: string;
  k: number;
  n: number;
  /** Runs in this file. */
  runs: number;
  /** Set when the shard was stopped before all its runs finished. */
  partial?: true;
  definition: SweepDefinition;
}

export interface ShardFile {
  header: ShardHeader;
  rows: Array<{ index: number; record: RunRecord }>;
}

/** Parse "K/N" with 1 <= K <= N. */
export function parseShard(text: string): { k: number; n: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(k) || !Number.isSafeInteger(n) || k < 1 || k > n) throw new InputError(messages.badShard(text));
  return { k, n };
}

/** The runs of shard K of N. */
export function shardRuns<T extends { index: number }>(runs: readonly T[], k: number, n: number): T[] {
  return runs.filter((r) => r.index % n === k - 1);
}

export const shardFileName = (k: number, n: number, partial = false): string => `shard-${k}-of-${n}${partial ? '.partial' : ''}.jsonl`;
export const SHARD_NAME = /^shard-(\d+)-of-(\d+)\.jsonl$/;

const NONFINITE = '$nonfinite';
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { [NONFINITE]: String(v) } : v);
const reviver = (_k: string, v: unknown): unknown =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && NONFINITE in v ? Number((v as Record<string, string>)[NONFINITE]) : v;

export function shardText(header: ShardHeader, rows: ShardFile['rows']): string {
  return [JSON.stringify(header, replacer), ...rows.map((r) => JSON.stringify(r, replacer))].join('\n') + '\n';
}

export function readShard(file: string): ShardFile {
  const bad = (detail: string): never => {
    throw new InputError(messages.notShardFile(file, detail));
  };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    bad((e as Error).message);
  }
  if (!text.endsWith('\n')) bad('it does not end with a complete line (truncated?)');
  const lines = text.slice(0, -1).split('\n');
  const parse = (line: string, i: number): unknown => {
    try {
      return JSON.parse(line, reviver);
    } catch {
      return bad(`line ${i + 1} is not JSON`);
    }
  };
  const header = parse(lines[0], 0) as ShardHeader;
  if (header?.format !== SHARD_FORMAT) bad(`its first line does not name the format ${SHARD_FORMAT}`);
  if (header.partial) bad(`it is the partial output of shard ${header.k}/${header.n}, which was stopped before it finished; run that shard again`);
  if (!Number.isSafeInteger(header.k) || !Number.isSafeInteger(header.n) || header.k < 1 || header.k > header.n) bad('its header has no valid shard K/N');
  const rows = lines.slice(1).map((l, i) => parse(l, i + 1) as ShardFile['rows'][number]);
  if (rows.length !== header.runs) bad(`its header promises ${header.runs} runs but it holds ${rows.length}`);
  for (const r of rows) {
    if (!Number.isSafeInteger(r?.index) || r.record === undefined) bad('a run line lacks its index or record');
    if (r.index % header.n !== header.k - 1) bad(`run ${r.index} does not belong to shard ${header.k}/${header.n}`);
  }
  return { header, rows };
}
