// The classic hold model: POPULATION entities, each rescheduling itself after an exponential delay
// (mean 1 s), EVENTS events in all. Measures the engine's cost per event on its hot path, and its
// ratio to typed_heap (the same work on a hand-written typed-array heap: the ceiling) measured in
// the same process, interleaved round by round, so a busy spell on a shared host hits both.
import { performance } from 'node:perf_hooks';
import { Simulator } from '../../sim/engine/simulator.js';
import { RandomStreams, exponential } from '../../sim/engine/random.js';
import { EVENTS, POPULATION, SEED, STREAM, WARMUP_EVENTS, peakRss } from './hold-params.js';
import { typedHeapOnce } from './typed-heap.js';
import type { Bench } from './registry.js';

/** Rounds of (engine, typed heap); the best of each counts (a shared host only ever slows a run). */
const ROUNDS = Number(process.env.VMSIM_BENCH_HOLD_ROUNDS ?? 3);

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
  typedHeapOnce(WARMUP_EVENTS);
  let engine = Infinity;
  let heap = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    engine = Math.min(engine, once(setup, EVENTS).wall_s);
    heap = Math.min(heap, typedHeapOnce(EVENTS).wall_s);
  }
  return {
    events_per_s: EVENTS / engine,
    wall_s: engine,
    peak_rss_bytes: peakRss(),
    events: EVENTS,
    typed_heap_events_per_s: EVENTS / heap,
    ratio_to_typed_heap: heap / engine,
    rounds: ROUNDS,
  };
}

export const holdModel: Bench = { name: 'hold_model', run: () => measure(callbacks) };
export const holdModelGenerators: Bench = { name: 'hold_model_generators', run: () => measure(generators) };
