// A NISTNet/netem-style link between two sites: bandwidth (optionally changing over time), one-way
// latency, jitter, random loss and per-packet header overhead. Each direction is its own resource
// (full duplex), shared max-min fairly by the flows that cross it.
import type { Rng } from '../engine/index.js';
import { Resource } from './network.js';
import type { BitsPerSecond, Bytes, Seconds } from './units.js';
import { ModelError, messages } from '../errors.js';

export interface BandwidthStep {
  at_s: Seconds;
  bandwidth_bps: BitsPerSecond;
}

export interface LinkSpec {
  name: string;
  /** The two sites (host names) the link joins. */
  a: string;
  b: string;
  bandwidth_bps: BitsPerSecond;
  latency_s: Seconds;
  /** Each transfer's latency is drawn uniformly from latency ± jitter (never below zero). */
  jitter_s: Seconds;
  /** Packet loss probability; lost packets are sent again, so wire bytes grow by 1/(1-loss). */
  loss: number;
  /** Header bytes added to every packet of `mss_bytes` payload. */
  packet_overhead_bytes: Bytes;
  mss_bytes: Bytes;
  /** Piecewise-constant bandwidth: from at_s on, the link runs at bandwidth_bps. */
  schedule: BandwidthStep[];
}

export const LINK_DEFAULTS = {
  jitter_s: 0,
  loss: 0,
  packet_overhead_bytes: 0,
  // Ethernet MTU 1500 less 40 bytes of IPv4 and TCP headers.
  mss_bytes: 1460,
} as const;

export class Link {
  readonly ab: Resource;
  readonly ba: Resource;
  bandwidth_bps: BitsPerSecond;

  constructor(
    readonly spec: LinkSpec,
    private readonly rng: Rng,
  ) {
    this.bandwidth_bps = spec.bandwidth_bps;
    this.ab = new Resource(`${spec.name}:${spec.a}->${spec.b}`, spec.bandwidth_bps / 8);
    this.ba = new Resource(`${spec.name}:${spec.b}->${spec.a}`, spec.bandwidth_bps / 8);
  }

  get name(): string {
    return this.spec.name;
  }

  joins(x: string, y: string): boolean {
    const { a, b } = this.spec;
    return (a === x && b === y) || (a === y && b === x);
  }

  /** The resource carrying data from `from` to the other end. */
  direction(from: string): Resource {
    if (from === this.spec.a) return this.ab;
    if (from === this.spec.b) return this.ba;
    throw new ModelError(messages.linkMissesSite(this.name, from));
  }

  /** The resources a flow from `from` crosses: this link's direction, then `via`. */
  resources(from: string, via: readonly Resource[] | undefined): readonly Resource[] {
    return this.direction(from).path(via);
  }

  /** Bytes that cross the wire to deliver `payload`: headers, then retransmissions of lost packets. */
  wireBytes(payload: Bytes): Bytes {
    const { packet_overhead_bytes: h, mss_bytes: mss, loss } = this.spec;
    const withHeaders = h > 0 ? payload + Math.ceil(payload / mss) * h : payload;
    return loss > 0 ? withHeaders / (1 - loss) : withHeaders;
  }

  /** One-way latency for one transfer (draws from the link's stream only when jitter is set). */
  sampleLatency(): Seconds {
    const { latency_s, jitter_s } = this.spec;
    if (jitter_s <= 0) return latency_s;
    return Math.max(0, latency_s + (2 * this.rng() - 1) * jitter_s);
  }

  get rtt_s(): Seconds {
    return 2 * this.spec.latency_s;
  }
}
