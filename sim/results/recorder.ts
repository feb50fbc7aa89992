// Derives measurements from world events, so every number in a record was observed in the world,
// not reported by a policy about itself. Drivers add the metrics of their own kind on top.
import type { EventType, Observer, PipelineEvent, WorldEvent } from '../world/observe.js';
import type { TraceEvent } from './record.js';

export type Phase = 'precopy' | 'downtime' | 'postcopy';

/** A send of memory pages (or handoff blocks): when, how many, wire bytes. */
export interface PageSendRecord {
  t: number;
  /** The round (count of 'round' marks so far) the send happened in. */
  round: number;
  pages: number;
  bytes: number;
}

const ALL_TYPES: readonly EventType[] = [
  'transfer-start', 'transfer-end', 'vm-state', 'fault', 'fault-served', 'pages', 'dirty-sync', 'throttle', 'pipeline', 'lookaside-hit', 'cpu', 'mark',
];

export class Recorder {
  /** Payload bytes of completed transfers, by tag. */
  readonly bytesByTag = new Map<string, number>();
  /** Completed transfers, by tag. */
  readonly countByTag = new Map<string, number>();
  payloadBytes = 0;
  wireBytes = 0;
  transfers = 0;
  /** Every VM state change, in order. */
  readonly states: Array<{ t: number; vm: string; from: string; to: string; site: string }> = [];
  /** Named moments, with the migrating VM's phase when they happened. */
  readonly marks: Array<{ t: number; name: string; value?: number; phase?: Phase }> = [];
  /** 'round' marks seen so far: sends and syncs are counted into the round they happened in. */
  round = 0;
  faults = 0;
  faultsServed = 0;
  blocktime = 0;
  readonly lookasideHits = new Map<string, number>();
  /** Page counters over all sends (query-migrate's ram and xbzrle-cache fields). */
  readonly pageTotals = { pages: 0, zero: 0, normal: 0, xbzrle: 0, xbzrle_bytes: 0, cache_miss: 0, overflow: 0 };
  readonly pageSends: PageSendRecord[] = [];
  /** Every dirty-bitmap sync: pages found dirty, and how many of them were not already waiting to be sent. */
  readonly dirtySyncs: Array<{ t: number; round: number; pages: number; new_pages: number }> = [];
  /** Every CPU throttle setting, in order (a 0% one when auto-converge is switched on). */
  readonly throttles: Array<{ t: number; fraction: number }> = [];
  readonly pipeline: Array<PipelineEvent & { round: number }> = [];
  /**
   * Payload bytes of the memory stream leaving the migration source, by the phase the migrating VM
   * was in when they left: page headers and pages, not the CPU and device state (QEMU's ram counters).
   */
  readonly phaseBytes: Record<Phase, number> = { precopy: 0, downtime: 0, postcopy: 0 };
  private readonly phaseOf = new Map<number, Phase>();
  private watched: { vm: string; from: string; state: string; site: string } | null = null;
  private stop: () => void;

  constructor(private readonly observe: Observer, private readonly trace?: (e: TraceEvent) => void) {
    this.stop = this.listen(false);
  }

  // Transfer starts are the most frequent event and matter only for phase attribution or a trace,
  // so without those the world need not build them at all.
  private listen(starts: boolean): () => void {
    const see = (e: WorldEvent): void => this.see(e);
    if (this.trace !== undefined || starts) return this.observe.on(see);
    return this.observe.on(see, ALL_TYPES.filter((t) => t !== 'transfer-start'));
  }

  detach(): void {
    this.stop();
  }

  /** Attribute bytes leaving `from` to the phase `vm` is in (running there, stopped, running elsewhere). */
  watchPhases(vm: string, from: string): void {
    this.watched = { vm, from, state: 'created', site: from };
    this.stop();
    this.stop = this.listen(true);
  }

  /** Time `vm` first entered `state` (NaN if never). */
  firstTime(vm: string, state: string): number {
    const s = this.states.find((x) => x.vm === vm && x.to === state);
    return s === undefined ? NaN : s.t;
  }

  /** Seconds `vm` spent not running between its first start and its last state change. */
  downtime(vm: string): number {
    let down = 0;
    let stoppedAt = NaN;
    for (const s of this.states) {
      if (s.vm !== vm) continue;
      if (s.from === 'running' && s.to !== 'running') stoppedAt = s.t;
      else if (s.to === 'running' && !Number.isNaN(stoppedAt)) {
        down += s.t - stoppedAt;
        stoppedAt = NaN;
      }
    }
    return down;
  }

  markTime(name: string): number {
    const m = this.marks.find((x) => x.name === name);
    return m === undefined ? NaN : m.t;
  }

  /** Value of the last mark of this name (NaN if none). */
  lastMarkValue(name: string): number {
    for (let k = this.marks.length - 1; k >= 0; k--) if (this.marks[k].name === name) return this.marks[k].value ?? NaN;
    return NaN;
  }

  private phase(): Phase {
    const w = this.watched!;
    if (w.state === 'running' || w.state === 'created') return w.site === w.from ? 'precopy' : 'postcopy';
    return 'downtime';
  }

  private see(e: WorldEvent): void {
    this.trace?.(e as TraceEvent);
    switch (e.type) {
      case 'transfer-start':
        if (this.watched !== null && e.from === this.watched.from) this.phaseOf.set(e.id, this.phase());
        return;
      case 'transfer-end': {
        const phase = this.phaseOf.get(e.id);
        this.phaseOf.delete(e.id);
        if (e.cancelled) return;
        this.transfers++;
        this.payloadBytes += e.bytes;
        this.wireBytes += e.wire_bytes;
        this.bytesByTag.set(e.tag, (this.bytesByTag.get(e.tag) ?? 0) + e.bytes);
        this.countByTag.set(e.tag, (this.countByTag.get(e.tag) ?? 0) + 1);
        if (phase !== undefined && e.tag !== 'device-state') this.phaseBytes[phase] += e.bytes;
        return;
      }
      case 'vm-state':
        this.states.push({ t: e.t, vm: e.vm, from: e.from, to: e.to, site: e.site });
        if (this.watched !== null && e.vm === this.watched.vm) {
          this.watched.state = e.to;
          this.watched.site = e.site;
        }
        return;
      case 'mark':
        if (e.name === 'round') this.round++;
        this.marks.push({ t: e.t, name: e.name, value: e.value, phase: this.watched === null ? undefined : this.phase() });
        return;
      case 'fault':
        this.faults++;
        return;
      case 'fault-served':
        this.faultsServed++;
        this.blocktime += e.waited_s;
        return;
      case 'pages': {
        const p = this.pageTotals;
        p.pages += e.pages;
        p.zero += e.zero;
        p.normal += e.normal;
        p.xbzrle += e.xbzrle;
        p.xbzrle_bytes += e.xbzrle_bytes;
        p.cache_miss += e.cache_miss;
        p.overflow += e.overflow;
        this.pageSends.push({ t: e.t, round: this.round, pages: e.pages, bytes: e.bytes });
        return;
      }
      case 'dirty-sync':
        this.dirtySyncs.push({ t: e.t, round: this.round, pages: e.pages, new_pages: e.new_pages });
        return;
      case 'throttle':
        this.throttles.push({ t: e.t, fraction: e.fraction });
        return;
      case 'pipeline':
        this.pipeline.push({ ...e, round: this.round });
        return;
      case 'lookaside-hit':
        this.lookasideHits.set(e.device, (this.lookasideHits.get(e.device) ?? 0) + 1);
        return;
      default:
        return;
    }
  }
}
