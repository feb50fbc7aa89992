// The full ISR reproduction (6 policies x 4 bandwidths x 3 trials): simulation work only, as
// `vmsim reproduce isr-2005` does it (no Node start-up, no chart rendering). Target: at most 0.5 s.
// After a one-trial warm-up it runs ROUNDS times and the fastest counts (a shared host only ever
// slows a run down); wall_s_median shows the spread. peak_rss_bytes is taken after the first round
// (warm-up plus one reproduction, as this benchmark measured it before it had rounds); later rounds
// only let garbage pile up until a major GC, shown as peak_rss_all_rounds_bytes.
import { reproduce } from '../../sim/cli/commands/reproduce.js';
import { peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

const ROUNDS = Number(process.env.VMSIM_BENCH_ISR_ROUNDS ?? 3);

export const isrReproduction: Bench = {
  name: 'isr_reproduction',
  run: () => {
    reproduce({ name: 'isr-2005', set: [], trials: 1 }); // warm-up
    const runs = [reproduce({ name: 'isr-2005', set: [] })];
    const rssFirst = peakRss();
    while (runs.length < ROUNDS) runs.push(reproduce({ name: 'isr-2005', set: [] }));
    const walls = runs.map((r) => r.wall_s).sort((a, b) => a - b);
    const r = runs[0];
    return {
      wall_s: walls[0],
      wall_s_median: walls[walls.length >> 1],
      runs: r.records.length,
      events: r.events,
      events_per_s: r.events / walls[0],
      peak_rss_bytes: rssFirst,
      peak_rss_all_rounds_bytes: peakRss(),
      rounds: ROUNDS,
    };
  },
};
