// generateDesktop is written with flat typed arrays for speed; it must give exactly what the
// straightforward version (kept here as the reference, from before that rewrite) gives: the same
// workload from the same random draws, and the stream left in the same state.
import { describe, expect, it } from 'vitest';
import { RandomStreams, type Rng } from '../../sim/engine/index.js';
import { InputError } from '../../sim/errors.js';
import { generateDesktop, type DesktopOp, type DesktopSpec, type DesktopWorkload } from '../../sim/world/desktop-workload.js';

function shuffle(a: Uint32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

function referenceDesktop(spec: DesktopSpec, rng: Rng): DesktopWorkload {
  const { operations: n, applications: apps } = spec;
  if (spec.footprint > spec.disk_chunks) throw new InputError(`the workload reads ${spec.footprint} chunks but the disk has only ${spec.disk_chunks}`);
  if (spec.written > spec.footprint) throw new InputError(`the workload writes ${spec.written} chunks but reads only ${spec.footprint}; writes go to chunks it has read`);

  // Chunks the benchmark reads: a random set, split evenly between applications.
  const all = new Uint32Array(spec.disk_chunks);
  for (let i = 0; i < all.length; i++) all[i] = i;
  shuffle(all, rng);
  const footprint = all.slice(0, spec.footprint);

  // Operations run application by application, in contiguous blocks.
  const appOf = (i: number): number => Math.min(apps - 1, Math.floor((i * apps) / n));
  const opsOfApp: number[][] = Array.from({ length: apps }, () => []);
  for (let i = 0; i < n; i++) opsOfApp[appOf(i)].push(i);

  const firstTouch: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < apps; a++) {
    const lo = Math.floor((a * spec.footprint) / apps);
    const hi = Math.floor(((a + 1) * spec.footprint) / apps);
    const ops = opsOfApp[a];
    for (let k = lo; k < hi; k++) {
      // The launch touches launch_share of the application's chunks; the rest spread uniformly.
      const op = ops.length === 1 || rng() < spec.launch_share ? ops[0] : ops[1 + Math.floor(rng() * (ops.length - 1))];
      firstTouch[op].push(footprint[k]);
    }
  }

  // Think times and compute times; compute fills what think time leaves of the local duration.
  const quick = Array.from({ length: n }, () => rng() < spec.quick_share);
  const think = quick.map((q) => (q ? spec.quick_think_s : spec.think_s));
  const thinkTotal = think.reduce((s, x) => s + x, 0);
  const computeTotal = spec.local_duration_s - thinkTotal;
  if (!(computeTotal > 0)) {
    throw new InputError(`the workload's think time (${thinkTotal} s) leaves no compute time within its local duration (${spec.local_duration_s} s)`);
  }
  // Log-normal weights (sigma 0.8): most operations are short, a few long; quick ones a third.
  const weight = quick.map((q) => Math.exp(0.8 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())) * (q ? 1 / 3 : 1));
  const wsum = weight.reduce((s, x) => s + x, 0);

  // Foreground and background parts of each operation's first touches.
  const nBackground = firstTouch.map((cs) => Math.round(cs.length * spec.background_share));

  // Writes go to chunks already read, by an operation (uniformly chosen) at or after the read:
  // after it when the read was in the background, which follows the operation's writes.
  const writesOf: number[][] = Array.from({ length: n }, () => []);
  const order = footprint.slice();
  shuffle(order, rng);
  const firstOp = new Map<number, number>();
  firstTouch.forEach((cs, i) => cs.forEach((c, k) => firstOp.set(c, k < nBackground[i] ? i + 1 : i)));
  const written: number[] = [];
  for (let k = 0; k < order.length && written.length < spec.written; k++) {
    const c = order[k];
    const first = firstOp.get(c) as number;
    if (first >= n) continue; // read in the background of the last operation: nobody writes it
    writesOf[first + Math.floor(rng() * (n - first))].push(c);
    written.push(c);
  }

  const ops: DesktopOp[] = [];
  for (let i = 0; i < n; i++) {
    const touches = firstTouch[i];
    const nb = nBackground[i];
    ops.push({
      app: appOf(i),
      quick: quick[i],
      think_s: think[i],
      compute_s: (computeTotal * weight[i]) / wsum,
      reads: Uint32Array.from(touches.slice(nb)),
      background: Uint32Array.from(touches.slice(0, nb)),
      writes: Uint32Array.from(writesOf[i]),
    });
  }
  return { ops, footprint, written: Uint32Array.from(written) };
}

const ISR_2005: DesktopSpec = {
  operations: 113,
  applications: 5,
  quick_share: 0.15,
  think_s: 10,
  quick_think_s: 1,
  local_duration_s: 1071,
  footprint: 1953,
  background_share: 0.8,
  launch_share: 0.4,
  written: 43,
  disk_chunks: 15625,
};

const VARIANTS: Array<[string, Partial<DesktopSpec>]> = [
  ['isr-2005', {}],
  ['one operation per application', { operations: 5, applications: 5, local_duration_s: 100 }],
  ['one application', { applications: 1 }],
  ['every chunk read', { footprint: 2000, disk_chunks: 2000 }],
  ['nothing written, all foreground', { written: 0, background_share: 0 }],
  ['all background, launch reads everything', { background_share: 1, launch_share: 1 }],
  ['no launch share, many writes', { launch_share: 0, written: 1500 }],
  ['more applications than chunks', { applications: 7, operations: 30, footprint: 4, disk_chunks: 50, written: 2 }],
];

describe('generateDesktop matches the reference implementation', () => {
  for (const [name, change] of VARIANTS) {
    it(`${name}: same workload and same stream state, 10 seeds`, () => {
      const spec = { ...ISR_2005, ...change };
      for (let seed = 1; seed <= 10; seed++) {
        const a = new RandomStreams(seed).stream('w');
        const b = new RandomStreams(seed).stream('w');
        const got = generateDesktop(spec, a);
        const want = referenceDesktop(spec, b);
        expect(got).toEqual(want);
        // Same types too (toEqual alone would accept a plain array for a Uint32Array).
        for (const k of ['reads', 'background', 'writes'] as const) expect(got.ops.every((op) => op[k] instanceof Uint32Array)).toBe(true);
        expect(a()).toBe(b()); // the stream continues from the same place
      }
    });
  }

  it('rejects applications without operations where the reference failed with a TypeError', () => {
    const spec = { ...ISR_2005, applications: 200 };
    expect(() => referenceDesktop(spec, new RandomStreams(1).stream('w'))).toThrow(TypeError);
    expect(() => generateDesktop(spec, new RandomStreams(1).stream('w'))).toThrow(InputError);
    expect(() => generateDesktop(spec, new RandomStreams(1).stream('w'))).toThrow('200 applications need at least one operation each, but it has only 113 operations');
  });
});
