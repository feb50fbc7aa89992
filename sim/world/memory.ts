// Pages (memory) or chunks (disk) as flat typed arrays, never an object per page: a 16 GiB VM has
// 4 Mi pages and must fit in a few tens of MB. Each unit has a content id, a compressibility class,
// a dirty bit, and a presence bit per site.
//
// Content ids say what a unit holds, so two units (or a unit and a base image) with the same id hold
// the same bytes:
//   0                              the zero page
//   [1, BASE_DISK_BASE)            page i of the base memory image has id 1 + i
//   [BASE_DISK_BASE, UNIQUE_BASE)  block j of the base disk image has id BASE_DISK_BASE + j
//   [UNIQUE_BASE, 2^32)            content this VM wrote, which no base image holds
// Unique ids come from a ContentIds allocator shared by a VM's memory and disk, so a fresh write never
// collides with content that already exists. After 2^31 fresh ids the allocator wraps within the
// unique range and an old id may come back; only dedup (handoff) could then see a false duplicate,
// in runs that dirty over two billion pages.
import type { Bytes } from './units.js';

export const ZERO_CONTENT = 0;
export const BASE_DISK_BASE = 0x4000_0000;
export const UNIQUE_BASE = 0x8000_0000;
const MAX_ID = 0xffff_ffff;

/** Id of page `i` of the base memory image. */
export const baseMemoryId = (i: number): number => 1 + i;
/** Id of block `j` of the base disk image. */
export const baseDiskId = (j: number): number => BASE_DISK_BASE + j;

/** A list of unit indices. */
export type UnitList = Uint32Array;

export interface ContentClass {
  name: string;
  /** Compressed size over original size, in (0, 1], under the reference compressor (see pipeline.ts). */
  compress_ratio: number;
}

/** Allocator of content ids nobody else holds. */
export class ContentIds {
  private next = UNIQUE_BASE;
  fresh(): number {
    return this.reserve(1);
  }
  /** The first of `n` consecutive fresh ids (wrapping to the start of the unique range at its end). */
  reserve(n: number): number {
    if (this.next + n - 1 > MAX_ID) this.next = UNIQUE_BASE;
    const id = this.next;
    this.next += n;
    return id;
  }
}

/** Ids a store takes from its allocator at a time, so a write costs no call (the hottest path). */
const ID_BLOCK = 1 << 16;

/** Presence of a store's units at one site: a byte per unit and a running count. */
class SitePresence {
  readonly bits: Uint8Array;
  count = 0;
  readonly arrivals: Array<(unit: number) => void> = [];
  constructor(n: number) {
    this.bits = new Uint8Array(n);
  }
}

export class PageStore {
  readonly content: Uint32Array;
  readonly klass: Uint8Array;
  readonly dirty: Uint8Array;
  private readonly dirtyList: Uint32Array;
  private dirtyLen = 0;
  private readonly presence = new Map<string, SitePresence>();
  /** The store's current block of fresh ids: [nextId, idEnd). */
  private nextId = UNIQUE_BASE;
  private idEnd = UNIQUE_BASE;
  /** Encoded size of a rewritten unit's change against its previous content (XBZRLE), over the unit size. */
  writeDelta = 1;
  /** Size of a delta (xdelta3) of a modified unit against its base-image version, over the unit size. */
  baseDelta = 1;
  /** The site whose copy a write makes stale (the copy being built by a migration), or null. */
  private staleOnWrite: SitePresence | null = null;

  constructor(
    readonly name: string,
    readonly count: number,
    readonly unitBytes: Bytes,
    readonly classes: readonly ContentClass[] = [{ name: 'default', compress_ratio: 1 }],
    readonly ids: ContentIds = new ContentIds(),
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

  /**
   * A write: the unit gets content nobody else has, is dirty until the next takeDirty(), and the copy
   * at the site named by invalidateOnWrite() (if any) is stale, so no longer counts as present.
   */
  write(i: number): void {
    let id = this.nextId;
    if (id === this.idEnd) {
      id = this.ids.reserve(ID_BLOCK);
      this.idEnd = id + ID_BLOCK;
    }
    this.nextId = id + 1;
    this.content[i] = id;
    const stale = this.staleOnWrite;
    if (stale !== null && stale.bits[i] === 1) {
      stale.bits[i] = 0;
      stale.count--;
    }
    if (this.dirty[i] === 0) {
      this.dirty[i] = 1;
      this.dirtyList[this.dirtyLen++] = i;
    }
  }

  /** From now on a write makes the copy at `site` stale (null: no site). */
  invalidateOnWrite(site: string | null): void {
    this.staleOnWrite = site === null ? null : this.site(site);
  }

  /** Units written since the last call (in first-write order), and clear the dirty set. */
  takeDirty(): UnitList {
    const out = this.dirtyList.slice(0, this.dirtyLen);
    for (let k = 0; k < this.dirtyLen; k++) this.dirty[this.dirtyList[k]] = 0;
    this.dirtyLen = 0;
    return out;
  }

  /** Presence bitmap of this store at a site (created empty on first use). Read it; change it with setPresent. */
  presentAt(site: string): Uint8Array {
    return this.site(site).bits;
  }

  isPresent(site: string, i: number): boolean {
    return this.site(site).bits[i] === 1;
  }

  setPresent(site: string, i: number, present = true): void {
    const s = this.site(site);
    const v = present ? 1 : 0;
    if (s.bits[i] === v) return;
    s.bits[i] = v;
    s.count += present ? 1 : -1;
    if (present) for (const fn of s.arrivals) fn(i);
  }

  /** Call `fn(unit)` whenever a unit becomes present at `site`; returns a function that stops it. */
  onArrival(site: string, fn: (unit: number) => void): () => void {
    const s = this.site(site);
    s.arrivals.push(fn);
    return () => {
      const k = s.arrivals.indexOf(fn);
      if (k >= 0) s.arrivals.splice(k, 1);
    };
  }

  /** Mark every unit present (or absent) at a site. */
  fill(site: string, present = true): void {
    const s = this.site(site);
    s.bits.fill(present ? 1 : 0);
    s.count = present ? this.count : 0;
  }

  countPresent(site: string): number {
    return this.site(site).count;
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

  private site(name: string): SitePresence {
    let s = this.presence.get(name);
    if (s === undefined) {
      s = new SitePresence(this.count);
      this.presence.set(name, s);
    }
    return s;
  }
}
