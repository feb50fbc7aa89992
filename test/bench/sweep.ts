// A 1,000-run sweep on 1 and then 2 worker threads: runs per second, the speed-up (target: at least
// 1.7x on 2 cores) and peak memory. Each measurement runs in a fresh child process, so its peak RSS
// (main thread plus workers) is its own and not the high-water mark of earlier benchmarks. Shared
// hosts are noisy (two spinning processes get anywhere from 0.6x to 1.6x of one), so 1- and
// 2-worker runs alternate for ROUNDS rounds and the best of each counts.
//
// The sweep is a parameter: SWEEP below, the ISR scenario's six policies over 40 bandwidths x 4
// trials (960 runs); MIGRATION_SWEEP (the 1 GiB stop-and-copy, 1,000 runs) is the other choice.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { planSweep } from '../../sim/cli/sweep.js';
import { RunPool } from '../../sim/cli/pool.js';
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
const CHILD_FLAG = '--sweep-bench-child';

/** In the child: plan, run on `workers` threads, write nothing; print figures as JSON. */
async function child(config: SweepBenchConfig, workers: number): Promise<Record<string, number>> {
  const plan = planSweep({ scenarioArg: config.scenario, axes: parseSets(config.axes).map((o) => ({ path: o.path, spec: o.text })), trials: config.trials });
  const records: RunRecord[] = new Array(plan.runs.length);
  const t0 = performance.now();
  await new RunPool(plan.points, workers).run(plan.runs, (job, record) => {
    records[job.index] = record;
  });
  const wall_s = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await sweepFiles(records, plan.definition);
  const outputs_s = (performance.now() - t1) / 1000;
  return { runs: plan.runs.length, wall_s, runs_per_s: plan.runs.length / wall_s, outputs_s, peak_rss_bytes: process.resourceUsage().maxRSS * 1024 };
}

function measure(workers: number): Record<string, number> {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), CHILD_FLAG, JSON.stringify(SWEEP), String(workers)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sweep bench child (${workers} workers) failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number>;
}

/** Rounds of (1 worker, 2 workers), interleaved so both see the same spells of a noisy host. */
const ROUNDS = Number(process.env.VMSIM_BENCH_SWEEP_ROUNDS ?? 3);

const best = (xs: Array<Record<string, number>>): Record<string, number> => xs.reduce((a, b) => (b.runs_per_s > a.runs_per_s ? b : a));

export const sweepBench: Bench = {
  name: 'sweep_1000_runs',
  run() {
    const ones: Array<Record<string, number>> = [];
    const twos: Array<Record<string, number>> = [];
    for (let i = 0; i < ROUNDS; i++) {
      ones.push(measure(1));
      twos.push(measure(2));
    }
    // Best of the rounds: a shared machine only ever makes a run slower, never faster.
    const one = best(ones);
    const two = best(twos);
    return {
      runs: two.runs,
      wall_s: two.wall_s,
      runs_per_s_1_worker: one.runs_per_s,
      runs_per_s_2_workers: two.runs_per_s,
      speedup_2_workers: two.runs_per_s / one.runs_per_s,
      peak_rss_bytes: Math.max(one.peak_rss_bytes, two.peak_rss_bytes),
      peak_rss_1_worker_bytes: one.peak_rss_bytes,
      peak_rss_2_workers_bytes: two.peak_rss_bytes,
      outputs_s: two.outputs_s,
      rounds: ROUNDS,
    };
  },
};

if (process.argv[2] === CHILD_FLAG) {
  const figures = await child(JSON.parse(process.argv[3]) as SweepBenchConfig, Number(process.argv[4]));
  process.stdout.write(JSON.stringify(figures) + '\n');
}
