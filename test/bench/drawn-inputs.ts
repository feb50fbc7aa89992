// What drawing inputs costs a trial (docs/ranges.md): the same small pre-copy run plain and with its
// memory written as a one-value distribution (`choice(64MiB)`: the same world, so the difference is
// the draw, the trial's validation and its budget check). Interleaved round by round, the fastest
// round of each counts. Target: at most 0.5 ms more a trial (a run of 1-2 ms here; most runs take
// far longer, so the ratio is reported but not judged).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, run } from '../../sim/api.js';
import { ROOT } from '../helpers/cli.js';
import type { Bench } from './registry.js';

const TRIALS = 300;
const ROUNDS = 3;
const WORKING_SET = '[{name: hot, size: 8MiB, rate: 1000 pages/s}]';

export const drawnInputsBench: Bench = {
  name: 'drawn_inputs',
  run: () => {
    const text = readFileSync(join(ROOT, 'scenarios', 'migration', 'precopy-qemu.yaml'), 'utf8');
    const plain = loadScenario(text, { set: { 'vm.memory': '64MiB', 'vm.working_set': WORKING_SET } });
    const drawn = loadScenario(text, { set: { 'vm.memory': 'choice(64MiB)', 'vm.working_set': WORKING_SET } });
    const timed = (s: typeof plain): number => {
      const t0 = performance.now();
      run(s, { trials: TRIALS });
      return (performance.now() - t0) / 1000;
    };
    timed(plain); // warm-up
    timed(drawn);
    let best = { plain: Infinity, drawn: Infinity };
    for (let k = 0; k < ROUNDS; k++) best = { plain: Math.min(best.plain, timed(plain)), drawn: Math.min(best.drawn, timed(drawn)) };
    return {
      trials: TRIALS,
      plain_ms_per_trial: (best.plain * 1000) / TRIALS,
      drawn_ms_per_trial: (best.drawn * 1000) / TRIALS,
      overhead_ms_per_trial: ((best.drawn - best.plain) * 1000) / TRIALS,
      ratio_to_plain: best.plain / best.drawn,
    };
  },
};
