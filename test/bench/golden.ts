// Golden outputs for performance work: runs every shipped scenario (`vmsim run` with its default
// trials), `vmsim reproduce isr-2005`, a small ISR sweep on 2 workers and two traced runs through the
// built CLI, and hashes every file they write. An optimisation must leave every hash unchanged.
//
//   node dist/test/bench/golden.js --save bench/golden.json    record (before a change)
//   node dist/test/bench/golden.js --check bench/golden.json   compare (after it); exit 1 on a difference
//
// Not a unit test (it takes a minute of CPU) and not shipped in sim/. stdout is not hashed: it holds
// wall-clock timings.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'sim', 'cli', 'main.js');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every shipped scenario file, repo-relative, sorted. */
function scenarios(): string[] {
  return files(join(ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => relative(ROOT, f))
    .sort();
}

/** The commands whose outputs are hashed, each writing into its own folder under `out`. */
function commands(out: string): Array<{ name: string; args: string[] }> {
  return [
    ...scenarios().map((s) => ({ name: `run ${s}`, args: ['run', s, '--out', join(out, s)] })),
    { name: 'reproduce isr-2005', args: ['reproduce', 'isr-2005', '--out', join(out, 'reproduce')] },
    {
      name: 'sweep isr-2005 (2 workers)',
      args: ['sweep', 'isr-2005', '--set', 'policy=baseline,demand-fetch,dongle-lka', '--set', 'link.bandwidth=1Mbit/s..100Mbit/s:log:3', '--trials', '2', '--workers', '2', '--quiet', '--out', join(out, 'sweep')],
    },
    {
      name: 'sweep precopy-max-rounds variants',
      args: ['sweep', 'scenarios/examples/precopy-max-rounds.yaml', '--set', 'variant=qemu,rounds-2,rounds-5', '--set', 'link.bandwidth=100Mbit/s..1Gbit/s:log:3', '--quiet', '--workers', '2', '--out', join(out, 'sweep-variants')],
    },
    {
      name: 'sweep precopy-qemu options',
      args: ['sweep', 'precopy-qemu', '--set', 'options.downtime_limit=50ms,2s', '--set', 'vm.memory=512MiB', '--set', 'link.latency=0.1ms..10ms:3', '--trials', '2', '--seed', '7', '--quiet', '--workers', '1', '--out', join(out, 'sweep-options')],
    },
    {
      name: 'run hoard-recent (policy file)',
      args: ['run', 'scenarios/examples/hoard-recent.yaml', '--trials', '1', '--out', join(out, 'run-hoard')],
    },
    {
      name: 'run stop-and-copy with --set',
      args: ['run', 'stop-and-copy', '--set', 'link.bandwidth=250Mbit/s', '--set', 'vm.memory=2GiB', '--seed', '3', '--out', join(out, 'run-set')],
    },
    ...[1, 2].map((k) => ({
      name: `sweep shard ${k}/2`,
      args: ['sweep', 'isr-2005', '--set', 'policy=baseline,lookaside', '--set', 'link.bandwidth=10Mbit/s,100Mbit/s', '--trials', '1', '--shard', `${k}/2`, '--quiet', '--out', join(out, 'shards')],
    })),
    { name: 'merge shards', args: ['merge', join(out, 'shards'), '--out', join(out, 'merged')] },
    {
      name: 'reproduce qemu-7.2',
      args: ['reproduce', 'qemu-7.2', '--out', join(out, 'reproduce-qemu')],
    },
    {
      name: 'run postcopy --trace',
      args: ['run', 'postcopy', '--out', join(out, 'trace-postcopy'), '--trace', join(out, 'trace-postcopy', 'trace.jsonl')],
    },
    {
      name: 'run isr-2005 --policy dongle-lka --trace',
      args: ['run', 'isr-2005', '--policy', 'dongle-lka', '--trials', '1', '--out', join(out, 'trace-isr'), '--trace', join(out, 'trace-isr', 'trace.jsonl')],
    },
  ];
}

function hashAll(): Record<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'vmsim-golden-'));
  try {
    for (const c of commands(out)) {
      process.stderr.write(`${c.name} ...\n`);
      mkdirSync(c.args[c.args.indexOf('--out') + 1], { recursive: true });
      const r = spawnSync(process.execPath, [MAIN, ...c.args], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${c.name} failed (exit ${r.status}):\n${r.stderr}`);
    }
    const hashes: Record<string, string> = {};
    for (const f of files(out).sort()) hashes[relative(out, f)] = createHash('sha256').update(readFileSync(f)).digest('hex');
    return hashes;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function main(): void {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== '--save' && mode !== '--check') || file === undefined) {
    console.error('usage: golden.js --save FILE | --check FILE');
    process.exitCode = 2;
    return;
  }
  const hashes = hashAll();
  const all = createHash('sha256').update(JSON.stringify(hashes)).digest('hex');
  if (mode === '--save') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ all, files: hashes }, null, 2)}\n`);
    console.log(`${Object.keys(hashes).length} files, all = ${all}; saved to ${file}`);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file} does not exist: run with --save first`);
  const want = (JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, string> }).files;
  const names = [...new Set([...Object.keys(want), ...Object.keys(hashes)])].sort();
  const diff = names.filter((n) => want[n] !== hashes[n]);
  for (const n of diff) console.log(`DIFFERS ${n}: ${want[n] ?? '(missing)'} -> ${hashes[n] ?? '(missing)'}`);
  console.log(`${names.length} files, all = ${all}: ${diff.length === 0 ? 'identical' : `${diff.length} differ`}`);
  if (diff.length > 0) process.exitCode = 1;
}

main();
