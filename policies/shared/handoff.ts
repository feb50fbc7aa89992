// The agile VM handoff loop, shared by the `handoff` migration policy and EdgeVDI's migrate strategy.
// Agile VM handoff for edge computing (Ha et al., "You can teach elephants to dance: agile VM handoff
// for edge computing", SEC 2017). The destination already holds a base image (memory and disk); what
// travels is the VM's state relative to it, through the world's pipeline (sim/world/pipeline.ts):
// dedup (zero blocks, blocks of the base memory or base disk, blocks already sent), an optional delta
// against the base (xdelta3), then compression at a mode (algorithm and level).
//
// Adaptation: the first block goes alone, to measure the network (each later transfer measures it
// again). Then every `adapt_interval` the controller profiles the next blocks and picks the mode that
// maximises min(processing throughput, network throughput): cores x per-block rate of the whole
// pipeline, against measured bandwidth / output ratio, both in input bytes per second, so neither
// the CPU nor the network idles (ties go to the smaller output). Processing and sending overlap: a
// batch is sent as soon as it is made, and the CPU stops running ahead once a step's worth of output
// waits for the network.
//
// Iterations: the first sends memory and the modified disk blocks with the VM running; each next one
// sends what the VM dirtied meanwhile, while that keeps shrinking (an iteration pays off while it
// leaves less behind than it had to send); then the VM stops and the last dirtied state and the device
// state go, and the VM resumes at the destination.
import { z } from 'zod';
import type { Yieldable } from '../../sim/engine/index.js';
import type { MigrationContext } from '../../sim/kinds/migration/contract.js';
import { bytes, byteRate, duration, fraction, type FieldsOutput } from '../../sim/fields.js';
import { baseDiskId, type Batch, type PageStore, type Pipeline, type Transfer, type UnitList } from '../../sim/world/index.js';
import { InFlight } from './rounds.js';

// Default modes: lzbench 1.7's figures on one core of a Core i7-6700K at 4.0 GHz, silesia.tar
// (inikep/lzbench README): compression speed and ratio. zlib stands for gzip, xz for LZMA, the
// algorithms Ha et al. adapt between; "none" ships blocks uncompressed at no CPU cost.
const Mode = z.strictObject({
  name: z.string(),
  speed: byteRate('compression throughput per core, input bytes (omit: no CPU cost)').optional(),
  ratio: fraction('compressed over original size on the reference corpus'),
});
const DEFAULT_MODES = [
  { name: 'none', ratio: '100%' },
  { name: 'zlib-1', speed: '66MB/s', ratio: '36.45%' },
  { name: 'zlib-6', speed: '20MB/s', ratio: '32.19%' },
  { name: 'zlib-9', speed: '8.30MB/s', ratio: '31.92%' },
  { name: 'xz-0', speed: '15MB/s', ratio: '29.53%' },
  { name: 'xz-3', speed: '4.18MB/s', ratio: '26.30%' },
  { name: 'xz-6', speed: '1.89MB/s', ratio: '23.21%' },
  { name: 'xz-9', speed: '1.70MB/s', ratio: '23.00%' },
];

/** The handoff options (a policy spreads them into its own strict object). */
export const HandoffFields = {
  setup: duration('time before the first block is processed', { allowZero: true }).prefault('0ms'),
  device_state: bytes('CPU and device state sent with the last iteration', { allowZero: true }).prefault('0B'),
  modes: z.array(Mode).min(1).prefault(DEFAULT_MODES).describe('compression modes the controller chooses from (default: lzbench 1.7 figures)'),
  reference_ratio: fraction("the ratio on the reference corpus of the compressor the VM's compress_ratio was measured with (lzbench: zlib -6 on silesia.tar = 32.19%)").prefault('32.19%'),
  delta_speed: byteRate('xdelta3 throughput per core, input bytes; omit for no delta stage').optional(),
  reference_bytes: bytes('wire bytes naming a deduplicated block (a 64-bit offset, like the page header of migration/ram.c)').prefault('8B'),
  adapt_interval: duration('how often the controller re-chooses the mode (vmsim default; Ha et al. adapt continuously)').prefault('100ms'),
  max_iterations: z.number().int().min(1).default(30).describe('iterations at most, the last one stopped (a cap as in Xen, DEF_MAX_ITERS + 1)'),
};
export type HandoffOpts = FieldsOutput<typeof HandoffFields>;
type Opts = HandoffOpts;

interface Segment {
  store: PageStore;
  units: UnitList;
}

/** The mode maximising min(CPU, network) throughput for these blocks; smaller output on ties. */
function choose(pipe: Pipeline, store: PageStore, units: UnitList, bandwidth_Bps: number): number {
  const prof = pipe.profile(store, units);
  let best = 0;
  let bestScore = -1;
  let bestOut = Infinity;
  for (let m = 0; m < pipe.modes.length; m++) {
    const c = pipe.cost(prof, store, m);
    const cpu = c.cpu_s > 0 ? prof.input_bytes / c.cpu_s : Infinity;
    const net = bandwidth_Bps > 0 && c.output_bytes > 0 ? (bandwidth_Bps * prof.input_bytes) / c.output_bytes : Infinity;
    const score = Math.min(cpu, net);
    if (score > bestScore * (1 + 1e-9) || (score >= bestScore * (1 - 1e-9) && c.output_bytes < bestOut)) {
      best = m;
      bestScore = score;
      bestOut = c.output_bytes;
    }
  }
  return best;
}

/** Run one iteration's blocks through the pipeline and onto the link; returns once all has left. */
function* iteration(ctx: MigrationContext, pipe: Pipeline, o: Opts, segments: readonly Segment[], net: { Bps: number }): Generator<Yieldable, Transfer[], any> {
  const sends: Transfer[] = [];
  const queue: Batch[] = [];
  let current: Transfer | null = null;
  const busy = () => current !== null && Number.isNaN(current.drainedAt);
  const pump = (): void => {
    if (busy()) return;
    if (current !== null && current.drainedAt > current.startedAt) net.Bps = current.wireBytes / (current.drainedAt - current.startedAt);
    const next = queue.shift();
    current = next === undefined ? current : ctx.sendBatch(next, { tag: 'overlay' });
    if (next !== undefined) {
      sends.push(current!);
      current!.drained.then(pump);
    }
  };
  const hashRate = pipe.spec.cores * pipe.spec.hash_Bps;
  for (const { store, units } of segments) {
    // Blocks the fastest conceivable pipeline (hashing only) gets through in one interval.
    const probe = Math.max(1, Math.ceil((hashRate * o.adapt_interval) / store.unitBytes));
    for (let k = 0; k < units.length; ) {
      const window = units.subarray(k, Math.min(units.length, k + probe));
      const m = choose(pipe, store, window, net.Bps);
      const c = pipe.cost(pipe.profile(store, window), store, m);
      const perStep = c.cpu_s > 0 ? Math.ceil((window.length * o.adapt_interval) / c.cpu_s) : window.length;
      // Until the network has been measured, send a single block and wait for it to leave (a probe).
      const take = net.Bps > 0 ? Math.max(1, Math.min(window.length, perStep)) : 1;
      const batch = pipe.process(store, units.subarray(k, k + take), m);
      k += take;
      if (batch.cpu_s > 0) yield batch.cpu_s;
      queue.push(batch);
      pump();
      // Make the next batch while this one is on the wire, but no further ahead than that.
      while (busy() && (queue.length > 0 || net.Bps === 0)) yield current!.drained;
    }
  }
  while (busy() || queue.length > 0) yield current!.drained;
  return sends;
}

/** The first iteration's blocks: all of memory, and the disk blocks that differ from the base disk. */
function overlay(ctx: MigrationContext): Segment[] {
  const segs: Segment[] = [{ store: ctx.vm.memory, units: ctx.vm.memory.all() }];
  const disk = ctx.vm.disk;
  if (disk !== null) {
    const changed: number[] = [];
    for (let j = 0; j < disk.count; j++) if (disk.content[j] !== baseDiskId(j)) changed.push(j);
    segs.push({ store: disk, units: Uint32Array.from(changed) });
  }
  return segs;
}

/** One handoff of ctx.vm to ctx.to: iterate the pipeline while it pays off, then stop and resume there. */
export function* handoffMigration(ctx: MigrationContext, o: Opts): Generator<Yieldable, void, any> {
  if (o.setup > 0) yield o.setup;
  ctx.mark('setup-done');
  const mem = ctx.vm.memory;
  const modes = o.modes.map((m) => ({ name: m.name, speed_Bps: m.speed ?? Infinity, ratio: m.ratio }));
  const pipe = ctx.pipeline({ reference_ratio: o.reference_ratio, delta_Bps: o.delta_speed ?? null, base_delta: mem.baseDelta, reference_bytes: o.reference_bytes }, modes);
  const net = { Bps: 0 };
  const inflight = new InFlight();
  ctx.takeDirty(); // start tracking what the VM writes from here on
  let segments = overlay(ctx);
  for (let iter = 1; ; iter++) {
    ctx.mark('round', iter);
    const last = ctx.vm.state === 'suspended';
    for (const t of yield* iteration(ctx, pipe, o, segments, net)) inflight.add(t);
    if (last) {
      if (o.device_state > 0) inflight.add(ctx.sendBytes(o.device_state, { tag: 'device-state' }));
      yield* inflight.all(ctx);
      ctx.resume();
      return;
    }
    const input = segments[0].units.length; // memory blocks this iteration sent
    const dirty = ctx.takeDirty();
    // Stop iterating once an iteration leaves as much memory behind as it had to send.
    if (dirty.length === 0 || dirty.length >= input || iter + 1 >= o.max_iterations) {
      ctx.suspend();
      const extra = ctx.takeDirty();
      segments = [{ store: mem, units: extra.length === 0 ? dirty : Uint32Array.from(new Set([...dirty, ...extra])) }];
    } else segments = [{ store: mem, units: dirty }];
  }
}
