// `vmsim merge SHARD...`: join the shard files of one sweep into the files a single run of the whole
// sweep writes (byte for byte: same records, same order, same code writing them). Arguments are
// shard files or folders holding them. Everything is checked before anything is written: one sweep
// (same fingerprint), the same code (vmsim's version, every policy file's content), one N, every shard 1..N exactly once, every run present.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError, messages } from '../../errors.js';
import { listOption, stringOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { checkOutDir, writeSet } from '../io/output.js';
import { PARTIAL_SHARD_NAME, readShard, SHARD_NAME, type ShardCode, type ShardFile } from '../shard.js';
import type { SweepDefinition } from '../../experiment/sweep-plan.js';
import { PARTIAL_FILES, sweepFiles } from '../../experiment/sweep-outputs.js';
import { resolveDetailPoint } from '../../experiment/detail-point.js';
import { renderPng } from '../png.js';
import type { RunRecord } from '../../results/record.js';

/** Shard files named by the arguments: files as given, folders by their shard-K-of-N.jsonl files. */
export function shardPaths(args: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const a = resolve(cwd, arg);
    let isDir = false;
    try {
      isDir = statSync(a).isDirectory();
    } catch {
      throw new InputError(messages.notShardFile(a, 'it does not exist'));
    }
    if (!isDir) out.push(a);
    else {
      const names = readdirSync(a);
      const found = names.filter((f) => SHARD_NAME.test(f)).sort();
      const partial = names.filter((f) => PARTIAL_SHARD_NAME.test(f) && !found.includes(f.replace('.partial', ''))).sort();
      if (partial.length > 0) throw new InputError(messages.partialShards(partial.map((f) => join(arg, f))));
      out.push(...found.map((f) => join(a, f)));
    }
  }
  if (out.length === 0) throw new InputError(messages.noShardFiles(args));
  return out;
}

/** What differs between two sweep definitions, for the error message. */
function differences(a: SweepDefinition, b: SweepDefinition): string {
  const what: string[] = [];
  if (a.scenarioText !== b.scenarioText) what.push('scenario files');
  if (JSON.stringify(a.axes.map((x) => [x.path, x.values])) !== JSON.stringify(b.axes.map((x) => [x.path, x.values]))) what.push('parameter grids');
  if (a.trials !== b.trials) what.push('trial counts');
  if (String(a.seed) !== String(b.seed)) what.push('base seeds');
  if (a.variants !== b.variants) what.push("sweep files' variants");
  return what.length ? what.join(', ') : 'sweep fingerprints';
}

/** How the code of two shards differs (vmsim's version, a policy file's content), or undefined. */
export function codeDifference(a: ShardCode, b: ShardCode): string | undefined {
  const what: string[] = [];
  if (a.vmsim !== b.vmsim) what.push(`vmsim ${a.vmsim} and vmsim ${b.vmsim}`);
  const short = (h: string): string => h.slice(0, 12);
  const hashes = (c: ShardCode): string => c.policies.map((p) => p.sha256).sort().join();
  if (hashes(a) !== hashes(b)) {
    const inB = new Map(b.policies.map((p) => [p.file.split(/[\\/]/).pop(), p]));
    const changed = a.policies.filter((p) => !b.policies.some((q) => q.sha256 === p.sha256));
    const said = changed.map((p) => {
      const q = inB.get(p.file.split(/[\\/]/).pop());
      return q === undefined ? `${p.file} (sha256 ${short(p.sha256)}) only in the first` : `${p.file} (sha256 ${short(p.sha256)}) and ${q.file} (sha256 ${short(q.sha256)})`;
    });
    what.push(`policy files ${said.length ? said.join('; ') : 'of other contents'}`);
  }
  return what.length ? what.join(', ') : undefined;
}

/** Check the shards belong together and are complete; the runs of the whole sweep in grid order. */
export function mergeShards(files: ReadonlyArray<{ path: string; shard: ShardFile }>): { definition: SweepDefinition; records: RunRecord[] } {
  const first = files[0];
  const h0 = first.shard.header;
  const byK = new Map<number, string>();
  for (const { path, shard } of files) {
    const h = shard.header;
    const code = codeDifference(h0.code, h.code);
    if (code !== undefined) throw new InputError(messages.shardsCodeDiffer(first.path, path, code));
    if (h.fingerprint !== h0.fingerprint) throw new InputError(messages.shardsDiffer(first.path, path, differences(h0.definition, h.definition)));
    if (h.n !== h0.n) throw new InputError(messages.shardsDiffer(first.path, path, `shard counts (${h0.n} and ${h.n})`));
    const seen = byK.get(h.k);
    if (seen !== undefined) throw new InputError(messages.shardTwice(h.k, h.n, seen, path));
    byK.set(h.k, path);
  }
  const missing = Array.from({ length: h0.n }, (_, i) => i + 1).filter((k) => !byK.has(k));
  if (missing.length > 0) throw new InputError(messages.shardsMissing(missing, h0.n));

  const def = h0.definition;
  const slots: Array<RunRecord | undefined> = new Array(def.runs);
  for (const { path, shard } of files) {
    for (const { index, record } of shard.rows) {
      if (index < 0 || index >= def.runs || slots[index] !== undefined || record.trial !== index % def.trials) {
        throw new InputError(messages.notShardFile(path, `run ${index} is out of place or repeated`));
      }
      slots[index] = record;
    }
  }
  const hole = slots.findIndex((r) => r === undefined);
  if (hole >= 0) throw new InputError(messages.notShardFile(byK.get((hole % h0.n) + 1)!, `run ${hole} is missing`));
  return { definition: def, records: slots as RunRecord[] };
}

export async function cmdMerge(a: Args, io: Io): Promise<void> {
  const files = shardPaths(listOption(a, 'shards'), io.cwd).map((path) => ({ path, shard: readShard(path) }));
  const { definition, records } = mergeShards(files);
  const out = stringOption(a, 'out') ?? join('out', `${definition.scenario}-sweep`);
  const outDir = checkOutDir(out, io.cwd);
  const detail = resolveDetailPoint(listOption(a, 'detail-point'), definition, Object.keys(records[0].params));
  const written = writeSet(outDir, await sweepFiles(records, definition, { png: a.png === true ? renderPng : undefined, detail }), PARTIAL_FILES).map((f) => join(out, f.slice(outDir.length + 1)));
  if (a.quiet !== true) {
    io.stdout(`merged ${files.length} shards, ${records.length} runs\n`);
    io.stdout(`wrote ${written.filter((f) => !f.startsWith(join(out, 'charts'))).join(', ')} and the charts in ${join(out, 'charts')}\n`);
  }
}
