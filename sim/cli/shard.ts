// Cluster sharding. `vmsim sweep ... --shard K/N` runs only runs K-1, K-1+N, K-1+2N, ... of the
// sweep (dealt like cards, so every shard gets a fair mix of cheap and costly points) and writes
// them, losslessly, to OUT/shard-K-of-N.jsonl: a header line (format, the sweep's fingerprint and
// definition, the code that ran (vmsim's version, the sha256 of every policy file the sweep loaded),
// K, N, the run count, a checksum of the header) then one line per run (its index, full
// record, and a checksum binding the line to the sweep). Numbers are JSON doubles, which round-trip
// exactly, so `vmsim merge` rebuilds the very files one unsharded run would have written; NaN and
// infinities are tagged rather than turned into null.
//
// Merge trusts nothing it reads: every line is checked for shape and checksum, the fingerprint is
// recomputed from the definition and the code, and the run count from the grid, so an edited metric, seed or
// parameter, a line from another sweep, a truncated file or an absurd header is refused with the
// file and line, before anything is written. The checksums guard against accidents (an edit, a
// copy of the wrong file, a disk error), not against someone who recomputes them.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError, messages } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import { MAX_POINTS, MAX_RUNS } from '../experiment/grid.js';
import type { SweepDefinition } from '../experiment/sweep-plan.js';
import { readText } from './io/files.js';
import { policyFileHash } from './policy-files.js';
import { packageVersion } from './version.js';
import type { PolicySet } from '../policy-set.js';

/** Format 4 added `code`: shards of format 3 cannot say which code made them, so merge refuses them. */
export const SHARD_FORMAT = 'vmsim-shard/4';

/** The code that made a shard's results: shards of one sweep must share it. */
export interface ShardCode {
  /** vmsim's version (package.json). */
  vmsim: string;
  /** Every policy file the sweep loaded (absolute path where it ran, sha256 of its content), by path. */
  policies: Array<{ file: string; sha256: string }>;
}

/** The code a sweep with these policies runs: this vmsim and the content of its policy files as loaded. */
export function codeOf(set: PolicySet): ShardCode {
  const hash = (file: string): string => policyFileHash(file) ?? sha256(readText(file, 'policy file'));
  return { vmsim: packageVersion(), policies: [...set.fileList].sort().map((file) => ({ file, sha256: hash(file) })) };
}

export interface ShardHeader {
  format: typeof SHARD_FORMAT;
  fingerprint: string;
  k: number;
  n: number;
  /** Runs in this file. */
  runs: number;
  code: ShardCode;
  /** Set when the shard was stopped before all its runs finished. */
  partial?: true;
  definition: SweepDefinition;
  /** sha256 of the header without this field. */
  sha?: string;
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
  if (!m || !Number.isSafeInteger(k) || !Number.isSafeInteger(n) || k < 1 || k > n || n > MAX_POINTS * 1000) throw new InputError(messages.badShard(text));
  return { k, n };
}

/** The runs of shard K of N. */
export function shardRuns<T extends { index: number }>(runs: readonly T[], k: number, n: number): T[] {
  return runs.filter((r) => r.index % n === k - 1);
}

export const shardFileName = (k: number, n: number, partial = false): string => `shard-${k}-of-${n}${partial ? '.partial' : ''}.jsonl`;
export const SHARD_NAME = /^shard-(\d+)-of-(\d+)\.jsonl$/;
export const PARTIAL_SHARD_NAME = /^shard-(\d+)-of-(\d+)\.partial\.jsonl$/;

const NONFINITE = '$nonfinite';
const replacer = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { [NONFINITE]: String(v) } : v);
const reviver = (_k: string, v: unknown): unknown =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && NONFINITE in v ? Number((v as Record<string, string>)[NONFINITE]) : v;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * What determines a sweep's results: shards of one sweep share it (and merge recomputes it). The
 * code counts by content (vmsim's version, the policy files' hashes), not by where it lay: shards
 * run on machines with other folders still merge.
 */
export function fingerprintOf(d: Pick<SweepDefinition, 'scenarioText' | 'axes' | 'trials' | 'seed' | 'variants'>, code: ShardCode): string {
  // A sweep file's variants define results as the scenario does (absent: the same hash as before).
  const variants = d.variants === undefined ? {} : { variants: d.variants };
  const policies = code.policies.map((p) => p.sha256).sort();
  return sha256(JSON.stringify({ scenarioText: d.scenarioText, axes: d.axes.map((a) => [a.path, a.values]), trials: d.trials, seed: d.seed, ...variants, vmsim: code.vmsim, policies }));
}

const rowSum = (fingerprint: string, body: string): string => sha256(`${fingerprint}\n${body}`);

export function shardText(header: ShardHeader, rows: ShardFile['rows']): string {
  const { sha: _drop, ...bare } = header;
  const head = JSON.stringify({ ...bare, sha: sha256(JSON.stringify(bare, replacer)) }, replacer);
  const lines = rows.map((r) => {
    const body = JSON.stringify({ index: r.index, record: r.record }, replacer);
    return `${body.slice(0, -1)},"sha":"${rowSum(header.fingerprint, body)}"}`;
  });
  return [head, ...lines].join('\n') + '\n';
}

// The shapes a shard must have: what merge and the reports read. Unknown fields are errors.
const Value = z.union([z.string(), z.custom<number>((v) => typeof v === 'number', 'expected a number'), z.boolean()]);
const Axis = z.strictObject({ path: z.string(), spec: z.string(), values: z.array(z.string()).min(1) });
const Definition = z.strictObject({
  scenario: z.string(),
  title: z.string().optional(),
  description: z.string(),
  kind: z.string(),
  scenarioArg: z.string(),
  scenarioText: z.string(),
  axes: z.array(Axis),
  trials: z.number().int().min(1),
  seed: z.union([z.number().int(), z.string()]),
  variants: z.string().optional(),
  command: z.string(),
  runs: z.number().int().min(1),
});
const Header = z.strictObject({
  format: z.literal(SHARD_FORMAT),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  k: z.number().int().min(1),
  n: z.number().int().min(1),
  runs: z.number().int().min(0),
  code: z.strictObject({ vmsim: z.string(), policies: z.array(z.strictObject({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })) }),
  partial: z.literal(true).optional(),
  definition: Definition,
  sha: z.string(),
});
const Record = z.strictObject({
  scenario: z.string(),
  kind: z.string(),
  variant: z.string(),
  policy: z.string(),
  seed: z.number().int(),
  trial: z.number().int().min(0),
  params: z.record(z.string(), Value),
  drawn: z.record(z.string(), z.number()).optional(),
  metrics: z.record(z.string(), z.custom<number>((v) => typeof v === 'number', 'expected a number')),
  goal: z.string().optional(),
  tables: z.record(z.string(), z.array(z.record(z.string(), Value))).optional(),
});
const Row = z.strictObject({ index: z.number().int().min(0), record: Record, sha: z.string() });

function firstIssue(e: z.ZodError): string {
  const iss = e.issues[0];
  const path = iss.path.join('.');
  const detail = iss.code === 'unrecognized_keys' ? `unknown field ${(iss as unknown as { keys: string[] }).keys.join(', ')}` : iss.message.replace(/^Invalid input: /, '');
  return path ? `field ${path}: ${detail}` : detail;
}

export function readShard(file: string): ShardFile {
  const bad = (detail: string, line?: number): never => {
    throw new InputError(messages.notShardFile(file, detail, line));
  };
  const text = readText(file, 'shard file');
  if (text === '') bad('it is empty');
  if (!text.endsWith('\n')) bad('it does not end with a complete line (truncated?)');
  const lines = text.slice(0, -1).split('\n');
  const parse = (line: string, i: number): unknown => {
    try {
      return JSON.parse(line, reviver);
    } catch {
      return bad('it is not JSON', i + 1);
    }
  };
  const rawHeader = parse(lines[0], 0) as Record<string, unknown> | null;
  if (rawHeader === null || typeof rawHeader !== 'object' || rawHeader.format !== SHARD_FORMAT) {
    bad(`its first line does not name the format ${SHARD_FORMAT}${typeof rawHeader?.format === 'string' && rawHeader.format.startsWith('vmsim-shard/') ? ` (it is ${rawHeader.format}: run that shard again with this vmsim)` : ''}`, 1);
  }
  if (rawHeader!.partial === true) bad(`it is the partial output of shard ${String(rawHeader!.k)}/${String(rawHeader!.n)}, which was stopped before it finished; run that shard again`);
  const h = Header.safeParse(rawHeader);
  if (!h.success) bad(`its header is malformed: ${firstIssue(h.error)}`, 1);
  const { sha, ...bare } = rawHeader as unknown as ShardHeader;
  if (sha256(JSON.stringify(bare, replacer)) !== sha) bad('its header does not match its checksum (edited or damaged); run that shard again', 1);
  const header = rawHeader as unknown as ShardHeader;
  if (header.k > header.n) bad(`its header names shard ${header.k} of ${header.n}`, 1);
  const def = header.definition;
  if (fingerprintOf(def, header.code) !== header.fingerprint) bad('its sweep definition does not match its fingerprint (edited or damaged); run that shard again', 1);
  const points = def.axes.reduce((p, a) => p * a.values.length, 1);
  if (points > MAX_POINTS || def.runs !== points * def.trials || def.runs > MAX_RUNS) bad(`its definition promises ${def.runs} runs, but its grid has ${points} point${points === 1 ? '' : 's'} of ${def.trials} trial${def.trials === 1 ? '' : 's'}`, 1);
  if (lines.length - 1 !== header.runs) bad(`its header promises ${header.runs} runs but it holds ${lines.length - 1}`);
  const rows: ShardFile['rows'] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = parse(lines[i], i) as { index?: unknown; record?: unknown; sha?: unknown } | null;
    const r = Row.safeParse(raw);
    if (!r.success) bad(`a run line is malformed: ${firstIssue(r.error)}`, i + 1);
    const { index, record, sha: rsha } = r.data!;
    // The checksum covers the line as written (the parsed shape may order keys differently).
    if (rowSum(header.fingerprint, JSON.stringify({ index: raw!.index, record: raw!.record }, replacer)) !== rsha) bad('this run does not match its checksum (edited, damaged, or from another sweep); run that shard again', i + 1);
    if (index >= def.runs) bad(`run ${index} is beyond the sweep's ${def.runs} runs`, i + 1);
    if (index % header.n !== header.k - 1) bad(`run ${index} does not belong to shard ${header.k}/${header.n}`, i + 1);
    rows.push({ index, record: record as RunRecord });
  }
  return { header, rows };
}
