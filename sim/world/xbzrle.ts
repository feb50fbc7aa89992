// QEMU's XBZRLE page cache (migration/page_cache.c): a direct-mapped cache of page contents keyed by
// page number, with as many slots as the largest power of two that fits `xbzrle-cache-size` / page
// size. A page sent again while its previous content is cached goes as an XOR+RLE delta against it.
// Insertion never evicts a different page that is still fresh (inserted or hit less than
// CACHED_PAGE_LIFETIME bitmap syncs ago). Two typed arrays, no per-page objects.
import { ModelError, messages } from '../errors.js';
import type { Bytes } from './units.js';

/** migration/page_cache.c: CACHED_PAGE_LIFETIME, in dirty-bitmap syncs. */
export const CACHED_PAGE_LIFETIME = 2;

export class XbzrleCache {
  readonly slots: number;
  private readonly page: Int32Array;
  private readonly age: Float64Array;

  constructor(cacheBytes: Bytes, pageBytes: Bytes) {
    const items = Math.floor(cacheBytes / pageBytes);
    if (items < 1) throw new ModelError(messages.xbzrleTooSmall(cacheBytes, pageBytes));
    // cache_init: the number of items is rounded down to a power of two.
    this.slots = 2 ** Math.floor(Math.log2(items));
    this.page = new Int32Array(this.slots).fill(-1);
    this.age = new Float64Array(this.slots);
  }

  /** cache_is_cached: is `page` in its slot? A hit refreshes the slot's age. */
  lookup(page: number, currentAge: number): boolean {
    const s = page & (this.slots - 1);
    if (this.page[s] !== page) return false;
    this.age[s] = currentAge;
    return true;
  }

  /** cache_insert: put `page` in its slot unless another, still fresh page holds it. */
  insert(page: number, currentAge: number): boolean {
    const s = page & (this.slots - 1);
    const held = this.page[s];
    if (held !== -1 && held !== page && this.age[s] + CACHED_PAGE_LIFETIME > currentAge) return false;
    this.page[s] = page;
    this.age[s] = currentAge;
    return true;
  }
}
