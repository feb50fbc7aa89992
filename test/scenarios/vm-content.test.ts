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
