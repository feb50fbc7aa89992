// Pre-copy under SimGrid's rules (rules: simgrid) against closed forms on an ideal link: a lone
// message of S bytes takes S / B + L, the stages follow VmLiveMigration.cpp, dirtying counts bytes.
import { describe, expect, it } from 'vitest';
import { migrate } from '../helpers/migration.js';

const M = 512 * 2 ** 20; // 512 MiB of RAM
const Bb = 128e6 / 8; // 128 Mbit/s in bytes/s
const L = 0.0001; // 0.1 ms one way
const link = { bandwidth: '128Mbit/s', latency: '0.1ms' };
const ms = (s: number) => s * 1e3;
const simgrid = (options: Record<string, unknown> = {}) => ({ rules: 'simgrid', ...options });

/** One message of `bytes` on the ideal link. */
const T = (bytes: number) => bytes / Bb + L;

describe('precopy (simgrid): an idle VM', () => {
  it('stage 1 sends the whole RAM, stage 3 an empty message: 512 MiB at 128 Mbit/s and 0.1 ms takes 33.555 s', () => {
    const { record, rounds } = migrate({ policy: 'precopy', link, vm: { memory: '512MiB' }, options: simgrid() });
    const m = record.metrics;
    // M * 8 / B + L for stage 1, then the stopped stage-3 message of 0 bytes: one latency.
    expect(m.total_time_ms / 1e3).toBeCloseTo(T(M) + T(0), 9);
    expect(m.total_time_ms / 1e3).toBeCloseTo(33.555, 3);
    expect(m.downtime_ms).toBeCloseTo(ms(L), 9);
    expect(m.transferred_bytes).toBe(M);
    expect(rounds.map((r) => r.phase)).toEqual(['precopy', 'downtime']);
    expect(m.converged).toBe(1);
  });

  it('no zero-page detection and no page headers: half the pages zero, still exactly ramsize bytes', () => {
    const { record } = migrate({ policy: 'precopy', link, vm: { memory: '512MiB', zero: '50%' }, options: simgrid() });
    expect(record.metrics.transferred_bytes).toBe(M);
    expect(record.metrics.duplicate_pages).toBe(0);
    expect(record.metrics.total_time_ms / 1e3).toBeCloseTo(T(M) + T(0), 9);
  });

  it('migration_speed caps every message (SimGrid set_rate)', () => {
    const { record } = migrate({ policy: 'precopy', link, vm: { memory: '512MiB' }, options: simgrid({ migration_speed: '64Mbit/s' }) });
    expect(record.metrics.total_time_ms / 1e3).toBeCloseTo((M * 8) / 64e6 + 2 * L, 9);
  });
});

describe('precopy (simgrid): a working set, rounds by hand', () => {
  // W = 64 MiB written at d = 976.5625 pages/s x 4096 B = 4 MB/s, a quarter of the link: each round
  // sends the bytes dirtied during the one before, u_k+1 = d (u_k / Bb + L) = u_k / 4 + d L, a
  // geometric series, until u fits the threshold Bb' x 30 ms (about 480 kB).
  const W = 64 * 2 ** 20;
  const d = 4e6;
  const vm = { memory: '512MiB', working_set: [{ name: 'hot', size: '64MiB', rate: '976.5625 pages/s' }] };

  it('stage 1, four stage-2 rounds (W, W/4 + dL, ...), stage 3: 39.142 s in all, 16.5 ms down', () => {
    const { record, rounds } = migrate({ policy: 'precopy', link, vm, options: simgrid() });
    const m = record.metrics;
    // The rule, step by step: message sizes u, durations, measured bandwidth and threshold.
    const sizes = [M];
    let dur = T(M);
    let threshold = Math.floor((M / dur) * 0.03);
    let u = Math.min(W, Math.floor(d * dur)); // stage 1 lasts 33.6 s: the whole working set is dirty
    expect(u).toBe(W);
    while (threshold < u) {
      sizes.push(u);
      dur = T(u);
      threshold = Math.floor((u / dur) * 0.03);
      u = Math.min(W, Math.floor(d * dur));
    }
    sizes.push(u); // stage 3
    // By hand: 536870912, 67108864, 16777616, 4194804, 1049101, then 262675 < 479269 stopped. (Each
    // d x T is a whole number of bytes in exact arithmetic, so truncation may land one byte lower.)
    const byHand = [536870912, 67108864, 16777616, 4194804, 1049101, 262675];
    expect(sizes).toHaveLength(byHand.length);
    sizes.forEach((x, k) => expect(Math.abs(x - byHand[k]), `message ${k + 1}`).toBeLessThanOrEqual(1));
    for (let k = 2; k < sizes.length; k++) expect(Math.abs(sizes[k] - (sizes[k - 1] / 4 + d * L))).toBeLessThanOrEqual(1);

    expect(rounds.map((r) => r.phase)).toEqual(['precopy', 'precopy', 'precopy', 'precopy', 'precopy', 'downtime']);
    rounds.forEach((r, k) => {
      expect(Math.abs(r.bytes_sent - byHand[k]), `round ${k + 1}`).toBeLessThanOrEqual(1);
      expect(r.duration_ms).toBeCloseTo(ms(T(r.bytes_sent)), 6);
    });
    const sent = rounds.map((r) => r.bytes_sent);
    expect(m.total_time_ms / 1e3).toBeCloseTo(sent.reduce((s, x) => s + T(x), 0), 6);
    expect(m.total_time_ms / 1e3).toBeCloseTo(39.142098, 5);
    expect(m.downtime_ms).toBeCloseTo(ms(T(sent[5])), 6);
    expect(m.downtime_ms).toBeCloseTo(16.517, 3);
    expect(m.transferred_bytes).toBe(sent.reduce((s, x) => s + x, 0));
    expect(m.converged).toBe(1);
  });

  it('dirtying counts bytes, not pages: round 2 is W bytes though fewer distinct pages were written', () => {
    const { rounds } = migrate({ policy: 'precopy', link, vm, options: simgrid() });
    // 33.6 s of writes at 976.5625 pages/s over 16384 pages leave 16384 (1 - e^-2) = 14167 pages
    // dirty on average; SimGrid counts min(W, d T) = W.
    expect(rounds[1].bytes_sent).toBe(W);
    expect(rounds[1].pages_sent).toBe(rounds[0].pages_dirtied);
    expect(rounds[1].pages_sent).toBeGreaterThan(0.85 * 16384 * (1 - Math.exp(-2)));
    expect(rounds[1].pages_sent).toBeLessThan(16384);
  });

  it('the same seed gives the same record', () => {
    const o = { policy: 'precopy', link, vm, options: simgrid(), seed: 9 };
    expect(migrate(o).record).toEqual(migrate(o).record);
  });
});

describe('precopy (simgrid): the migration timeout', () => {
  // Dirtying at 32 MB/s, twice the link: every round is the whole working set, so only the timeout ends stage 2.
  const W = 64 * 2 ** 20;
  const vm = { memory: '512MiB', working_set: [{ name: 'hot', size: '64MiB', rate: '7812.5 pages/s' }] };

  it('stage 1 longer than the timeout: stage 2 is skipped and stage 3 sends the working set', () => {
    const { record, rounds } = migrate({ policy: 'precopy', link, vm, options: simgrid({ migration_timeout: '20s' }) });
    expect(rounds.map((r) => r.phase)).toEqual(['precopy', 'downtime']);
    expect(record.metrics.total_time_ms / 1e3).toBeCloseTo(T(M) + T(W), 6);
    expect(record.metrics.downtime_ms).toBeCloseTo(ms(T(W)), 6);
    expect(record.metrics.converged).toBe(1);
  });

  it('a stage-2 message cut at the timeout: stage 3 sends its unsent bytes plus what was dirtied meanwhile', () => {
    const { record, rounds } = migrate({ policy: 'precopy', link, vm, options: simgrid({ migration_timeout: '40s' }) });
    // Stage 1 ends at T(M) = 33.55 s, round 2 (W) at 37.75 s; round 3 (W) is cut at 40 s, after
    // c = 40 - 37.75 s: it sent c Bb bytes, and c x 32 MB/s (more than W) was dirtied.
    const cut = 40 - T(M) - T(W);
    const rest = W - Math.round(cut * Bb) + W;
    expect(rounds.map((r) => r.phase)).toEqual(['precopy', 'precopy', 'precopy', 'downtime']);
    expect(rounds[3].start_ms).toBeCloseTo(40_000, 6);
    expect(Math.abs(rounds[3].bytes_sent - rest)).toBeLessThanOrEqual(1);
    expect(record.metrics.downtime_ms).toBeCloseTo(ms(T(rest)), 4);
    expect(record.metrics.total_time_ms / 1e3).toBeCloseTo(40 + T(rest), 4);
    // The cut message's pages went again, so the destination has everything.
    expect(record.metrics.converged).toBe(1);
    expect(record.metrics.remaining_bytes).toBe(0);
  });
});
