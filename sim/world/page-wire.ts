// What a memory page costs on the wire when a migration stream sends it, following QEMU's stream
// format (migration/ram.c): every page is preceded by a 64-bit offset|flags word
// (save_page_header); a zero page is that word plus one byte (save_zero_page); an XBZRLE page is the
// word, an encoding flag byte, a 16-bit length and the encoded delta (save_xbzrle_page); any other
// page is the word plus the page. Counters mirror query-migrate's ram and xbzrle-cache fields, as
// QEMU counts them: xbzrle-cache bytes are the encoded bytes with the flag and length but without
// the 8-byte page header (ram.c save_xbzrle_page: "don't count the 8 byte header"), plus a whole
// page for each overflow (the page then goes whole, as a normal page, too).
import type { PageStore } from './memory.js';
import type { XbzrleCache } from './xbzrle.js';
import type { Bytes } from './units.js';

export const PAGE_HEADER_BYTES = 8;
export const ZERO_PAGE_BYTES = PAGE_HEADER_BYTES + 1;
/** save_xbzrle_page: ENCODING_FLAG_XBZRLE (1 byte) and the be16 encoded length. */
export const XBZRLE_EXTRA_BYTES = 3;

export interface WireFormat {
  /** Bytes before each page (QEMU's offset|flags word; Xen's pfn_type entry). */
  header_bytes: Bytes;
  /** Send a zero page as its header and one byte (QEMU) rather than in full (Xen's save loop). */
  zero_pages: boolean;
  /** Re-sent pages found in this cache go as deltas (XBZRLE). */
  xbzrle?: XbzrleCache;
  /** Cache generation: the dirty-bitmap sync count. */
  generation?: number;
  /** Insert missed pages into the cache (false in the last stage, as ram.c's rs->last_stage). */
  cache_insert?: boolean;
}

export interface WireCounts {
  pages: number;
  zero: number;
  normal: number;
  xbzrle: number;
  xbzrle_bytes: Bytes;
  cache_miss: number;
  overflow: number;
  bytes: Bytes;
}

export const emptyCounts = (): WireCounts => ({ pages: 0, zero: 0, normal: 0, xbzrle: 0, xbzrle_bytes: 0, cache_miss: 0, overflow: 0, bytes: 0 });

/**
 * Wire bytes of page `i` as it is now, counted into `c`. `writeDelta` is the encoded size of a
 * rewritten page's change against its previous content, over the page size (a content property).
 */
export function pageWireBytes(store: PageStore, i: number, f: WireFormat, writeDelta: number, c: WireCounts): Bytes {
  c.pages++;
  if (f.zero_pages && store.content[i] === 0) {
    c.zero++;
    c.bytes += f.header_bytes + 1;
    return f.header_bytes + 1;
  }
  const page = store.unitBytes;
  const cache = f.xbzrle;
  if (cache !== undefined) {
    const gen = f.generation ?? 0;
    if (!cache.lookup(i, gen)) {
      c.cache_miss++;
      if (f.cache_insert !== false) cache.insert(i, gen);
    } else {
      const encoded = Math.ceil(writeDelta * page);
      // xbzrle_encode_buffer writes at most one page; beyond that it overflows and the page goes whole.
      if (encoded < page) {
        const b = f.header_bytes + XBZRLE_EXTRA_BYTES + encoded;
        c.xbzrle++;
        c.xbzrle_bytes += b - f.header_bytes;
        c.bytes += b;
        return b;
      }
      c.overflow++;
      c.xbzrle_bytes += page;
    }
  }
  c.normal++;
  c.bytes += f.header_bytes + page;
  return f.header_bytes + page;
}
