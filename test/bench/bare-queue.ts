// Baseline for hold_model: the same hold pattern (same population, stream, comparator and event
// count) straight on fastpriorityqueue, poll() + add() per event, with no simulator around it.
import { performance } from 'node:perf_hooks';
import FastPriorityQueue from 'fastpriorityqueue';
import { RandomStreams, exponential } from '../../sim/engine/random.js';
import { EVENTS, POPULATION, SEED, STREAM, WARMUP_EVENTS, peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

interface Item {
  t: number;
  seq: number;
}

const before = (a: Item, b: Item): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);

function once(events: number): { wall_s: number; now: number } {
  const rng = new RandomStreams(SEED).stream(STREAM);
  const q = new FastPriorityQueue<Item>(before);
  let seq = 0;
  for (let i = 0; i < POPULATION; i++) q.add({ t: exponential(rng, 1), seq: seq++ });
  let now = 0;
  const t0 = performance.now();
  for (let n = 0; n < events; n++) {
    const e = q.poll() as Item;
    if (e.t < now) throw new Error('bare queue: time ran backwards');
    now = e.t;
    q.add({ t: now + exponential(rng, 1), seq: seq++ });
  }
  return { wall_s: (performance.now() - t0) / 1000, now };
}

export const bareQueue: Bench = {
  name: 'bare_queue',
  run() {
    once(WARMUP_EVENTS);
    const { wall_s } = once(EVENTS);
    return { events_per_s: EVENTS / wall_s, wall_s, peak_rss_bytes: peakRss(), events: EVENTS };
  },
};
