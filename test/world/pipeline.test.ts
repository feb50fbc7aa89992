// The handoff pipeline: dedup classes, delta and compression sizes, CPU cost per stage.
import { expect, test } from 'vitest';
import { PageStore, Pipeline, Observer, baseMemoryId, baseDiskId, type PipelineEvent } from '../../sim/world/index.js';
import { Simulator } from '../../sim/engine/index.js';

const modes = [
  { name: 'none', speed_Bps: Infinity, ratio: 1 },
  { name: 'ref', speed_Bps: 20e6, ratio: 0.32 },
  { name: 'strong', speed_Bps: 2e6, ratio: 0.23 },
];

function pipeline(delta: number | null) {
  const sim = new Simulator();
  const observe = new Observer();
  const events: PipelineEvent[] = [];
  observe.on((e) => e.type === 'pipeline' && events.push(e));
  const p = new Pipeline(sim, observe, { vm: 'vm', reference_ratio: 0.32, hash_Bps: 400e6, delta_Bps: delta, base_delta: 0.5, reference_bytes: 8, cores: 2 }, modes);
  return { p, events };
}

test('dedup finds zero, base-memory, base-disk and repeated blocks; the rest is compressed by class', () => {
  const s = new PageStore('mem', 8, 4096, [{ name: 'text', compress_ratio: 0.32 }, { name: 'random', compress_ratio: 1 }]);
  const u = (k: number) => 0x8000_0000 + k;
  s.content.set([0, baseMemoryId(3), baseDiskId(9), u(1), u(1), u(2), u(3), 0]);
  s.klass.set([0, 0, 0, 0, 0, 0, 1, 0]);
  const { p, events } = pipeline(null);
  const b = p.process(s, s.all(), 1);
  const e = events[0];
  expect(e).toMatchObject({ blocks: 8, input_bytes: 8 * 4096, zero: 2, base_memory: 1, base_disk: 1, self: 1, mode: 'ref' });
  // Kept: u1, u2 (text, ratio 0.32 at the reference mode) and u3 (random, 1).
  expect(e.dedup_bytes).toBe(3 * 4096);
  expect(b.output_bytes).toBe(Math.ceil(5 * 8 + 2 * 4096 * 0.32 + 4096)); // whole bytes on the wire
  // CPU: hash everything, compress the kept bytes, on 2 cores.
  expect(b.cpu_s).toBeCloseTo((8 * 4096) / 400e6 / 2 + (3 * 4096) / 20e6 / 2, 12);
  // Later batches dedup against what was sent.
  const again = p.process(s, Uint32Array.of(3), 1);
  expect(again.output_bytes).toBe(8);
});

test('mode ratios scale log-ratios: exact on reference content, 1 for incompressible, 1 without compression', () => {
  const { p } = pipeline(null);
  expect(p.modeRatio(1, 0.32)).toBeCloseTo(0.32, 12);
  expect(p.modeRatio(2, 0.32)).toBeCloseTo(0.23, 12);
  expect(p.modeRatio(2, 1)).toBe(1);
  expect(p.modeRatio(0, 0.1)).toBe(1);
  expect(p.modeRatio(2, 0.5)).toBeLessThan(p.modeRatio(1, 0.5));
});

test('a delta stage keeps base_delta of each kept block and costs its own CPU; profile predicts process', () => {
  const s = new PageStore('mem', 4, 4096, [{ name: 'text', compress_ratio: 0.32 }]);
  s.content.set([0x8000_0001, 0x8000_0002, 0, baseMemoryId(0)]);
  const { p, events } = pipeline(100e6);
  const prof = p.profile(s, s.all());
  const predicted = p.cost(prof, s, 1);
  const b = p.process(s, s.all(), 1);
  expect(events[0].delta_bytes).toBe(2 * 2048);
  expect(b.output_bytes).toBe(Math.ceil(2 * 8 + 2 * 2048 * 0.32));
  expect(Math.ceil(predicted.output_bytes)).toBe(b.output_bytes);
  expect(predicted.cpu_s).toBeCloseTo(b.cpu_s, 12);
  expect(b.cpu_s).toBeCloseTo(((4 * 4096) / 400e6 + (2 * 4096) / 100e6 + (2 * 2048) / 20e6) / 2, 12);
});
