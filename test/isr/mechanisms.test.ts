// Analytic checks of the ISR mechanisms on tiny hand-built worlds: one chunk fetch, the idle-path
// what-if, spurious retransmissions, the file-system client's queue, and the desktop benchmark.
import { describe, expect, it } from 'vitest';
import { RandomStreams, Simulator, type Event } from '../../sim/engine/index.js';
import {
  FsClient,
  LINK_DEFAULTS,
  World,
  generateDesktop,
  spuriousShare,
  withRetransmissions,
  type DesktopSpec,
  type LinkSpec,
  type StorageServer,
  type WindowProtocol,
} from '../../sim/world/index.js';
import { localBenchmarkTime, localWritesBy } from '../../sim/kinds/isr/driver.js';
import { host } from '../helpers/world.js';

const SFTP: WindowProtocol = { window_bytes: 65536, rto_s: 3.6 };

/** Client site B and a storage server at site S, one link between them. */
function clientServer(link: Partial<LinkSpec>, server: { overhead_s: number; throughput_Bps: number }): { w: World; fs: StorageServer } {
  const w = new World(1);
  w.addHost(host('B'));
  w.addHost(host('S'));
  w.addLink({ name: 'wan', a: 'B', b: 'S', bandwidth_bps: 1e6, latency_s: 0.01, schedule: [], ...LINK_DEFAULTS, ...link });
  const fs = w.addServer({ name: 'fs', site: 'S', request_overhead_s: server.overhead_s, throughput_Bps: server.throughput_Bps });
  return { w, fs };
}

/** Simulated time at which an event fires. */
function firesAt(w: World, e: Event<unknown>): () => number {
  let t = NaN;
  e.then(() => (t = w.now));
  return () => t;
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/**
 * A job for FsClient.submit that starts an exchange and completes with it. It works whether the
 * client hands the job a completion event to trigger (the current API) or relays the event the job
 * returns, so these tests do not depend on that internal detail.
 */
function job<T>(start: () => Event<T>): (done?: Event<T>) => Event<T> {
  return (done) => {
    const ev = start();
    if (done !== undefined) ev.then((e) => (e.error !== null ? done.fail(e.error) : done.succeed(e.value as T)));
    return ev;
  };
}

describe('a single chunk fetch', () => {
  const cases = [
    { name: 'link-bound (1 Mb/s), with headers and loss', bw: 1e6, lat: 0.01, over: 0.12, thr: 12e6, h: 40, loss: 0.01, protocol: undefined },
    { name: 'server-bound (1 Gb/s link, 12 MB/s server)', bw: 1e9, lat: 0.0005, over: 0.12, thr: 12e6, h: 0, loss: 0, protocol: undefined },
    { name: 'slow link with spurious retransmissions (100 kb/s, SFTP)', bw: 1e5, lat: 0.0005, over: 0.12, thr: 12e6, h: 0, loss: 0, protocol: SFTP },
  ];
  for (const c of cases) {
    it(`costs 2*latency + server overhead + wire*8/min(bandwidth, throughput*8): ${c.name}`, () => {
      const { w, fs } = clientServer({ bandwidth_bps: c.bw, latency_s: c.lat, packet_overhead_bytes: c.h, loss: c.loss }, { overhead_s: c.over, throughput_Bps: c.thr });
      const chunk = 256e3;
      const t = firesAt(w, w.fetch('B', fs, chunk, { protocol: c.protocol }));
      w.run();
      const link = w.link('wan');
      let wire = link.wireBytes(chunk);
      if (c.h > 0) expect(wire).toBeGreaterThan(chunk);
      wire = withRetransmissions(wire, c.protocol, c.bw, 2 * c.lat);
      if (c.protocol !== undefined) expect(wire).toBeGreaterThan(chunk * 1.3);
      const expected = 2 * c.lat + c.over + (wire * 8) / Math.min(c.bw, c.thr * 8);
      expect(rel(t(), expected)).toBeLessThan(1e-12);
    });
  }
});

describe('world.idleFetchSeconds', () => {
  const cases = [
    { name: '10 Mb/s with headers and loss', bw: 10e6, lat: 0.02, h: 40, loss: 0.02, protocol: SFTP, sizes: [41e6, 256e3, 256e3, 1000, 5e6] },
    { name: '100 kb/s with spurious retransmissions', bw: 1e5, lat: 0.0005, h: 0, loss: 0, protocol: SFTP, sizes: [256e3, 1000, 65536, 256e3] },
    { name: '1 Gb/s, server-bound', bw: 1e9, lat: 0.0005, h: 0, loss: 0, protocol: undefined, sizes: [41e6, 256e3, 256e3] },
  ];
  for (const c of cases) {
    it(`equals the same fetches done one after another through an FsClient: ${c.name}`, () => {
      const { w, fs } = clientServer({ bandwidth_bps: c.bw, latency_s: c.lat, packet_overhead_bytes: c.h, loss: c.loss }, { overhead_s: 0.12, throughput_Bps: 12e6 });
      const predicted = w.idleFetchSeconds('B', fs, c.sizes, { protocol: c.protocol });
      const client = new FsClient(w.sim, 'B:fs');
      const done = c.sizes.map((s) => client.submit(0, job(() => w.fetch('B', fs, s, { protocol: c.protocol }))));
      const t = firesAt(w, done[done.length - 1]);
      w.run();
      expect(client.completed).toBe(c.sizes.length);
      expect(rel(t(), predicted)).toBeLessThan(1e-12);
    });
  }
});

describe('spuriousShare', () => {
  it('is 0 when the window fits in (rto - rtt) * bandwidth', () => {
    // 1 Mb/s: (3.6 - 0.001) s * 125000 B/s = 449875 B >= 65536 B.
    expect(spuriousShare(SFTP, 1e6, 0.001)).toBe(0);
    // Exactly fits: (1 - 0) s * 1000 B/s = window.
    expect(spuriousShare({ window_bytes: 1000, rto_s: 1 }, 8000, 0)).toBe(0);
    expect(withRetransmissions(5000, SFTP, 1e6, 0.001)).toBe(5000);
    expect(withRetransmissions(5000, undefined, 1e3, 0.001)).toBe(5000);
  });

  it('is 1 - fits/window otherwise: 100 kbit/s, 64 KiB window, rto 3.6 s, rtt 1 ms', () => {
    // fits = (3.6 - 0.001) * 1e5 / 8 = 44987.5 B; share = 1 - 44987.5 / 65536 = 0.31354522705078125.
    const share = spuriousShare(SFTP, 1e5, 0.001);
    expect(share).toBeCloseTo(0.31354522705078125, 12);
    expect(withRetransmissions(256e3, SFTP, 1e5, 0.001)).toBeCloseTo(256e3 * 1.31354522705078125, 6);
    // Half the window fits; the rtt eats the timeout entirely.
    expect(spuriousShare({ window_bytes: 1000, rto_s: 1 }, 4000, 0)).toBe(0.5);
    expect(spuriousShare(SFTP, 1e5, 3.6)).toBe(1);
    expect(spuriousShare(SFTP, 1e5, 5)).toBe(1);
  });
});

describe('FsClient', () => {
  it('serves one job at a time, lower priority number first, FIFO within a priority, never preempting', () => {
    const sim = new Simulator();
    const fs = new FsClient(sim, 'c');
    const log: Array<[string, number]> = [];
    const ends: Record<string, number> = {};
    const add = (name: string, prio: number, dur: number): void => {
      fs.submit(
        prio,
        job(() => {
          log.push([name, sim.now]);
          return sim.timeout(dur, name);
        }),
      ).then((e) => {
        expect(e.value).toBe(name);
        ends[name] = sim.now;
      });
    };
    add('A', 1, 5); // starts at once on an idle client
    sim.at(1, () => {
      expect(fs.busy).toBe(true);
      add('B', 1, 1);
      add('C', 0, 2); // more urgent, but A is not preempted
      add('D', 0, 1);
      add('E', 1, 1);
      expect(fs.waiting(0)).toBe(2);
      expect(fs.waiting(1)).toBe(2);
    });
    sim.at(6, () => add('F', 0, 1)); // arrives while C runs, goes before B and E
    sim.run();
    expect(log).toEqual([
      ['A', 0],
      ['C', 5],
      ['D', 7],
      ['F', 8],
      ['B', 9],
      ['E', 10],
    ]);
    expect(ends).toEqual({ A: 5, C: 7, D: 8, F: 9, B: 10, E: 11 });
    expect(fs.completed).toBe(6);
    expect(fs.busy).toBe(false);
  });

  it('whenFree fires when the exchange in progress ends, not when the queue drains', () => {
    const sim = new Simulator();
    const fs = new FsClient(sim, 'c');
    fs.submit(1, job(() => sim.timeout(3)));
    fs.submit(1, job(() => sim.timeout(3)));
    let freeAt = NaN;
    sim.at(1, () => fs.whenFree().then(() => (freeAt = sim.now)));
    let idleAt = NaN;
    sim.at(10, () => fs.whenFree().then(() => (idleAt = sim.now)));
    sim.run();
    expect(freeAt).toBe(3);
    expect(idleAt).toBe(10);
  });
});

describe('generateDesktop', () => {
  // The isr-2005 benchmark: 113 operations, 500 MB of 256 KB chunks read, 11 MB written, 4 GB disk.
  const SPEC: DesktopSpec = {
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
  const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
  const gen = (seed: number, spec: DesktopSpec = SPEC) => generateDesktop(spec, new RandomStreams(seed).stream('isr:workload'));

  it('think + compute sums to the local duration, and localBenchmarkTime equals that sum', () => {
    for (const seed of SEEDS) {
      const w = gen(seed);
      let sum = 0;
      for (const op of w.ops) {
        expect(op.think_s === SPEC.think_s || op.think_s === SPEC.quick_think_s).toBe(true);
        expect(op.think_s === SPEC.quick_think_s).toBe(op.quick);
        expect(op.compute_s).toBeGreaterThan(0);
        sum += op.think_s + op.compute_s;
      }
      expect(w.ops).toHaveLength(SPEC.operations);
      expect(rel(sum, SPEC.local_duration_s)).toBeLessThan(1e-12);
      expect(rel(localBenchmarkTime(w), sum)).toBeLessThan(1e-12);
    }
  });

  it('footprint chunks are distinct disk chunks, each read exactly once (foreground or background)', () => {
    for (const seed of SEEDS) {
      const w = gen(seed);
      expect(w.footprint).toHaveLength(SPEC.footprint);
      expect(new Set(w.footprint).size).toBe(SPEC.footprint);
      for (const c of w.footprint) expect(c).toBeLessThan(SPEC.disk_chunks);
      const touched: number[] = [];
      for (const op of w.ops) touched.push(...op.reads, ...op.background);
      expect(touched).toHaveLength(SPEC.footprint);
      expect(new Set(touched)).toEqual(new Set(w.footprint));
    }
  });

  it('writes are distinct chunks first read by the writing operation or an earlier one', () => {
    for (const seed of SEEDS) {
      const w = gen(seed);
      const firstOp = new Map<number, number>();
      w.ops.forEach((op, i) => [...op.reads, ...op.background].forEach((c) => firstOp.set(c, i)));
      const writes: number[] = [];
      w.ops.forEach((op, i) => {
        for (const c of op.writes) {
          expect(firstOp.get(c), `seed ${seed}: chunk ${c} written by op ${i}`).toBeLessThanOrEqual(i);
          writes.push(c);
        }
      });
      expect(writes).toHaveLength(SPEC.written);
      expect(new Set(writes).size).toBe(SPEC.written);
      expect(new Set(w.written)).toEqual(new Set(writes));
    }
  });

  // Regression: an operation writes after its foreground reads but before its background reads,
  // so a chunk first read in an operation's background may only be written by a later operation.
  it('every write goes to a chunk already read when the write happens (foreground reads up to the op, background before it)', () => {
    const violations: string[] = [];
    for (const seed of SEEDS) {
      const w = gen(seed);
      const read = new Set<number>();
      w.ops.forEach((op, i) => {
        for (const c of op.reads) read.add(c);
        for (const c of op.writes) if (!read.has(c)) violations.push(`seed ${seed}: op ${i} writes chunk ${c} before reading it`);
        for (const c of op.background) read.add(c);
      });
    }
    expect(violations).toEqual([]);
  });

  it('the same seed gives the same workload, another seed another', () => {
    const a = gen(7);
    const b = gen(7);
    expect(b).toEqual(a);
    const c = gen(8);
    expect(Array.from(c.footprint)).not.toEqual(Array.from(a.footprint));
  });

  it("respects the background share within rounding in every operation", () => {
    for (const share of [0, 0.3, 0.8, 1]) {
      for (const seed of SEEDS.slice(0, 5)) {
        const w = gen(seed, { ...SPEC, background_share: share });
        let bg = 0;
        let all = 0;
        for (const op of w.ops) {
          const n = op.reads.length + op.background.length;
          expect(Math.abs(op.background.length - share * n)).toBeLessThanOrEqual(0.5);
          bg += op.background.length;
          all += n;
        }
        expect(Math.abs(bg / all - share)).toBeLessThan(0.02);
      }
    }
  });

  it('localBenchmarkTime of a hand-built workload is its think plus compute', () => {
    const w = gen(3);
    const tiny = { ...w, ops: [
      { ...w.ops[0], think_s: 2, compute_s: 0.25 },
      { ...w.ops[1], think_s: 0, compute_s: 1.5 },
      { ...w.ops[2], think_s: 10, compute_s: 0 },
    ] };
    expect(localBenchmarkTime(tiny)).toBe(13.75);
  });

  it('localWritesBy: the writes of the operations that ended by that share of the local run', () => {
    const w = gen(3);
    const [a, b, c] = [Uint32Array.of(5), Uint32Array.of(6, 7), Uint32Array.of(8)];
    // Operations end at 2.25 s, 3.75 s and 13.75 s of a 13.75 s run.
    const tiny = { ...w, ops: [
      { ...w.ops[0], think_s: 2, compute_s: 0.25, writes: a },
      { ...w.ops[1], think_s: 0, compute_s: 1.5, writes: b },
      { ...w.ops[2], think_s: 10, compute_s: 0, writes: c },
    ] };
    expect(Array.from(localWritesBy(tiny, 0))).toEqual([]);
    expect(Array.from(localWritesBy(tiny, 2 / 13.75))).toEqual([]);
    expect(Array.from(localWritesBy(tiny, 2.25 / 13.75))).toEqual([5]);
    expect(Array.from(localWritesBy(tiny, 0.5))).toEqual([5, 6, 7]);
    expect(Array.from(localWritesBy(tiny, 1))).toEqual([5, 6, 7, 8]);
    // The isr-2005 benchmark: every written chunk by the end, growing with the share.
    for (const seed of SEEDS) {
      const full = gen(seed);
      expect(new Set(localWritesBy(full, 1))).toEqual(new Set(full.written));
      let last = 0;
      for (const share of [0, 0.25, 0.5, 0.75, 1]) {
        const n = localWritesBy(full, share).length;
        expect(n).toBeGreaterThanOrEqual(last);
        last = n;
      }
    }
  });
});
