// The VM's content and working-set fields: what they build, and the errors that name their field.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { validateScenario } from '../../scenarios/load.js';
import { buildScenario } from '../../scenarios/build.js';
import { BASE_DISK_BASE, UNIQUE_BASE } from '../../sim/world/index.js';

const FILE = 'vm.yaml';
const scenario = (vm: Record<string, unknown>) => ({ kind: 'migration', name: 'v', policy: 'stop-and-copy', link: { bandwidth: '100Mbit/s' }, vm: { memory: '16MiB', ...vm } });

function fieldError(vm: Record<string, unknown>, path: string, detail: string): void {
  let err: unknown;
  try {
    validateScenario(scenario(vm), FILE);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).exitCode).toBe(2);
  expect((err as InputError).message).toContain(`field ${path}: `);
  expect((err as InputError).message).toContain(detail);
}

describe('working-set errors name the field', () => {
  it('a write trace whose times go backwards', () => {
    fieldError({ working_set: [{ name: 't', writes: [{ at: '2s', page: 1 }, { at: '1s', page: 2 }] }] }, 'vm.working_set.0.writes.1.at', 'times go backwards');
  });
  it('a trace write beyond memory', () => {
    fieldError({ working_set: [{ name: 't', writes: [{ at: '1s', page: 4096 }] }] }, 'vm.working_set.0.writes.0.page', 'beyond memory (4096 pages)');
  });
  it('a rate schedule whose times do not increase', () => {
    fieldError({ working_set: [{ name: 'g', size: '1MiB', rate: '10 pages/s', schedule: [{ at: '5s', rate: '1/s' }, { at: '5s', rate: '2/s' }] }] }, 'vm.working_set.0.schedule.1.at', 'times go backwards');
  });
  it('a trace group with a size, a random group without a rate', () => {
    fieldError({ working_set: [{ name: 't', size: '1MiB', writes: [] }] }, 'vm.working_set.0.size', 'a trace group (with writes) takes no size');
    fieldError({ working_set: [{ name: 'g', size: '1MiB' }] }, 'vm.working_set.0.rate', 'required');
  });
  it('a working set larger than memory', () => {
    fieldError({ working_set: [{ name: 'g', size: '17MiB', rate: '1/s' }] }, 'vm.working_set', 'larger than memory');
  });
  it('content shares that exceed 100%', () => {
    fieldError({ zero: '50%', base_disk: '60%' }, 'vm.zero', 'exceed 100%');
    fieldError({ classes: [{ name: 'a', share: '70%', compress_ratio: '50%' }, { name: 'b', share: '40%', compress_ratio: '50%' }] }, 'vm.classes', 'exceed 100%');
  });
});

describe('building VM content', () => {
  it('draws shares of zero, base-memory, base-disk and unique pages, and classes by share', () => {
    const s = validateScenario(scenario({ zero: '20%', base: '30%', base_disk: '10%', classes: [{ name: 'text', share: '50%', compress_ratio: '30%' }] }), FILE);
    const { world } = buildScenario(s, 1);
    const mem = world.vm('vm').memory;
    const n = mem.count;
    let zero = 0, base = 0, disk = 0, text = 0;
    for (let i = 0; i < n; i++) {
      const id = mem.content[i];
      if (id === 0) zero++;
      else if (id < BASE_DISK_BASE) base++;
      else if (id < UNIQUE_BASE) disk++;
      if (mem.klass[i] === 1) text++;
    }
    expect(zero / n).toBeCloseTo(0.2, 1);
    expect(base / n).toBeCloseTo(0.3, 1);
    expect(disk / n).toBeCloseTo(0.1, 1);
    expect(text / (n - zero)).toBeCloseTo(0.5, 1);
    expect(mem.classes.map((c) => c.compress_ratio)).toEqual([1, 0.3]);
  });

  it('a disk differs from its base image in the modified share; its unique ids never collide with memory', () => {
    const s = validateScenario(scenario({ disk: { size: '64MiB', modified: '10%' } }), FILE);
    const { world } = buildScenario(s, 2);
    const vm = world.vm('vm');
    const disk = vm.disk!;
    let changed = 0;
    for (let j = 0; j < disk.count; j++) if (disk.content[j] !== BASE_DISK_BASE + j) changed++;
    expect(changed / disk.count).toBeCloseTo(0.1, 1);
    const memIds = new Set(vm.memory.content);
    for (let j = 0; j < disk.count; j++) if (disk.content[j] >= UNIQUE_BASE) expect(memIds.has(disk.content[j])).toBe(false);
  });
});

describe('memory layout and working-set placement', () => {
  const build = (vm: Record<string, unknown>) => buildScenario(validateScenario(scenario(vm), FILE), 3).world.vm('vm');

  it('layout regions hold exactly their sizes, in address order; the shares fill the rest', () => {
    const vm = build({
      zero: '50%',
      layout: [
        { offset: '0B', size: '1MiB', content: 'nonzero' },
        { offset: '4MiB', size: '2MiB', content: 'zero' },
        { offset: '8MiB', size: '512KiB', content: 'base' },
        { offset: '16128KiB', size: '256KiB', content: 'nonzero' }, // the last 64 pages
      ],
    });
    const c = vm.memory.content;
    const pages = (a: number, b: number) => Array.from(c.subarray(a, b));
    expect(pages(0, 256).every((id) => id >= UNIQUE_BASE)).toBe(true);
    expect(new Set(pages(0, 256)).size).toBe(256); // content of its own: no two alike
    expect(pages(1024, 1536).every((id) => id === 0)).toBe(true);
    pages(2048, 2176).forEach((id, k) => expect(id).toBe(1 + 2048 + k)); // base image page at the same address
    expect(pages(4032, 4096).every((id) => id >= UNIQUE_BASE)).toBe(true);
    // Outside the regions, the zero share: about half of 4096 - 256 - 512 - 128 - 64 pages.
    const outside = [...pages(256, 1024), ...pages(1536, 2048), ...pages(2176, 4032)];
    expect(outside.filter((id) => id === 0).length / outside.length).toBeCloseTo(0.5, 1);
  });

  it('a VM without a layout draws exactly the content it always did', () => {
    const a = build({ zero: '30%', base: '20%' });
    const b = build({ zero: '30%', base: '20%', layout: [] });
    expect(Array.from(a.memory.content)).toEqual(Array.from(b.memory.content));
  });

  it('groups sit at their offsets (or after the previous group), with their pattern and cursor', () => {
    const vm = build({
      working_set: [
        { name: 'a', size: '1MiB', rate: '100 pages/s' },
        { name: 'b', size: '2MiB', offset: '8MiB', rate: '100 pages/s', pattern: 'sequential', cursor: '64KiB' },
        { name: 'c', size: '1MiB', rate: '100 pages/s', zipf: 1 },
      ],
    });
    const w = vm.workload!;
    expect(w.starts).toEqual([0, 2048, 2560]);
    expect(w.patterns).toEqual(['random', 'sequential', 'zipf']);
    expect(w.sequentialPage(1, 0)).toBe(2048 + 16);
  });

  it('errors name the field: misplaced regions and groups, patterns without their parameters', () => {
    fieldError({ layout: [{ offset: '1000B', size: '4KiB', content: 'zero' }] }, 'vm.layout.0.offset', 'not a whole number of 4096-byte pages');
    fieldError({ layout: [{ offset: '4MiB', size: '1MiB', content: 'zero' }, { offset: '4MiB', size: '1MiB', content: 'nonzero' }] }, 'vm.layout.1.offset', 'address order');
    fieldError({ layout: [{ offset: '15MiB', size: '2MiB', content: 'zero' }] }, 'vm.layout.0.size', 'beyond memory');
    fieldError({ layout: [{ offset: '0B', size: '4KiB', content: 'text' }] }, 'vm.layout.0.content', 'expected one of');
    fieldError({ working_set: [{ name: 'g', size: '1MiB', rate: '1/s', offset: '15872KiB' }] }, 'vm.working_set.0.offset', 'beyond memory');
    fieldError(
      { working_set: [{ name: 'a', size: '2MiB', rate: '1/s', offset: '4MiB' }, { name: 'b', size: '1MiB', rate: '1/s', offset: '5MiB' }] },
      'vm.working_set.1.offset',
      'overlaps group 0 (a)',
    );
    fieldError({ working_set: [{ name: 'g', size: '1MiB', rate: '1/s', pattern: 'zipf' }] }, 'vm.working_set.0.zipf', 'required with pattern zipf');
    fieldError({ working_set: [{ name: 'g', size: '1MiB', rate: '1/s', pattern: 'sequential', zipf: 1 }] }, 'vm.working_set.0.zipf', 'a sequential group takes no zipf');
    fieldError({ working_set: [{ name: 'g', size: '1MiB', rate: '1/s', cursor: '4KiB' }] }, 'vm.working_set.0.cursor', 'only a sequential group has a cursor');
    fieldError({ working_set: [{ name: 'g', size: '1MiB', rate: '1/s', pattern: 'sequential', cursor: '1MiB' }] }, 'vm.working_set.0.cursor', 'inside the group');
  });
});
