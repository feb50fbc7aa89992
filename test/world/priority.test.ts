// Strict priority between flows and the drained event of a transfer.
import { expect, test } from 'vitest';
import { twoSites } from '../helpers/world.js';

const MB = 1e6;

test('a higher-priority transfer takes the whole link; the lower one waits, then finishes', () => {
  const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
  const bulk = w.send('A', 'B', 2 * MB);
  w.sim.schedule(0.5, () => {
    const urgent = w.send('A', 'B', 0.25 * MB, { priority: 1 });
    urgent.done.then(() => expect(w.now).toBeCloseTo(0.75, 9));
  });
  w.run();
  // bulk: 0.5 MB by 0.5 s, paused 0.25 s, then 1.5 MB more: done at 2.25 s.
  expect(bulk.doneAt).toBeCloseTo(2.25, 9);
});

test('equal priorities still share max-min fairly', () => {
  const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
  const a = w.send('A', 'B', MB, { priority: 1 });
  const b = w.send('A', 'B', MB, { priority: 1 });
  const low = w.send('A', 'B', MB);
  w.run();
  expect(a.doneAt).toBeCloseTo(2, 9);
  expect(b.doneAt).toBeCloseTo(2, 9);
  expect(low.doneAt).toBeCloseTo(3, 9);
});

test('drained fires when the last byte leaves, done one latency later', () => {
  const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0.1 });
  const t = w.send('A', 'B', MB);
  let drained = NaN;
  t.drained.then(() => (drained = w.now));
  w.run();
  expect(drained).toBeCloseTo(1, 9);
  expect(t.doneAt).toBeCloseTo(1.1, 9);
});
