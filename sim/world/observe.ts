// Everything the world reports, as one typed union and one emitter. The recorder derives metrics
// from these; policies never report their own numbers. Emitting is skipped when nobody listens.
import type { Seconds, Bytes } from './units.js';

export type WorldEvent =
  | { type: 'transfer-start'; t: Seconds; id: number; tag: string; from: string; to: string; bytes: Bytes; wire_bytes: Bytes }
  | { type: 'transfer-end'; t: Seconds; id: number; tag: string; from: string; to: string; bytes: Bytes; wire_bytes: Bytes; cancelled: boolean }
  | { type: 'vm-state'; t: Seconds; vm: string; from: string; to: string; site: string }
  | { type: 'fault'; t: Seconds; vm: string; store: string; unit: number; source: string }
  | { type: 'fault-served'; t: Seconds; vm: string; store: string; unit: number; waited_s: Seconds }
  | { type: 'pages'; t: Seconds; vm: string; transfer: number; pages: number; zero: number; normal: number; xbzrle: number; xbzrle_bytes: Bytes; cache_miss: number; overflow: number; bytes: Bytes }
  | { type: 'dirty-sync'; t: Seconds; vm: string; pages: number; new_pages: number }
  | { type: 'throttle'; t: Seconds; vm: string; fraction: number }
  | PipelineEvent
  | { type: 'lookaside-hit'; t: Seconds; vm: string; device: string; bytes: Bytes }
  | { type: 'cpu'; t: Seconds; host: string; op: string; bytes: Bytes; seconds: Seconds }
  | { type: 'mark'; t: Seconds; name: string; value?: number };

/** One batch of blocks through the handoff pipeline: bytes before and after each stage. */
export interface PipelineEvent {
  type: 'pipeline';
  t: Seconds;
  vm: string;
  store: string;
  mode: string;
  blocks: number;
  input_bytes: Bytes;
  zero: number;
  base_memory: number;
  base_disk: number;
  self: number;
  dedup_bytes: Bytes;
  delta_bytes: Bytes;
  output_bytes: Bytes;
  cpu_s: Seconds;
}

export type Listener = (e: WorldEvent) => void;

export type EventType = WorldEvent['type'];

export class Observer {
  private listeners: Array<{ fn: Listener; types: ReadonlySet<string> | null }> = [];
  private wanted = new Set<string>();
  private everything = false;
  /** Check before building an event object, so a run nobody watches allocates nothing. */
  active = false;

  /** Listen to every event, or only to the given types. */
  on(fn: Listener, types?: readonly EventType[]): () => void {
    const entry = { fn, types: types === undefined ? null : new Set<string>(types) };
    this.listeners.push(entry);
    this.refresh();
    return () => {
      this.listeners = this.listeners.filter((l) => l !== entry);
      this.refresh();
    };
  }

  /** Whether anyone listens to `type` (for the hottest events: one per transfer start). */
  wants(type: EventType): boolean {
    return this.everything || this.wanted.has(type);
  }

  emit(e: WorldEvent): void {
    for (const l of this.listeners) if (l.types === null || l.types.has(e.type)) l.fn(e);
  }

  private refresh(): void {
    this.active = this.listeners.length > 0;
    this.everything = this.listeners.some((l) => l.types === null);
    this.wanted = new Set(this.listeners.flatMap((l) => (l.types === null ? [] : [...l.types])));
  }
}
