// Benchmark runner: `npm run bench` (builds, then runs dist/test/bench/run.js).
// Runs every registered benchmark (or only those named on the command line), prints a table and
// writes bench/results.json at the repository root: { <bench name>: {figures}, meta: {...} }.
// Targets are reported as PASS/MISS, never asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benches } from './registry.js';
import { TARGET_POOL_VS_PROCESSES, TARGET_SPEEDUP } from './sweep.js';
import { TARGET_WALL_S } from './migration.js';
import { TARGET_OPEN_MS, TARGET_PAGE_VS_CLI } from './explorer.js';
import { TARGET_CLUSTER_RSS_BYTES, TARGET_CLUSTER_WALL_S } from './cluster.js';

type Figures = Record<string, number>;

const TARGET_EVENTS_PER_S = 5e6;
const TARGET_OVERHEAD = 2;
const TARGET_RATIO_TO_TYPED_HEAP = 0.7;
/** Peak RSS before issue 14 (hold 93 MiB, ISR reproduction 160 MiB, 16 GiB pre-copy 137 MiB) plus 10%. */
const RSS_BUDGET_MIB: Record<string, number> = { hold_model: 93 * 1.1, isr_reproduction: 160 * 1.1, precopy_16GiB: 137 * 1.1 };

/** The repository root: the nearest folder above this script holding package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

function gitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return out === '' ? null : out;
  } catch {
    return null;
  }
}

const fmtRate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(1));
const fmtCount = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(x % 1e6 === 0 ? 0 : 2)}M` : String(x));
const fmtMiB = (x: number): string => `${(x / 2 ** 20).toFixed(0)} MiB`;
const passMiss = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

/** Known figures get a column each; anything else a bench reports is shown as key=value in "other". */
const COLUMNS: { key: string; title: string; fmt: (x: number) => string }[] = [
  { key: 'events', title: 'events', fmt: fmtCount },
  { key: 'wall_s', title: 'wall s', fmt: (x) => x.toFixed(3) },
  { key: 'events_per_s', title: 'events/s', fmt: fmtRate },
  { key: 'peak_rss_bytes', title: 'peak RSS', fmt: fmtMiB },
];

function table(results: Map<string, Figures>, notes: Map<string, string>): string {
  const header = ['bench', ...COLUMNS.map((c) => c.title), 'target', 'other'];
  const rows = [...results].map(([name, f]) => [
    name,
    ...COLUMNS.map((c) => (f[c.key] === undefined ? '' : c.fmt(f[c.key]))),
    notes.get(name) ?? '',
    Object.entries(f)
      .filter(([k]) => !COLUMNS.some((c) => c.key === k))
      .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
      .join(' '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    r.map((c, i) => (i === 0 || i >= header.length - 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const CHILD = '--child';

/**
 * Each benchmark runs in a fresh Node process: its peak RSS is its own, and its timing does not
 * depend on the heap and JIT state earlier benchmarks left behind (the ISR reproduction ran 2x
 * slower after the 10 M-event hold models in one process).
 */
function runIsolated(name: string): Figures {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), CHILD, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench ${name} failed (exit ${r.status})`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Figures;
}

async function main(): Promise<void> {
  if (process.argv[2] === CHILD) {
    const b = benches.find((x) => x.name === process.argv[3]);
    if (b === undefined) throw new Error(`unknown bench ${process.argv[3]}`);
    process.stdout.write(JSON.stringify(await b.run()) + '\n');
    return;
  }
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !benches.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; known: ${benches.map((b) => b.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const selected = only.length === 0 ? benches : benches.filter((b) => only.includes(b.name));

  const results = new Map<string, Figures>();
  for (const b of selected) {
    process.stderr.write(`running ${b.name} ...\n`);
    results.set(b.name, runIsolated(b.name));
  }

  const notes = new Map<string, string>();
  const lines: string[] = [];
  for (const name of ['hold_model', 'hold_model_generators']) {
    const f = results.get(name);
    if (f?.events_per_s !== undefined) {
      notes.set(name, `>= ${fmtRate(TARGET_EVENTS_PER_S)}/s ${passMiss(f.events_per_s >= TARGET_EVENTS_PER_S)}`);
    }
  }
  // Wall-time targets of other benchmarks (seconds of simulation work).
  const WALL_TARGETS: Record<string, number> = { isr_reproduction: 0.5 };
  for (const [name, target] of Object.entries(WALL_TARGETS)) {
    const f = results.get(name);
    if (f?.wall_s !== undefined) notes.set(name, `<= ${target} s ${passMiss(f.wall_s <= target)}`);
  }
  const cluster = results.get('cluster_evacuation');
  if (cluster?.wall_s !== undefined) {
    const ok = cluster.wall_s <= TARGET_CLUSTER_WALL_S && cluster.peak_rss_bytes <= TARGET_CLUSTER_RSS_BYTES;
    notes.set('cluster_evacuation', `<= ${TARGET_CLUSTER_WALL_S} s, <= ${fmtMiB(TARGET_CLUSTER_RSS_BYTES)} ${passMiss(ok)}${cluster.counted_model === 1 ? '' : ` (per-page model: memory x ${cluster.memory_scale})`}`);
  }
  const sweep = results.get('sweep_1000_runs');
  if (sweep?.speedup_2_workers !== undefined) {
    // The old absolute target (1.7x on 2 cores) is shown for the record; the machine itself caps
    // two of anything well below it (two processes below), so the pool is judged against that.
    lines.push(
      `sweep: ${sweep.runs} runs, ${sweep.runs_per_s_1_worker.toFixed(1)} runs/s on 1 worker, ${sweep.runs_per_s_2_workers.toFixed(1)} on 2: ` +
        `speed-up ${sweep.speedup_2_workers.toFixed(2)}x (the earlier target of ${TARGET_SPEEDUP}x on 2 cores: ${passMiss(sweep.speedup_2_workers >= TARGET_SPEEDUP)}; two plain processes reach ${sweep.speedup_2_processes?.toFixed(2) ?? '?'}x here), ` +
        `peak RSS ${fmtMiB(sweep.peak_rss_1_worker_bytes)} / ${fmtMiB(sweep.peak_rss_2_workers_bytes)}`,
    );
  }
  if (sweep?.pool_vs_processes !== undefined) {
    const ok = sweep.pool_vs_processes >= TARGET_POOL_VS_PROCESSES;
    notes.set('sweep_1000_runs', `>= ${TARGET_POOL_VS_PROCESSES} of 2 processes ${passMiss(ok)}`);
    lines.push(
      `sweep without a pool: ${sweep.runs_per_s_1_process.toFixed(1)} runs/s in 1 process, ${sweep.runs_per_s_2_processes.toFixed(1)} in 2 side by side ` +
        `(${sweep.speedup_2_processes.toFixed(2)}x); 2 workers / 2 processes = ${sweep.pool_vs_processes.toFixed(2)} (target >= ${TARGET_POOL_VS_PROCESSES}: ${passMiss(ok)})`,
    );
  }
  for (const name of ['precopy_16GiB', 'stop_and_copy_x1000']) {
    const f = results.get(name);
    if (f?.wall_s !== undefined) notes.set(name, `< ${TARGET_WALL_S} s ${passMiss(f.wall_s < TARGET_WALL_S)}`);
  }
  const explorer = results.get('explorer');
  if (explorer?.page_vs_cli !== undefined) {
    const ok = explorer.page_vs_cli <= TARGET_PAGE_VS_CLI && explorer.open_to_interactive_ms < TARGET_OPEN_MS;
    notes.set('explorer', `page <= ${TARGET_PAGE_VS_CLI}x CLI, open < ${TARGET_OPEN_MS} ms ${passMiss(ok)}`);
    lines.push(
      `explorer: ISR reproduction ${explorer.isr_page_s.toFixed(2)} s in the page, ${explorer.isr_cli_s.toFixed(2)} s in the CLI: ` +
        `${explorer.page_vs_cli.toFixed(2)}x (target <= ${TARGET_PAGE_VS_CLI}x: ${passMiss(explorer.page_vs_cli <= TARGET_PAGE_VS_CLI)}); ` +
        `cold ${explorer.isr_page_cold_s.toFixed(2)} s (a fresh page) and ${explorer.isr_cli_cold_s.toFixed(2)} s (a fresh vmsim process); ` +
        `open to interactive ${explorer.open_to_interactive_ms.toFixed(0)} ms (target < ${TARGET_OPEN_MS} ms: ${passMiss(explorer.open_to_interactive_ms < TARGET_OPEN_MS)})`,
    );
  }
  const hold = results.get('hold_model');
  const bare = results.get('bare_queue');
  if (hold !== undefined && bare !== undefined) {
    const overhead = bare.events_per_s / hold.events_per_s;
    hold.overhead_vs_bare = overhead;
    lines.push(
      `engine overhead = bare_queue.events_per_s / hold_model.events_per_s = ` +
        `${fmtRate(bare.events_per_s)} / ${fmtRate(hold.events_per_s)} = ${overhead.toFixed(2)}  ` +
        `(target <= ${TARGET_OVERHEAD}: ${passMiss(overhead <= TARGET_OVERHEAD)})`,
    );
    const gen = results.get('hold_model_generators');
    if (gen !== undefined) gen.overhead_vs_bare = bare.events_per_s / gen.events_per_s;
  }
  if (hold?.ratio_to_typed_heap !== undefined) {
    const ok = hold.ratio_to_typed_heap >= TARGET_RATIO_TO_TYPED_HEAP;
    notes.set('hold_model', `${notes.get('hold_model') ?? ''}; >= ${TARGET_RATIO_TO_TYPED_HEAP} of typed heap ${passMiss(ok)}`);
    lines.push(
      `engine vs typed-array heap (same process, interleaved): ${fmtRate(hold.events_per_s)} / ${fmtRate(hold.typed_heap_events_per_s)} = ` +
        `${hold.ratio_to_typed_heap.toFixed(2)}  (target >= ${TARGET_RATIO_TO_TYPED_HEAP}: ${passMiss(ok)})`,
    );
  }
  // Peak RSS budgets: the figures before issue 14's work plus 10%.
  for (const [name, mib] of Object.entries(RSS_BUDGET_MIB)) {
    const f = results.get(name);
    if (f?.peak_rss_bytes === undefined) continue;
    const ok = f.peak_rss_bytes <= mib * 2 ** 20;
    lines.push(`${name} peak RSS ${fmtMiB(f.peak_rss_bytes)} (budget <= ${mib.toFixed(0)} MiB: ${passMiss(ok)})`);
  }

  console.log(table(results, notes));
  for (const l of lines) console.log(l);

  const root = repoRoot();
  const cpuList = cpus();
  const out = {
    ...Object.fromEntries(results),
    meta: {
      node: process.version,
      cpus: cpuList.length,
      cpu_model: cpuList[0]?.model ?? null,
      date: new Date().toISOString(),
      commit: gitCommit(root),
    },
  };
  const dir = join(root, 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'results.json');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(out, null, 2)}\n`);
  renameSync(tmp, file);
  console.log(`wrote ${file}`);
}

await main();
