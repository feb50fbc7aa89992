// The cluster benchmark (issue 20): 10,000 VMs of 4-16 GiB with working sets on 1,000 hosts in a
// two-tier topology (20 hosts per rack, 40 Gbit/s uplinks), 100 hosts evacuated (1,000 migrations,
// QEMU pre-copy) at most 2 at a time per host, under 100 background streams; as the CLI runs it
// (validation, layout, recorder, tables). Targets: <= 10 s wall, <= 2 GiB peak RSS.
// The VMs use the counted memory model when vmsim has one (`vm.model: counted`); with the per-page
// model alone, 1,000 migrating VMs of 10 GiB are 2.6 G pages, so the VMs' memory and working sets
// are scaled down by MEMORY_SCALE (the counts, topology and operation stay) and the figures say so.
// Beside it, in the same process: the hold model's events per second, the engine's ceiling.
import { performance } from 'node:perf_hooks';
import { buildScenario } from '../../scenarios/build.js';
import { validateScenario } from '../../scenarios/load.js';
import { concurrent } from '../../policies/cluster/concurrent.js';
import { runOne } from '../../sim/run.js';
import { Simulator } from '../../sim/engine/simulator.js';
import { RandomStreams, exponential } from '../../sim/engine/random.js';
import { POPULATION, SEED, STREAM, peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

export const TARGET_CLUSTER_WALL_S = 10;
export const TARGET_CLUSTER_RSS_BYTES = 2 * 2 ** 30;

const HOSTS = Number(process.env.VMSIM_BENCH_CLUSTER_HOSTS ?? 1000);
const VMS_PER_HOST = 10;
const EVACUATED = HOSTS / 10;
/** Memory scale of the VMs without the counted model (1 with it). */
const MEMORY_SCALE = 1 / 64;

function scenario(counted: boolean): Record<string, unknown> {
  const scale = counted ? 1 : MEMORY_SCALE;
  const gib = (n: number): string => `${(n * 1024 * scale).toFixed(0)}MiB`;
  const vms = [4, 8, 12, 16].map((size) => ({
    name: `vm${size}g-{i}`,
    count: (HOSTS * VMS_PER_HOST) / 4,
    memory: gib(size),
    zero: '10%',
    ...(counted ? { model: 'counted' } : {}),
    working_set: [
      { name: 'hot', size: gib(size / 32), rate: `${Math.round(20000 * scale)} pages/s` },
      { name: 'warm', size: gib(size / 8), rate: `${Math.round(2000 * scale)} pages/s` },
    ],
  }));
  return {
    kind: 'cluster',
    name: 'bench-cluster',
    policy: 'concurrent',
    options: { max_per_host: 2 },
    migration: { policy: 'precopy', options: { rules: 'qemu', max_bandwidth: '10Gbit/s', downtime_limit: '300ms' } },
    sample_interval: '1s',
    hosts: [{ name: 'h{i}', count: HOSTS, nic: '10Gbit/s', memory: '256GiB' }],
    topology: { kind: 'two-tier', hosts_per_rack: 20, uplink: '40Gbit/s', latency: '50us' },
    vms,
    background: Array.from({ length: 100 }, (_, k) => ({ from: `h${(k * 37 + 11) % HOSTS}`, to: `h${(k * 101 + 503) % HOSTS}`, rate: '2Gbit/s' })),
    operation: { evacuate: Array.from({ length: EVACUATED }, (_, k) => `h${k * 10}`) },
    limits: { max_memory: '1TiB', max_wall: '600s' },
  };
}

/** The scenario with the counted model if this vmsim has it, else the scaled per-page one. */
function validated(): { s: ReturnType<typeof validateScenario>; counted: boolean } {
  try {
    return { s: validateScenario(scenario(true), 'bench'), counted: true };
  } catch {
    return { s: validateScenario(scenario(false), 'bench'), counted: false };
  }
}

/** The hold model (test/bench/hold-model.ts: callbacks), events per second over `events`. */
function holdEventsPerSecond(events: number): number {
  const sim = new Simulator({ maxEvents: events + 1, maxTime: Infinity });
  const rng = new RandomStreams(SEED).stream(STREAM);
  for (let i = 0; i < POPULATION; i++) {
    const tick = (): void => {
      sim.schedule(exponential(rng, 1), tick);
    };
    sim.schedule(exponential(rng, 1), tick);
  }
  const t0 = performance.now();
  sim.run({ maxEvents: events });
  return events / ((performance.now() - t0) / 1000);
}

function clusterEvacuation(): Record<string, number> {
  const t0 = performance.now();
  const { s, counted } = validated();
  const { world, setup } = buildScenario(s, 1);
  const record = runOne({ scenario: 'bench', world, setup, policy: concurrent, options: concurrent.options.parse((s as { options: unknown }).options), seed: 1, trial: 0 });
  const wall_s = (performance.now() - t0) / 1000;
  const rss = peakRss();
  const m = record.metrics;
  const hold = Math.max(holdEventsPerSecond(2_000_000), holdEventsPerSecond(2_000_000));
  return {
    wall_s,
    peak_rss_bytes: rss,
    events: m.events,
    events_per_s: m.events / wall_s,
    hold_model_events_per_s: hold,
    ratio_to_hold_model: m.events / wall_s / hold,
    counted_model: counted ? 1 : 0,
    memory_scale: counted ? 1 : MEMORY_SCALE,
    hosts: HOSTS,
    vms: HOSTS * VMS_PER_HOST,
    migrations: m.migrations,
    converged_migrations: m.converged_migrations,
    makespan_s: m.makespan_s,
    busiest_link_peak_pct: m.busiest_link_peak_pct,
    background_lost_pct: m.background_lost_pct,
    link_rows: record.tables?.links.length ?? 0,
  };
}

export const clusterBench: Bench = { name: 'cluster_evacuation', run: clusterEvacuation };
