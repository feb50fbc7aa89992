// QEMU's XBZRLE cache and the wire size of pages (migration/page_cache.c, migration/ram.c).
import { expect, test } from 'vitest';
import { PageStore, XbzrleCache, pageWireBytes, emptyCounts, ZERO_PAGE_BYTES } from '../../sim/world/index.js';

test('slots are the largest power of two that fits; direct-mapped by page number', () => {
  const c = new XbzrleCache(5 * 4096 + 100, 4096);
  expect(c.slots).toBe(4);
  expect(c.insert(1, 1)).toBe(true);
  expect(c.lookup(1, 1)).toBe(true);
  expect(c.lookup(5, 1)).toBe(false); // same slot as 1
  // 1 was touched at age 1: still fresh at age 2, so 5 cannot take its slot; at age 3 it can.
  expect(c.insert(5, 2)).toBe(false);
  expect(c.insert(5, 3)).toBe(true);
  expect(c.lookup(1, 3)).toBe(false);
});

test('wire bytes: zero page 9, normal 4104, XBZRLE hit 8 + 3 + delta, overflow sent whole; xbzrle bytes without headers', () => {
  const s = new PageStore('mem', 4, 4096);
  s.content.set([0, 7, 8, 9]);
  const cache = new XbzrleCache(64 * 4096, 4096);
  const c = emptyCounts();
  const f = { header_bytes: 8, zero_pages: true, xbzrle: cache, generation: 1 };
  expect(pageWireBytes(s, 0, f, 0.1, c)).toBe(ZERO_PAGE_BYTES);
  expect(pageWireBytes(s, 1, f, 0.1, c)).toBe(4104); // miss, inserted
  expect(pageWireBytes(s, 1, f, 0.1, c)).toBe(8 + 3 + 410); // hit: ceil(409.6)
  expect(pageWireBytes(s, 1, f, 1, c)).toBe(4104); // delta as big as the page: overflow
  // xbzrle-cache bytes as QEMU counts them: the hit's 3 + 410 without its 8-byte header, and the
  // overflowed page's 4096.
  expect(c).toMatchObject({ pages: 4, zero: 1, normal: 2, xbzrle: 1, xbzrle_bytes: 413 + 4096, cache_miss: 1, overflow: 1, bytes: 9 + 4104 + 421 + 4104 });
  const raw = { header_bytes: 8, zero_pages: false };
  expect(pageWireBytes(s, 0, raw, 0.1, emptyCounts())).toBe(4104);
});
