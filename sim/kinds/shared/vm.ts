// A VM of the scenario language (VmSchema) -> the world's VM: memory and disk with content, the
// working set. Shared by the kinds that move a whole VM (migration, vdi). Content of pages is drawn
// from the run's seed on streams of the VM's own, so it never shifts other streams.
import { World, Vm, PageStore, WritableWorkingSet, ContentIds, UNIQUE_BASE, baseDiskId, baseMemoryId, type ContentClass, type WssGroup } from '../../world/index.js';
import type { VmParams } from '../../../scenarios/schema-common.js';

/** Content classes: the default (the VM's compress_ratio) first, then the listed ones. */
function contentClasses(v: VmParams): ContentClass[] {
  return [{ name: 'default', compress_ratio: v.compress_ratio }, ...v.classes.map((c) => ({ name: c.name, compress_ratio: c.compress_ratio }))];
}

/** Class of a non-zero unit: the listed classes by share, the default class for the rest. */
function drawClass(v: VmParams, rng: () => number): number {
  let u = rng();
  for (let k = 0; k < v.classes.length; k++) {
    u -= v.classes[k].share;
    if (u < 0) return k + 1;
  }
  return 0;
}

/** Memory pages with content drawn from the VM's shares: zero, base memory, base disk, duplicate, unique. */
export function buildMemory(world: World, v: VmParams, ids: ContentIds = new ContentIds()): PageStore {
  const count = Math.ceil(v.memory / v.page_size);
  const mem = new PageStore(`${v.name}:memory`, count, v.page_size, contentClasses(v), ids);
  mem.writeDelta = v.write_delta;
  mem.baseDelta = v.base_delta;
  const rng = world.random.stream(`vm:${v.name}:content`);
  const diskBlocks = v.disk === undefined ? count : Math.ceil(v.disk.size / v.disk.block);
  const c = mem.content;
  for (let i = 0; i < count; i++) {
    const u = rng();
    if (u < v.zero) c[i] = 0;
    else if (u < v.zero + v.base) c[i] = baseMemoryId(i);
    else if (u < v.zero + v.base + v.base_disk) c[i] = baseDiskId(Math.floor(rng() * diskBlocks));
    else c[i] = ids.fresh();
  }
  if (v.duplicate > 0) {
    for (let i = 0; i < count; i++) {
      if (c[i] >= UNIQUE_BASE && rng() < v.duplicate / Math.max(1e-12, 1 - v.zero - v.base - v.base_disk)) c[i] = c[Math.floor(rng() * count)] || c[i];
    }
  }
  applyLayout(world, v, c, ids, diskBlocks);
  if (v.classes.length > 0) {
    const classRng = world.random.stream(`vm:${v.name}:classes`);
    for (let i = 0; i < count; i++) if (c[i] !== 0) mem.klass[i] = drawClass(v, classRng);
  }
  return mem;
}

/**
 * Content regions in address order override the drawn content of their pages (drawn first and then
 * overwritten, so a VM without a layout draws exactly what it always did).
 */
function applyLayout(world: World, v: VmParams, c: Uint32Array, ids: ContentIds, diskBlocks: number): void {
  if (v.layout.length === 0) return;
  const rng = world.random.stream(`vm:${v.name}:layout`);
  for (const r of v.layout) {
    const first = r.offset / v.page_size;
    const end = first + r.size / v.page_size;
    for (let i = first; i < end; i++) {
      switch (r.content) {
        case 'zero':
          c[i] = 0;
          break;
        case 'nonzero':
          c[i] = ids.fresh();
          break;
        case 'base':
          c[i] = baseMemoryId(i);
          break;
        case 'base_disk':
          c[i] = baseDiskId(Math.floor(rng() * diskBlocks));
          break;
      }
    }
  }
}

/** Disk blocks: the base disk image, except a modified share with content drawn like memory's. */
export function buildDisk(world: World, v: VmParams, ids: ContentIds): PageStore | null {
  const d = v.disk;
  if (d === undefined) return null;
  const count = Math.ceil(d.size / d.block);
  const disk = new PageStore(`${v.name}:disk`, count, d.block, contentClasses(v), ids);
  disk.baseDelta = v.base_delta;
  const rng = world.random.stream(`vm:${v.name}:disk`);
  const c = disk.content;
  for (let j = 0; j < count; j++) {
    if (rng() >= d.modified) {
      c[j] = baseDiskId(j);
      continue;
    }
    const u = rng();
    if (u < d.zero) c[j] = 0;
    else if (u < d.zero + d.base) c[j] = baseDiskId(Math.floor(rng() * count));
    else if (u < d.zero + d.base + d.duplicate && j > 0) c[j] = c[Math.floor(rng() * j)];
    else c[j] = ids.fresh();
    if (c[j] !== 0 && v.classes.length > 0) disk.klass[j] = drawClass(v, rng);
  }
  return disk;
}

/** Working-set groups in model units (pages, page writes per second, seconds). */
export function workingSet(v: VmParams): WssGroup[] {
  return v.working_set.map((g) => {
    if (g.writes !== undefined) {
      return { name: g.name, pages: 0, rate_pages_s: 0, trace: { at_s: Float64Array.from(g.writes, (w) => w.at), page: Uint32Array.from(g.writes, (w) => w.page) } };
    }
    return {
      name: g.name,
      pages: Math.round((g.size ?? 0) / v.page_size),
      start: g.offset === undefined ? undefined : g.offset / v.page_size,
      pattern: g.pattern,
      cursor: g.cursor === undefined ? undefined : Math.floor(g.cursor / v.page_size),
      rate_pages_s: g.rate ?? 0,
      zipf: g.zipf,
      schedule: g.schedule?.map((s) => ({ at_s: s.at, rate_pages_s: s.rate })),
    };
  });
}

export function buildVm(world: World, v: VmParams, site: string): Vm {
  const ids = new ContentIds();
  const mem = buildMemory(world, v, ids);
  const disk = buildDisk(world, v, ids);
  mem.fill(site);
  disk?.fill(site);
  const groups = workingSet(v);
  const wss = groups.length > 0 ? new WritableWorkingSet(mem, groups, world.random.stream(`vm:${v.name}:writes`)) : null;
  return world.addVm(new Vm(v.name, mem, disk, wss, site, world.sim, world.observe));
}
