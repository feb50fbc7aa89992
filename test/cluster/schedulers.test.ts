// The schedulers' orders and limits, on migrations whose durations are known: stop-and-copy of VMs of
// different sizes over one link (each W / B + L alone), so the order shows in the start times.
import { describe, expect, it } from 'vitest';
import { runText } from './helpers.js';

const scenario = (policy: string, extra = '') => `kind: cluster
name: t
policy: ${policy}
migration: { policy: stop-and-copy }
hosts:
  - { name: a, memory: 1TiB }
  - { name: b, memory: 1TiB }
  - { name: c, memory: 1TiB }
links:
  - { a: a, b: b, bandwidth: 1Gbit/s, latency: 1ms }
  - { a: b, b: c, bandwidth: 1Gbit/s, latency: 1ms }
vms:
  - { name: small, memory: 8MiB, place: { host: a }, working_set: [{ name: w, size: 1MiB, rate: 900 pages/s }] }
  - { name: big, memory: 32MiB, place: { host: a }, working_set: [{ name: w, size: 1MiB, rate: 100 pages/s }] }
  - { name: mid, memory: 16MiB, place: { host: c }, working_set: [{ name: w, size: 1MiB, rate: 500 pages/s }] }
${extra}
operation:
  migrations: [{ vm: mid, to: a }, { vm: small, to: b }, { vm: big, to: b }]
`;

const startOrder = (policy: string, sets: string[] = [], extra = ''): string[] =>
  runText(scenario(policy, extra), sets)
    .tables!.migrations.slice()
    .sort((x, y) => (x.start_s as number) - (y.start_s as number) || (x.vm < y.vm ? -1 : 1))
    .map((r) => r.vm as string);

describe('cluster schedulers: orders', () => {
  it('as-given, smallest-first, largest-first, least-dirty-first', () => {
    expect(startOrder('sequential')).toEqual(['mid', 'small', 'big']);
    expect(startOrder('sequential', ['options.order=smallest-first'])).toEqual(['small', 'mid', 'big']);
    expect(startOrder('sequential', ['options.order=largest-first'])).toEqual(['big', 'mid', 'small']);
    expect(startOrder('sequential', ['options.order=least-dirty-first'])).toEqual(['big', 'mid', 'small']);
  });

  it('most-loaded-link-first: the migrations over a->b (40 MiB in all) before the one over c->b->a (16 MiB)', () => {
    // small and big cross a->b; mid crosses c->b and b->a (other directions), carrying only itself.
    expect(startOrder('sequential', ['options.order=most-loaded-link-first'])).toEqual(['small', 'big', 'mid']);
  });
});

describe('cluster schedulers: limits', () => {
  it('concurrent keeps to max_per_link on a link direction, and runs migrations on other directions beside', () => {
    const rows = runText(scenario('concurrent'), ['options.max_per_host=3', 'options.max_per_link=1']).tables!.migrations;
    const at = Object.fromEntries(rows.map((r) => [r.vm, r]));
    // small and big share a->b: one after the other; mid (c->b->a) runs beside small.
    expect(at.small.start_s).toBe(0);
    expect(at.mid.start_s).toBe(0);
    expect(at.big.start_s as number).toBeCloseTo(at.small.end_s as number, 12);
  });

  it('all-at-once starts everything at once', () => {
    const rows = runText(scenario('all-at-once')).tables!.migrations;
    expect(rows.map((r) => r.start_s)).toEqual([0, 0, 0]);
  });

  it('a background trace changes what the migrations get when it steps', () => {
    const trace = (at: string) => `background:\n  - { from: a, to: b, trace: [{ at: 0s, rate: 0bit/s }, { at: ${at}, rate: 1Gbit/s }] }`;
    const quiet = runText(scenario('sequential')).metrics;
    // Stepping up after the operation ended: nothing offered meanwhile, nothing lost, nothing slower.
    const late = runText(scenario('sequential', trace('10s'))).metrics;
    expect(late.makespan_s).toBeCloseTo(quiet.makespan_s, 12);
    expect(late.background_lost_bytes).toBe(0);
    // Stepping up at 0.3 s (big, over a->b, runs from about 0.2 s to 0.47 s): big gets half the link from then on.
    const early = runText(scenario('sequential', trace('0.3s'))).tables!.migrations;
    const calm = runText(scenario('sequential')).tables!.migrations;
    const big = (rows: typeof calm) => rows.find((r) => r.vm === 'big')!;
    const W = (32 * 2 ** 20 / 4096) * 4104;
    const B = 1e9 / 8;
    const start = big(early).start_s as number;
    // Alone until 0.3 s, then at B/2: the rest of its bytes take twice as long.
    expect(big(early).end_s as number).toBeCloseTo(0.3 + (2 * (W - (0.3 - start) * B)) / B + 0.001, 9);
    expect(big(calm).end_s as number).toBeCloseTo(start + W / B + 0.001, 9);
    expect(runText(scenario('sequential', trace('0.3s'))).metrics.background_lost_bytes).toBeGreaterThan(0);
  });
});
