// A 1,000-run sweep on 1 and then 2 worker threads: runs per second, the speed-up and peak memory. Beside them, the same runs without a pool: one process running
// all of them on its main thread, and two independent processes each running half (runs i with
// i % 2 = k), side by side. Two processes are what the machine allows two threads of simulation
// (memory bandwidth, caches, turbo), so the pool's own overhead shows as runs_per_s_2_workers over
// runs_per_s_2_processes (target: at least 0.9). Each measurement runs in a fresh child process, so
// its peak RSS (main thread plus workers) is its own. Shared hosts are noisy (two spinning processes
// get anywhere from 0.6x to 1.6x of one), so the measurements alternate for ROUNDS rounds and the
// best of each counts.
//
// Timing: both sides pay for starting and loading the simulator once per thread or process, and
// neither for planning the sweep. A pool run is timed from starting the pool (workers start, load
// their modules and warm up inside the window) to its last record; a process without a pool from
// its own start (Node's start and its module loading, as a worker's) to its last run, less the
// time it spent planning; the two processes' spans compared as if they had started together.
//
// The sweep is a parameter: SWEEP below, the ISR scenario's six policies over 40 bandwidths x 4
// trials (960 runs); MIGRATION_SWEEP (the 1 GiB stop-and-copy, 1,000 runs) is the other choice.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { planNamedSweep } from '../../sim/cli/sweep.js';
import { RunPool } from '../../sim/cli/pool/pool.js';
import { postedRun, type FromWorker } from '../../sim/cli/pool/run-job.js';
import { execute } from '../../sim/pipeline/index.js';
import { BUILT_IN } from '../../sim/policy-set.js';
import { sweepFiles } from '../../sim/experiment/sweep-outputs.js';
import { parseSets } from '../../scenarios/load.js';
import type { RunRecord } from '../../sim/results/record.js';
import type { Bench } from './registry.js';

export interface SweepBenchConfig {
  /** Shipped scenario name or path. */
  scenario: string;
  /** Axes in --set syntax. */
  axes: string[];
  trials: number;
}

/** 1 policy x 40 bandwidths x 25 trials = 1,000 runs of the shipped 1 GiB stop-and-copy. */
export const MIGRATION_SWEEP: SweepBenchConfig = {
  scenario: 'stop-and-copy',
  axes: ['policy=stop-and-copy', 'link.bandwidth=64Mbit/s..10Gbit/s:log:40'],
  trials: 25,
};

/** 6 ISR policies x 40 bandwidths x 4 trials = 960 runs (needs scenarios/isr-2005.yaml). */
export const ISR_SWEEP: SweepBenchConfig = {
  scenario: 'isr-2005',
  axes: ['policy=baseline,fully-proactive,demand-fetch,dongle-lka,dvd-lka,jukebox-lka', 'link.bandwidth=64kbit/s..100Mbit/s:log:40'],
  trials: 4,
};

const SWEEP = ISR_SWEEP;

export const TARGET_SPEEDUP = 1.7;
export const TARGET_POOL_VS_PROCESSES = 0.9;
const CHILD_FLAG = '--sweep-bench-child';
const DIRECT_FLAG = '--sweep-bench-direct';

const plan = (config: SweepBenchConfig) =>
  planNamedSweep({ scenarioArg: config.scenario, axes: parseSets(config.axes).map((o) => ({ path: o.path, spec: o.text })), trials: config.trials });

/** In the child: plan, run on `workers` threads, write nothing; print figures as JSON. */
async function child(config: SweepBenchConfig, workers: number): Promise<Record<string, number>> {
  const plan_ = plan(config);
  const t0 = performance.now();
  const ex = await execute(plan_, new RunPool(workers));
  if (ex.outcome !== 'done') throw ex.error;
  const records: RunRecord[] = ex.completed.map((c) => c.record);
  const wall_s = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await sweepFiles(records, plan_.definition);
  const outputs_s = (performance.now() - t1) / 1000;
  return { runs: plan_.jobs.length, wall_s, runs_per_s: plan_.jobs.length / wall_s, outputs_s, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 };
}

/** In a child without a pool: runs i with i % n === k on the main thread, as a worker runs them. */
function direct(config: SweepBenchConfig, k: number, n: number): Record<string, number> {
  const tPlan = performance.now();
  const planned = plan(config);
  // The points as a worker receives them (a structured clone of the plan's), so both run the same objects.
  const points = structuredClone(planned.points);
  const mine = planned.jobs.filter((r) => r.index % n === k);
  const results: FromWorker[] = [];
  const planning = performance.now() - tPlan;
  const t0 = performance.now();
  for (const job of mine) {
    const r = postedRun(points, BUILT_IN, job);
    if ('error' in r) throw new Error(`run ${job.key} failed: ${r.error.message}`);
    results.push(r);
  }
  // performance.now() counts from this process's start: Node's start and module loading included.
  const wall_s = (performance.now() - planning) / 1000;
  return { runs: results.length, wall_s, runs_only_s: (performance.now() - t0) / 1000, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 };
}

function measure(workers: number): Record<string, number> {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG, JSON.stringify(SWEEP), String(workers)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sweep bench child (${workers} workers) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

/** `n` processes side by side, each running its share of the runs without a pool. */
async function measureProcesses(n: number): Promise<Record<string, number>> {
  const one = (k: number): Promise<Record<string, number>> =>
    new Promise((resolve, reject) => {
      const c = spawn(process.execPath, [fileURLToPath(import.meta.url), DIRECT_FLAG, JSON.stringify(SWEEP), String(k), String(n)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('error', reject);
      c.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`sweep bench process ${k + 1}/${n} failed:\n${err}`))));
    });
  const parts = await Promise.all(Array.from({ length: n }, (_, k) => one(k)));
  const runs = parts.reduce((s, p) => s + p.runs, 0);
  const wall_s = Math.max(...parts.map((p) => p.wall_s));
  return { runs, wall_s, runs_per_s: runs / wall_s, peak_rss_bytes: Math.max(...parts.map((p) => p.peak_rss_bytes)) };
}

/** Rounds of (1 worker, 2 workers), interleaved so both see the same spells of a noisy host. */
const ROUNDS = Number(process.env.VMSIM_BENCH_SWEEP_ROUNDS ?? 3);

const best = (xs: Array<Record<string, number>>): Record<string, number> => xs.reduce((a, b) => (b.runs_per_s > a.runs_per_s ? b : a));

export const sweepBench: Bench = {
  name: 'sweep_1000_runs',
  async run() {
    const ones: Array<Record<string, number>> = [];
    const twos: Array<Record<string, number>> = [];
    const procs1: Array<Record<string, number>> = [];
    const procs2: Array<Record<string, number>> = [];
    for (let i = 0; i < ROUNDS; i++) {
      ones.push(measure(1));
      twos.push(measure(2));
      procs2.push(await measureProcesses(2));
      procs1.push(await measureProcesses(1));
    }
    // Best of the rounds: a shared machine only ever makes a run slower, never faster.
    const one = best(ones);
    const two = best(twos);
    const p1 = best(procs1);
    const p2 = best(procs2);
    return {
      runs: two.runs,
      wall_s: two.wall_s,
      runs_per_s_1_worker: one.runs_per_s,
      runs_per_s_2_workers: two.runs_per_s,
      speedup_2_workers: two.runs_per_s / one.runs_per_s,
      runs_per_s_1_process: p1.runs_per_s,
      runs_per_s_2_processes: p2.runs_per_s,
      speedup_2_processes: p2.runs_per_s / p1.runs_per_s,
      pool_vs_processes: two.runs_per_s / p2.runs_per_s,
      peak_rss_bytes: Math.max(one.peak_rss_bytes, two.peak_rss_bytes),
      peak_rss_1_worker_bytes: one.peak_rss_bytes,
      peak_rss_2_workers_bytes: two.peak_rss_bytes,
      peak_rss_process_bytes: Math.max(p1.peak_rss_bytes, p2.peak_rss_bytes),
      outputs_s: two.outputs_s,
      rounds: ROUNDS,
    };
  },
};

if (process.argv[2] === CHILD_FLAG) {
  const figures = await child(JSON.parse(process.argv[3]) as SweepBenchConfig, Number(process.argv[4]));
  process.stdout.write(JSON.stringify(figures) + '\n');
}
if (process.argv[2] === DIRECT_FLAG) {
  const figures = direct(JSON.parse(process.argv[3]) as SweepBenchConfig, Number(process.argv[4]), Number(process.argv[5]));
  process.stdout.write(JSON.stringify(figures) + '\n');
}
