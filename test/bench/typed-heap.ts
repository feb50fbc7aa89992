// Ceiling for hold_model: the same hold pattern (same population, stream, delays and event count)
// on a hand-written binary heap over typed arrays, ordered by (time, sequence), that replaces its
// top and sifts down once per event. No simulator, no callbacks, no cancellation: what a queue
// alone costs when nothing is allocated per event.
import { performance } from 'node:perf_hooks';
import { RandomStreams, exponential } from '../../sim/engine/random.js';
import { EVENTS, POPULATION, SEED, STREAM, WARMUP_EVENTS, peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

export function typedHeapOnce(events: number): { wall_s: number; now: number } {
  const rng = new RandomStreams(SEED).stream(STREAM);
  const n = POPULATION;
  const time = new Float64Array(n);
  const seq = new Float64Array(n);
  let next = 0;
  // Heapify by insertion (sift up), as the simulator's start-up would.
  for (let i = 0; i < n; i++) {
    const t = exponential(rng, 1);
    const s = next++;
    let k = i;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (time[p] < t || (time[p] === t && seq[p] < s)) break;
      time[k] = time[p];
      seq[k] = seq[p];
      k = p;
    }
    time[k] = t;
    seq[k] = s;
  }
  let now = 0;
  const t0 = performance.now();
  for (let e = 0; e < events; e++) {
    if (time[0] < now) throw new Error('typed heap: time ran backwards');
    now = time[0];
    // Replace the top with the entity's next event and sift it down.
    const t = now + exponential(rng, 1);
    const s = next++;
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (time[r] < time[c] || (time[r] === time[c] && seq[r] < seq[c]))) c = r;
      if (t < time[c] || (t === time[c] && s < seq[c])) break;
      time[k] = time[c];
      seq[k] = seq[c];
      k = c;
    }
    time[k] = t;
    seq[k] = s;
  }
  return { wall_s: (performance.now() - t0) / 1000, now };
}

export const typedHeap: Bench = {
  name: 'typed_heap',
  run() {
    typedHeapOnce(WARMUP_EVENTS);
    const { wall_s } = typedHeapOnce(EVENTS);
    return { events_per_s: EVENTS / wall_s, wall_s, peak_rss_bytes: peakRss(), events: EVENTS };
  },
};
