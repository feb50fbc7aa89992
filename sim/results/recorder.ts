// Derives measurements from world events, so every number in a record was observed in the world,
// not reported by a policy about itself. Drivers add the metrics of their own kind on top.
import type { Observer, WorldEvent } from '../world/observe.js';
import type { TraceEvent } from './record.js';

export class Recorder {
  /** Payload bytes of completed transfers, by tag. */
  readonly bytesByTag = new Map<string, number>();
  payloadBytes = 0;
  wireBytes = 0;
  transfers = 0;
  /** Every VM state change, in order. */
  readonly states: Array<{ t: number; vm: string; from: string; to: string }> = [];
  readonly marks: Array<{ t: number; name: string; value?: number }> = [];
  faults = 0;
  readonly lookasideHits = new Map<string, number>();
  private readonly stop: () => void;

  constructor(observe: Observer, private readonly trace?: (e: TraceEvent) => void) {
    this.stop = observe.on((e) => this.see(e));
  }

  detach(): void {
    this.stop();
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

  private see(e: WorldEvent): void {
    this.trace?.(e as TraceEvent);
    switch (e.type) {
      case 'transfer-end':
        if (e.cancelled) return;
        this.transfers++;
        this.payloadBytes += e.bytes;
        this.wireBytes += e.wire_bytes;
        this.bytesByTag.set(e.tag, (this.bytesByTag.get(e.tag) ?? 0) + e.bytes);
        return;
      case 'vm-state':
        this.states.push({ t: e.t, vm: e.vm, from: e.from, to: e.to });
        return;
      case 'mark':
        this.marks.push({ t: e.t, name: e.name, value: e.value });
        return;
      case 'fault':
        this.faults++;
        return;
      case 'lookaside-hit':
        this.lookasideHits.set(e.device, (this.lookasideHits.get(e.device) ?? 0) + 1);
        return;
      default:
        return;
    }
  }
}
