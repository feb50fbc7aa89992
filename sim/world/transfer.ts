// A transfer: `bytes` of payload from one site to another over a link. The payload (plus headers
// and retransmissions) drains through the link direction and any extra resources at the fair-share
// rate; the last byte arrives one latency after it left. So one lone transfer takes
// wire_bytes * 8 / bandwidth + latency.
import { Event, type Simulator } from '../engine/index.js';
import { Flow, type Network, type Resource } from './network.js';
import type { Link } from './link.js';
import type { Route } from './route.js';
import type { Observer } from './observe.js';
import type { Bytes, BitsPerSecond, Seconds } from './units.js';
import { withRetransmissions, type WindowProtocol } from './protocol.js';

export interface SendOptions {
  /** Label carried into world events and traces (e.g. "memory-image", "chunk"). */
  tag?: string;
  /** Upper bound on this transfer's rate (a server or application limit). */
  cap_bps?: BitsPerSecond;
  /** A window-limited protocol sends at most a window per round trip: cap = window / RTT. */
  window_bytes?: Bytes;
  /** Further resources the data crosses (a storage server's throughput limit). */
  via?: readonly Resource[];
  /** A window protocol whose spurious retransmissions add wire bytes on a slow bottleneck. */
  protocol?: WindowProtocol;
  /** Strict priority on shared resources: higher is served first (default 0). */
  priority?: number;
}

let nextId = 1;

export class Transfer {
  readonly id = nextId++;
  readonly done: Event<Transfer>;
  private drainedEvent: Event<Transfer> | null = null;
  readonly startedAt: Seconds;
  drainedAt: Seconds = NaN;
  doneAt: Seconds = NaN;
  readonly wireBytes: Bytes;
  readonly latency_s: Seconds;
  readonly tag: string;
  private readonly flow: Flow | null;
  cancelled = false;

  constructor(
    private readonly sim: Simulator,
    private readonly network: Network,
    private readonly observe: Observer,
    readonly link: Link | Route | null,
    readonly from: string,
    readonly to: string,
    readonly bytes: Bytes,
    opts: SendOptions = {},
    /** A pending event to use as `done` (lets a caller hand it out before the transfer starts). */
    done?: Event<Transfer>,
  ) {
    this.done = done ?? new Event<Transfer>(sim);
    this.startedAt = sim.now;
    this.tag = opts.tag ?? 'data';
    if (link === null) {
      // Same site: nothing crosses a network.
      this.wireBytes = 0;
      this.latency_s = 0;
      this.flow = null;
      this.emitStart();
      this.drainedAt = sim.now;
      this.finish(0);
      return;
    }
    this.wireBytes = withRetransmissions(link.wireBytes(bytes), opts.protocol, link.bandwidth_bps, link.rtt_s);
    this.latency_s = link.sampleLatency();
    let cap = opts.cap_bps !== undefined ? opts.cap_bps / 8 : Infinity;
    if (opts.window_bytes !== undefined && link.rtt_s > 0) cap = Math.min(cap, opts.window_bytes / link.rtt_s);
    const resources = link.resources(from, opts.via);
    this.flow = new Flow(this.wireBytes, resources, cap, Transfer.onFlowDrained, opts.priority ?? 0, this);
    this.emitStart();
    network.start(this.flow);
  }

  /** The last byte has left the sender (shared by all transfers: the flow names its owner). */
  private static onFlowDrained(f: Flow): void {
    const t = f.owner as Transfer;
    t.drainedAt = t.sim.now;
    t.drainedEvent?.succeed(t);
    t.finish(t.latency_s);
  }

  /** Reports a transfer's end when its `done` is processed (its value is the transfer). */
  private static emitEnd(e: Event<Transfer>): void {
    const t = e.value as Transfer;
    t.observe.emit({ type: 'transfer-end', t: t.sim.now, id: t.id, tag: t.tag, from: t.from, to: t.to, bytes: t.bytes, wire_bytes: t.wireBytes, cancelled: false });
  }

  /**
   * Succeeds when the last byte has left the sender (a streaming sender may go on with the next
   * chunk); created on first use, so transfers nobody streams behind cost no extra event.
   */
  get drained(): Event<Transfer> {
    if (this.drainedEvent === null) {
      this.drainedEvent = new Event<Transfer>(this.sim);
      if (!Number.isNaN(this.drainedAt)) this.drainedEvent.succeed(this);
    }
    return this.drainedEvent;
  }

  /** Bytes still to leave the sender (as of the last rate change). */
  get remainingBytes(): Bytes {
    return this.flow === null ? 0 : (this.flow.remaining / Math.max(this.wireBytes, 1e-300)) * this.bytes;
  }

  /** Current rate in bit/s. */
  get rate_bps(): BitsPerSecond {
    return this.flow === null ? 0 : this.flow.rate * 8;
  }

  /** Stop sending; `done` (and `drained`, if still pending) never fire. */
  cancel(): void {
    if (this.cancelled || this.done.state !== 'pending') return;
    this.cancelled = true;
    if (this.flow !== null) this.network.cancel(this.flow);
    if (this.observe.active) {
      this.observe.emit({ type: 'transfer-end', t: this.sim.now, id: this.id, tag: this.tag, from: this.from, to: this.to, bytes: this.bytes, wire_bytes: this.wireBytes, cancelled: true });
    }
  }

  /** The last byte arrives `after` seconds from now; `done` is processed then. */
  private finish(after: Seconds): void {
    if (this.cancelled) return;
    this.doneAt = this.sim.now + after;
    this.done.succeedAfter(after, this);
    if (this.observe.active) {
      // Reported when the last byte arrives, so traces stay in time order.
      this.done.thenFirst(Transfer.emitEnd);
    }
  }

  private emitStart(): void {
    if (this.observe.wants('transfer-start')) {
      this.observe.emit({ type: 'transfer-start', t: this.sim.now, id: this.id, tag: this.tag, from: this.from, to: this.to, bytes: this.bytes, wire_bytes: this.wireBytes });
    }
  }
}
