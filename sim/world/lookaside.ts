// Lookaside devices: content-addressed sources consulted before the network (a USB dongle the user
// carries, a read-only DVD, a LAN "jukebox"). A device answers whether it holds a content id and
// how long a read takes; the caller verifies what it reads by hash (host CPU time).
import type { Bytes, BytesPerSecond, Seconds } from './units.js';
import { ModelError, messages } from '../errors.js';

export type DeviceKind = 'dongle' | 'dvd' | 'jukebox';

export interface DeviceSpec {
  name: string;
  kind: DeviceKind;
  read_Bps: BytesPerSecond;
  /** Write throughput, for writable devices (a dongle written at suspend); 0 when read-only. */
  write_Bps: BytesPerSecond;
  /** Fixed cost per read (seek, USB or LAN request). */
  access_s: Seconds;
}

export class LookasideDevice {
  /** Content ids held, as a set (ids are sparse: base-image ids and unique ids share one space). */
  private readonly content = new Set<number>();

  constructor(readonly spec: DeviceSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get size(): number {
    return this.content.size + this.ranges.reduce((s, [lo, hi]) => s + hi - lo, 0);
  }

  /** Ranges of ids held [first, first + count): a whole base image is one range. */
  private readonly ranges: Array<[number, number]> = [];

  add(contentId: number): void {
    this.content.add(contentId);
  }

  addRange(first: number, count: number): void {
    this.ranges.push([first, first + count]);
  }

  holds(contentId: number): boolean {
    for (const [lo, hi] of this.ranges) if (contentId >= lo && contentId < hi) return true;
    return this.content.has(contentId);
  }

  readSeconds(bytes: Bytes): Seconds {
    return this.spec.access_s + bytes / this.spec.read_Bps;
  }

  writeSeconds(bytes: Bytes): Seconds {
    if (!(this.spec.write_Bps > 0)) throw new ModelError(messages.readOnlyDevice(this.name));
    return this.spec.access_s + bytes / this.spec.write_Bps;
  }
}
