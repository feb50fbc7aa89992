// A multi-hop route: a path of links between two sites through switches, crossed by one flow that
// takes a share of every link direction on its way (max-min over all of them). Headers are added
// once (the first hop's packets travel the whole way); each hop's loss resends its share, latencies
// add up. A single-link path is the link itself (world.route), never a Route.
import type { Link } from './link.js';
import type { Resource } from './network.js';
import type { BitsPerSecond, Bytes, Seconds } from './units.js';

export class Route {
  /** The link directions the route crosses, in order. */
  readonly dirs: readonly Resource[];

  /** `sites` are the route's sites in order (from first to last), `hops` the links between them. */
  constructor(
    readonly hops: readonly Link[],
    sites: readonly string[],
  ) {
    this.dirs = hops.map((l, k) => l.direction(sites[k]));
  }

  get bandwidth_bps(): BitsPerSecond {
    let b = Infinity;
    for (const l of this.hops) b = Math.min(b, l.bandwidth_bps);
    return b;
  }

  get rtt_s(): Seconds {
    let s = 0;
    for (const l of this.hops) s += l.rtt_s;
    return s;
  }

  wireBytes(payload: Bytes): Bytes {
    let w = this.hops[0].wireBytes(payload);
    for (let k = 1; k < this.hops.length; k++) if (this.hops[k].spec.loss > 0) w /= 1 - this.hops[k].spec.loss;
    return w;
  }

  sampleLatency(): Seconds {
    let s = 0;
    for (const l of this.hops) s += l.sampleLatency();
    return s;
  }

  /** The resources a flow from the first site crosses (the route ignores `from`: it has one direction). */
  resources(_from: string, via: readonly Resource[] | undefined): readonly Resource[] {
    return via === undefined || via.length === 0 ? this.dirs : [...this.dirs, ...via];
  }
}
