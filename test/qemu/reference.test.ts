// Building the QEMU reference rows' scenarios: the idle layout read off a first pass, the working set
// placed in free memory, the CSV reader. Small analytic cases.
import { describe, expect, it } from 'vitest';
import { idleLayout, parseCsvRecords, rowLayout, type PageRegion, type QemuConstants } from '../../sim/experiment/qemu-reference.js';

const sample = (ram_normal: number, ram_duplicate: number, dirty_sync_count = 1) => ({ t_s: 0, ram_remaining: 0, ram_normal, ram_duplicate, dirty_sync_count });
const count = (rs: readonly PageRegion[], c: PageRegion['content']) => rs.filter((r) => r.content === c).reduce((s, r) => s + r.pages, 0);
const contiguous = (rs: readonly PageRegion[]) => rs.every((r, k) => k === 0 || rs[k - 1].first + rs[k - 1].pages === r.first);

describe('the idle layout', () => {
  it('is the first pass in address order: each sample adds its non-zero then its zero pages; the unreached rest is non-zero', () => {
    const series = [sample(2, 3), sample(5, 3), sample(5, 10), sample(9, 12, 2)];
    expect(idleLayout(series, 20)).toEqual([
      { first: 0, pages: 2, content: 'nonzero' },
      { first: 2, pages: 3, content: 'zero' },
      { first: 5, pages: 3, content: 'nonzero' },
      { first: 8, pages: 7, content: 'zero' },
      { first: 15, pages: 5, content: 'nonzero' },
    ]);
  });
});

describe('the working set in free memory', () => {
  const layout: PageRegion[] = [
    { first: 0, pages: 10, content: 'nonzero' },
    { first: 10, pages: 10, content: 'zero' },
    { first: 20, pages: 5, content: 'nonzero' },
    { first: 25, pages: 15, content: 'zero' },
  ];
  const c = { page_bytes: 4096, layout, free_start_page: 10 } as QemuConstants;

  it('takes the first W zero pages from the start of free memory; straddled pages move after it, counts kept', () => {
    const out = rowLayout(c, 12);
    expect(out).toEqual([
      { first: 0, pages: 10, content: 'nonzero' },
      { first: 10, pages: 12, content: 'nonzero' },
      { first: 22, pages: 5, content: 'nonzero' },
      { first: 27, pages: 13, content: 'zero' },
    ]);
    expect(count(out, 'nonzero')).toBe(count(layout, 'nonzero') + 12);
    expect(count(out, 'zero')).toBe(count(layout, 'zero') - 12);
    expect(contiguous(out)).toBe(true);
  });

  it('fits within one zero run untouched around it; no working set leaves the idle layout as it is', () => {
    expect(rowLayout(c, 4)).toEqual([layout[0], { first: 10, pages: 4, content: 'nonzero' }, { first: 14, pages: 6, content: 'zero' }, layout[2], layout[3]]);
    expect(rowLayout(c, 0)).toBe(layout);
    expect(() => rowLayout(c, 26)).toThrow(/fewer than 26 free pages/);
  });
});

it('reads quoted CSV cells with commas and quotes into named cells', () => {
  expect(parseCsvRecords('a,b\n1,"x, ""y"""\n2,\n')).toEqual([{ a: '1', b: 'x, "y"' }, { a: '2', b: '' }]);
});
