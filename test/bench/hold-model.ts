// The classic hold model: POPULATION entities, each rescheduling itself after an exponential delay
// (mean 1 s), EVENTS events in all. Measures the engine's cost per event on its hot path.
import { performance } from 'node:perf_hooks';
import { Simulator } from '../../sim/engine/simulator.js';
import { RandomStreams, exponential } from '../../sim/engine/random.js';
import type { Bench } from './registry.js';

/** Events per timed run (VMSIM_BENCH_EVENTS overrides, for quick checks) and per warm-up run. */
export const EVENTS = Number(process.env.VMSIM_BENCH_EVENTS ?? 10_000_000);
export const WARMUP_EVENTS = Math.min(200_000, EVENTS);
/** Concurrent entities. */
export const POPULATION = 1000;
/** Seed and stream shared with bare_queue, so both draw the same delays. */
export const SEED = 20050101;
export const STREAM = 'hold';

/** Peak resident set size of this process so far, in bytes (process-wide, so it only grows). */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

type Setup = (sim: Simulator, rng: () => number) => void;

/** Plain callbacks rescheduling themselves with sim.schedule: the documented fast path. */
const callbacks: Setup = (sim, rng) => {
  for (let i = 0; i < POPULATION; i++) {
    const tick = (): void => {
      sim.schedule(exponential(rng, 1), tick);
    };
    sim.schedule(exponential(rng, 1), tick);
  }
};

/** The same entities as generator processes yielding the delay (a number). */
const generators: Setup = (sim, rng) => {
  for (let i = 0; i < POPULATION; i++) {
    sim.process(
      (function* () {
        for (;;) yield exponential(rng, 1);
      })(),
    );
  }
};

function once(setup: Setup, events: number): { wall_s: number; events: number } {
  const sim = new Simulator({ maxEvents: events + 1, maxTime: Infinity });
  const rng = new RandomStreams(SEED).stream(STREAM);
  setup(sim, rng);
  const t0 = performance.now();
  sim.run({ maxEvents: events });
  const wall_s = (performance.now() - t0) / 1000;
  if (sim.processed !== events) throw new Error(`hold model processed ${sim.processed} events, expected ${events}`);
  return { wall_s, events: sim.processed };
}

function measure(setup: Setup): Record<string, number> {
  once(setup, WARMUP_EVENTS);
  const { wall_s, events } = once(setup, EVENTS);
  return { events_per_s: events / wall_s, wall_s, peak_rss_bytes: peakRss(), events };
}

export const holdModel: Bench = { name: 'hold_model', run: () => measure(callbacks) };
export const holdModelGenerators: Bench = { name: 'hold_model_generators', run: () => measure(generators) };
