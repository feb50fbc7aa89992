// The QEMU 7.2 reproduction (33 reference rows, 9 of them 120 s of pre-copy at up to 40,000 page
// writes per second): simulation work only, as `vmsim reproduce qemu-7.2` does it (no Node start-up,
// no chart rendering). Target: under 5 s; the fidelity test runs it once.
import { reproduceQemu } from '../../sim/cli/commands/reproduce-qemu.js';
import { peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

export const qemuReproduction: Bench = {
  name: 'qemu_reproduction',
  run: () => {
    const r = reproduceQemu({ set: [] });
    return { wall_s: r.wall_s, runs: r.records.length, events: r.events, events_per_s: r.events / r.wall_s, peak_rss_bytes: peakRss() };
  },
};
