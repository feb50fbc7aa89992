// The network's max-min filling (sim/world/max-min.ts) marks the flows that may be bound at a level
// from their resources' side instead of testing every flow's path: it must give bit-identical rates
// to the plain progressive filling, which is written out here as the reference, on random networks
// with ties and near-ties (shares and caps that coincide up to rounding), priorities, paths that
// cross a resource twice, and flows starting and ending between reshares (slots reused).
import { describe, expect, test } from 'vitest';
import { Simulator } from '../../sim/engine/simulator.js';
import { RandomStreams, type Rng } from '../../sim/engine/random.js';
import { Flow, Network, Resource } from '../../sim/world/network.js';

interface RefFlow {
  path: number[];
  cap: number;
  priority: number;
  rate: number;
}

/** Progressive filling of one priority level over objects, as the network did before slots. */
function refFill(flows: RefFlow[], left: number[], share: number[], users: number[]): void {
  users.fill(0);
  for (const f of flows) for (const r of f.path) users[r]++;
  let open = flows.slice();
  let live = users.map((u, r) => (u > 0 ? r : -1)).filter((r) => r >= 0);
  while (open.length > 0) {
    let level = Infinity;
    for (const r of live) {
      share[r] = Math.max(0, left[r]) / users[r];
      level = Math.min(level, share[r]);
    }
    for (const f of open) if (f.cap < level) level = f.cap;
    const tol = level * 1e-12;
    const kept: RefFlow[] = [];
    for (const f of open) {
      const bound = f.cap <= level + tol || f.path.some((r) => share[r] <= level + tol);
      if (!bound) {
        kept.push(f);
        continue;
      }
      f.rate = level;
      for (const r of f.path) {
        left[r] -= level;
        users[r]--;
        share[r] = Math.max(0, left[r]) / users[r];
      }
    }
    open = kept;
    live = live.filter((r) => users[r] > 0);
  }
}

/** Strict priority levels, each filled on what the levels above left (flows in start order). */
function refRates(flows: RefFlow[], capacity: number[]): number[] {
  if (flows.length === 1) return [Math.max(0, Math.min(flows[0].cap, ...flows[0].path.map((r) => capacity[r])))];
  const left = capacity.slice();
  const share = capacity.map(() => 0);
  const users = capacity.map(() => 0);
  const levels = [...new Set(flows.map((f) => f.priority))].sort((a, b) => b - a);
  for (const p of levels) refFill(flows.filter((f) => f.priority === p), left, share, users);
  return flows.map((f) => f.rate);
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

/** Capacities that tie and nearly tie once divided among flows (thirds, sevenths of round numbers). */
function capacities(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => (pick(rng, [1, 2, 3, 4, 5, 6, 10, 40]) * 1.25e8) / pick(rng, [1, 1, 3, 7]));
}

/** `uncapped`: the share of flows with no cap. */
function randomFlow(rng: Rng, capacity: number[], priorities: number, uncapped = 0.5): RefFlow {
  const len = 1 + Math.floor(rng() * 4);
  const path = Array.from({ length: len }, () => Math.floor(rng() * capacity.length));
  const r = rng();
  // Caps: none, a round figure, or exactly a resource's fair share among k flows.
  const cap = r < uncapped ? Infinity : r < (1 + uncapped) / 2 ? pick(rng, [1, 2.5, 5]) * 1.25e8 : capacity[pick(rng, path)] / pick(rng, [2, 3, 5, 7]);
  return { path, cap, priority: Math.floor(rng() * priorities), rate: 0 };
}

/** The network under test, over the same resources: start, cancel, reshare at t = 0. */
class Harness {
  readonly sim = new Simulator();
  readonly network = new Network(this.sim);
  readonly resources: Resource[];
  readonly flows: Array<{ ref: RefFlow; flow: Flow }> = [];
  constructor(readonly capacity: number[]) {
    this.resources = capacity.map((c, k) => new Resource(`r${k}`, c));
  }

  start(ref: RefFlow): void {
    const flow = new Flow(1e30, ref.path.map((r) => this.resources[r]), ref.cap, () => {}, ref.priority);
    this.flows.push({ ref, flow });
    this.network.start(flow);
  }

  /** A resource's capacity changes (a link's bandwidth step). */
  setCapacity(r: number, capacity: number): void {
    this.capacity[r] = capacity;
    this.network.setCapacity(this.resources[r], capacity);
  }

  cancel(k: number): void {
    this.network.cancel(this.flows[k].flow);
    this.flows.splice(k, 1);
  }

  /** Rates after the reshare, and the reference's for the same flows in the same order. */
  rates(): { got: number[]; want: number[] } {
    this.sim.run({ until: 0 });
    return { got: this.flows.map((f) => f.flow.rate), want: refRates(this.flows.map((f) => f.ref), this.capacity) };
  }
}

function identical(got: number[], want: number[]): boolean {
  return got.length === want.length && got.every((x, i) => Object.is(x, want[i]));
}

describe('max-min filling by marked flows', () => {
  // Dense: a few resources, each crossed by many flows, half of them uncapped. Sparse: many
  // resources with one or two flows each, most flows capped (where resources are set aside).
  test.each([
    [1, 'dense'],
    [2, 'dense'],
    [3, 'dense'],
    [1, 'sparse'],
    [2, 'sparse'],
  ] as const)('bit-identical rates to the plain filling, %i priority level(s), %s, flows starting and ending, capacities changing', (priorities, kind) => {
    const streams = new RandomStreams(`max-min-${priorities}-${kind}`);
    const [resources, flows, more, uncapped] = kind === 'dense' ? [3, 20, 40, 0.5] : [15, 4, 10, 0.15];
    let reshares = 0;
    for (let net = 0; net < 60; net++) {
      const rng = streams.stream(`net-${net}`);
      const h = new Harness(capacities(rng, resources + Math.floor(rng() * 10)));
      const flow = (): RefFlow => randomFlow(rng, h.capacity, priorities, uncapped);
      for (let k = 0; k < flows + Math.floor(rng() * more); k++) h.start(flow());
      for (let round = 0; round < 8; round++) {
        const { got, want } = h.rates();
        expect(identical(got, want), `network ${net} round ${round}: ${got} vs ${want}`).toBe(true);
        reshares++;
        // Some flows end (anywhere in start order), new ones start after them.
        for (let k = Math.floor(rng() * 6); k > 0 && h.flows.length > 1; k--) h.cancel(Math.floor(rng() * h.flows.length));
        for (let k = Math.floor(rng() * 6); k > 0; k--) h.start(flow());
        if (rng() < 0.3) h.setCapacity(Math.floor(rng() * h.capacity.length), capacities(rng, 1)[0]);
      }
    }
    expect(reshares).toBe(480);
  });

  test('the marked filling gives max-min rates: capped flows first, then each bottleneck in turn', () => {
    const h = new Harness([1e9, 3e8, 3e8]);
    // Flows 0, 2, 4, 6, 8 cross r1, flows 1, 3, 5, 7 cross r2, all cross r0; flows 0-2 capped at 2e7.
    for (let k = 0; k < 9; k++) h.start({ path: [0, 1 + (k % 2)], cap: k < 3 ? 2e7 : Infinity, priority: 0, rate: 0 });
    const { got, want } = h.rates();
    expect(identical(got, want)).toBe(true);
    expect(got.slice(0, 3)).toEqual([2e7, 2e7, 2e7]);
    expect(got[4]).toBeCloseTo(2.6e8 / 3, 3);
    expect(got[3]).toBeCloseTo(2.8e8 / 3, 3);
  });
});
