// Pages (memory) or chunks (disk) as flat typed arrays, never an object per page: a 16 GiB VM has
// 4 Mi pages and must fit in a few tens of MB. Each unit has a content id, a compressibility class,
// a dirty bit, and a presence bit per site.
//
// Content ids: 0 is the zero page; ids below UNIQUE_BASE name units of a base image (so two VMs,
// or a VM and a DVD, that share an id share content); ids from UNIQUE_BASE up are content written
// by this VM that no base image holds.
import type { Bytes } from './units.js';

export const ZERO_CONTENT = 0;
export const UNIQUE_BASE = 0x8000_0000;

/** A list of unit indices. */
export type UnitList = Uint32Array;

export interface ContentClass {
  name: string;
  /** Compressed size over original size, in (0, 1]. */
  compress_ratio: number;
}

export class PageStore {
  readonly content: Uint32Array;
  readonly klass: Uint8Array;
  readonly dirty: Uint8Array;
  private readonly dirtyList: Uint32Array;
  private dirtyLen = 0;
  private readonly presence = new Map<string, Uint8Array>();
  private readonly presentCount = new Map<string, number>();
  private nextUnique = UNIQUE_BASE;

  constructor(
    readonly name: string,
    readonly count: number,
    readonly unitBytes: Bytes,
    readonly classes: readonly ContentClass[] = [{ name: 'default', compress_ratio: 1 }],
  ) {
    this.content = new Uint32Array(count);
    this.klass = new Uint8Array(count);
    this.dirty = new Uint8Array(count);
    this.dirtyList = new Uint32Array(count);
  }

  get bytes(): Bytes {
    return this.count * this.unitBytes;
  }

  get dirtyCount(): number {
    return this.dirtyLen;
  }

  /** A write: the unit gets content nobody else has, and is dirty until the next takeDirty(). */
  write(i: number): void {
    this.content[i] = this.nextUnique++;
    if (this.dirty[i] === 0) {
      this.dirty[i] = 1;
      this.dirtyList[this.dirtyLen++] = i;
    }
  }

  /** Units written since the last call (in first-write order), and clear the dirty set. */
  takeDirty(): UnitList {
    const out = this.dirtyList.slice(0, this.dirtyLen);
    for (let k = 0; k < this.dirtyLen; k++) this.dirty[this.dirtyList[k]] = 0;
    this.dirtyLen = 0;
    return out;
  }

  /** Presence bitmap of this store at a site (created empty on first use). */
  presentAt(site: string): Uint8Array {
    let p = this.presence.get(site);
    if (p === undefined) {
      p = new Uint8Array(this.count);
      this.presence.set(site, p);
      this.presentCount.set(site, 0);
    }
    return p;
  }

  isPresent(site: string, i: number): boolean {
    return this.presentAt(site)[i] === 1;
  }

  setPresent(site: string, i: number, present = true): void {
    const p = this.presentAt(site);
    const v = present ? 1 : 0;
    if (p[i] !== v) {
      p[i] = v;
      this.presentCount.set(site, (this.presentCount.get(site) ?? 0) + (present ? 1 : -1));
    }
  }

  /** Mark every unit present (or absent) at a site. */
  fill(site: string, present = true): void {
    this.presentAt(site).fill(present ? 1 : 0);
    this.presentCount.set(site, present ? this.count : 0);
  }

  countPresent(site: string): number {
    this.presentAt(site);
    return this.presentCount.get(site) ?? 0;
  }

  /** Bytes after compression of the listed units (all units when omitted). */
  compressedBytes(units?: UnitList): Bytes {
    const ratio = this.classes.map((c) => c.compress_ratio);
    let sum = 0;
    if (units === undefined) for (let i = 0; i < this.count; i++) sum += ratio[this.klass[i]];
    else for (let k = 0; k < units.length; k++) sum += ratio[this.klass[units[k]]];
    return sum * this.unitBytes;
  }

  /** Every unit index, 0..count-1. */
  all(): UnitList {
    const out = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = i;
    return out;
  }
}
