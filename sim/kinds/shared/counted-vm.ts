// A VM of the scenario language with vm.model: counted -> the world's VM whose memory is counts per
// segment (sim/world/counted-memory.ts). Segments are cut wherever the model can tell pages apart:
// working-set group edges, Zipf buckets, layout regions. Zero pages outside the layout are drawn as
// a Binomial count per segment on the VM's content stream, as the per-page model draws each page.
// A sequential group's segments are marked so the memory splits them into exact address ranges.
import { CountedMemory, Vm, WritableWorkingSet, ZipfPopularity, binomial, type SegmentSpec, type World } from '../../world/index.js';
import type { VmParams } from '../../../scenarios/schema-common.js';
import { workingSet } from './vm.js';

interface Run {
  first: number;
  pages: number;
  group: number;
  share: number;
  seq: boolean;
}

/** Address runs written by each group at one per-page share: the group, or its Zipf buckets. */
function writtenRuns(groups: ReturnType<typeof workingSet>): Run[] {
  const runs: Run[] = [];
  let start = 0;
  groups.forEach((g, k) => {
    start = g.start ?? start;
    if (g.pages > 0) {
      if (g.zipf !== undefined && (g.pattern ?? 'zipf') === 'zipf') {
        for (const b of new ZipfPopularity(g.pages, g.zipf).buckets()) runs.push({ first: start + b.first, pages: b.pages, group: k, share: b.share, seq: false });
      } else runs.push({ first: start, pages: g.pages, group: k, share: 1 / g.pages, seq: g.pattern === 'sequential' });
    }
    start += g.pages;
  });
  return runs;
}

/** Segments: memory cut at every run and layout edge, each with its zero pages. */
function segmentsOf(world: World, v: VmParams, count: number, runs: Run[]): SegmentSpec[] {
  const page = v.page_size;
  const regions = v.layout.map((r) => ({ first: r.offset / page, end: (r.offset + r.size) / page, zero: r.content === 'zero' }));
  const cuts = new Set<number>([0, count]);
  for (const r of runs) cuts.add(r.first).add(r.first + r.pages);
  for (const r of regions) cuts.add(r.first).add(r.end);
  const edges = [...cuts].sort((a, b) => a - b);
  const rng = world.random.stream(`vm:${v.name}:content`);
  const out: SegmentSpec[] = [];
  let ri = 0;
  let li = 0;
  for (let j = 0; j + 1 < edges.length; j++) {
    const a = edges[j];
    const pages = edges[j + 1] - a;
    while (ri < runs.length && runs[ri].first + runs[ri].pages <= a) ri++;
    while (li < regions.length && regions[li].end <= a) li++;
    const run = ri < runs.length && runs[ri].first <= a ? runs[ri] : undefined;
    const region = li < regions.length && regions[li].first <= a ? regions[li] : undefined;
    const zero = region !== undefined ? (region.zero ? pages : 0) : binomial(pages, v.zero, rng);
    const spec: SegmentSpec = { start: a, pages, group: run?.group ?? -1, share: run?.share ?? 0, zero };
    if (run?.seq) Object.assign(spec, { seq: true, region: region !== undefined ? li : -1 });
    out.push(spec);
  }
  return out;
}

export function buildCountedVm(world: World, v: VmParams, site: string): Vm {
  const count = Math.ceil(v.memory / v.page_size);
  const groups = workingSet(v);
  const runs = writtenRuns(groups);
  runs.sort((a, b) => a.first - b.first);
  const segments = segmentsOf(world, v, count, runs);
  const mem = new CountedMemory(`${v.name}:memory`, count, v.page_size, segments, world.random.stream(`vm:${v.name}:counts`));
  // Each group's segments, so a span of its writes costs one draw per segment and state.
  const byGroup: number[][] = groups.map(() => []);
  segments.forEach((s, k) => s.group >= 0 && byGroup[s.group].push(k));
  const write = (g: number, writes: number): void => {
    for (const k of byGroup[g]) mem.writeSegment(k, -Math.expm1(-writes * segments[k].share));
  };
  const wss = groups.length > 0 ? new WritableWorkingSet(null, groups, world.random.stream(`vm:${v.name}:writes`), 0, write, (first, pages) => mem.writeRange(first, pages)) : null;
  return world.addVm(new Vm(v.name, mem, null, wss, site, world.sim, world.observe));
}
