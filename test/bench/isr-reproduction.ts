// The full ISR reproduction (6 policies x 4 bandwidths x 3 trials): simulation work only, as
// `vmsim reproduce isr-2005` does it (no Node start-up, no chart rendering). Target: under 1 s.
import { reproduce } from '../../sim/cli/reproduce.js';
import { peakRss } from './hold-model.js';
import type { Bench } from './registry.js';

export const isrReproduction: Bench = {
  name: 'isr_reproduction',
  run: () => {
    reproduce({ name: 'isr-2005', set: [], trials: 1 }); // warm-up
    const r = reproduce({ name: 'isr-2005', set: [] });
    return { wall_s: r.wall_s, runs: r.records.length, events: r.events, events_per_s: r.events / r.wall_s, peak_rss_bytes: peakRss() };
  },
};
