// Everything the world reports, as one typed union and one emitter. The recorder derives metrics
// from these; policies never report their own numbers. Emitting is skipped when nobody listens.
import type { Seconds, Bytes } from './units.js';

export type WorldEvent =
  | { type: 'transfer-start'; t: Seconds; id: number; tag: string; from: string; to: string; bytes: Bytes; wire_bytes: Bytes }
  | { type: 'transfer-end'; t: Seconds; id: number; tag: string; from: string; to: string; bytes: Bytes; wire_bytes: Bytes; cancelled: boolean }
  | { type: 'vm-state'; t: Seconds; vm: string; from: string; to: string; site: string }
  | { type: 'fault'; t: Seconds; vm: string; store: string; unit: number; source: string }
  | { type: 'lookaside-hit'; t: Seconds; vm: string; device: string; bytes: Bytes }
  | { type: 'cpu'; t: Seconds; host: string; op: string; bytes: Bytes; seconds: Seconds }
  | { type: 'mark'; t: Seconds; name: string; value?: number };

export type Listener = (e: WorldEvent) => void;

export class Observer {
  private listeners: Listener[] = [];
  /** Check before building an event object, so a run nobody watches allocates nothing. */
  active = false;

  on(fn: Listener): () => void {
    this.listeners.push(fn);
    this.active = true;
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
      this.active = this.listeners.length > 0;
    };
  }

  emit(e: WorldEvent): void {
    for (const l of this.listeners) l(e);
  }
}
