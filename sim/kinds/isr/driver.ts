// Runs an Internet Suspend/Resume policy through the ISR lifecycle and measures it:
//   suspend at A (t2: dirty state written back) -> travel (t3) -> arrival at B -> resume (t4: until
//   the VM runs at B, the resume latency) -> benchmark at B (t5: misses and write-back slow the
//   user; slowdown against the same benchmark run with everything local, T_noisr).
// The policy decides what moves when; context.ts provides its verbs, this driver runs it and
// turns the moments and counts it recorded into metrics.
import { Simulator } from '../../engine/index.js';
import { ModelError, messages } from '../../errors.js';
import { runPlan } from '../shared/plan.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import type { DesktopWorkload, World } from '../../world/index.js';
import { isrContext, type IsrSetup } from './context.js';
import type { Rows } from '../../results/record.js';

export interface IsrResult {
  metrics: Record<string, number>;
  /** timeline: the lifecycle's phases (suspend, travel, resume, run) with start and end in s. */
  tables: { timeline: Rows };
}

export function runIsr(world: World, setup: IsrSetup, policy: TransferPolicy<'isr'>, options: unknown, rec: Recorder): IsrResult {
  const { ctx, state, chunkWire } = isrContext(world, setup, policy.name);
  const { times } = state;
  const vm = world.vm(setup.vm);
  const disk = ctx.disk;
  const B = setup.resumeSite;
  const server = world.server(setup.server);
  const sendOpts = { protocol: setup.protocol };

  vm.start();
  runPlan(world, policy.name, policy.plan(ctx, options));
  for (const k of ['suspend-start', 'suspend-done', 'arrival', 'running', 'run-start', 'run-end']) {
    if (times[k] === undefined) throw new ModelError(messages.notReached(policy.name, k));
  }

  const tNoIsr = localBenchmarkTime(setup.workload);
  const bench = times['run-end'] - times['run-start'];
  const t2 = times['suspend-done'] - times['suspend-start'];
  // The image, then chunks of one size: filled typed arrays (a spread of 16 Ki-element arrays per run
  // cost a tenth of the reproduction's instructions).
  const sizes = (chunks: number): Float64Array => {
    const a = new Float64Array(chunks + 1).fill(chunkWire);
    a[0] = setup.image_bytes;
    return a;
  };
  const dirtySizes = sizes(setup.suspend_dirty.length);
  const allSizes = sizes(disk.count);
  const timeline: Rows = [
    { phase: 'suspend', start_s: times['suspend-start'], end_s: times['suspend-done'] },
    { phase: 'travel', start_s: times['suspend-done'], end_s: Math.max(times['suspend-done'], times.arrival) },
    { phase: 'resume', start_s: times.arrival, end_s: times.running },
    { phase: 'run', start_s: times['run-start'], end_s: times['run-end'] },
  ];
  const metrics = {
    resume_latency_s: times.running - times.arrival,
    resume_fetch_s: times['launch-start'] - times.arrival,
    launch_s: times.running - times['launch-start'],
    suspend_writeback_s: t2,
    benchmark_time_s: bench,
    t_noisr_s: tNoIsr,
    slowdown_pct: ((bench - tNoIsr) / tNoIsr) * 100,
    op_latency_s: times.op_latency,
    bytes_fetched: sumBytes(rec, (tag) => tag === 'image' || tag === 'chunk' || tag === 'lookaside-jukebox'),
    bytes_written_back: sumBytes(rec, (tag) => tag.startsWith('writeback')),
    cache_misses: state.misses,
    lookaside_hits: [...rec.lookasideHits.values()].reduce((a, b) => a + b, 0),
    ...Object.fromEntries([...world.devices.keys()].map((d) => [`lookaside_hits_${d}`, rec.lookasideHits.get(d) ?? 0])),
    suspend_state_bytes: dirtySizes.reduce((a, b) => a + b, 0),
    min_travel_warm_s: t2 + world.idleFetchSeconds(B, server, dirtySizes, sendOpts),
    min_travel_cold_s: t2 + world.idleFetchSeconds(B, server, allSizes, sendOpts),
  };
  return { metrics, tables: { timeline } };
}

/**
 * Chunks the benchmark has written when `share` of its local run (think time and compute, every
 * chunk local, as at the suspend site) is over; an operation's writes land as it ends.
 */
export function localWritesBy(w: DesktopWorkload, share: number): Uint32Array {
  const ends: number[] = [];
  let t = 0;
  for (const op of w.ops) {
    t += op.think_s;
    t += op.compute_s;
    ends.push(t);
  }
  const out: number[] = [];
  w.ops.forEach((op, i) => {
    if (ends[i] <= share * t) for (const c of op.writes) out.push(c);
  });
  return Uint32Array.from(out);
}

function sumBytes(rec: Recorder, tagIs: (tag: string) => boolean): number {
  let s = 0;
  for (const [tag, b] of rec.bytesByTag) if (tagIs(tag)) s += b;
  return s;
}

/** The benchmark with every chunk local and no ISR machinery: think time plus compute. */
export function localBenchmarkTime(w: DesktopWorkload): number {
  const sim = new Simulator();
  const p = sim.process(
    (function* () {
      for (const op of w.ops) {
        yield op.think_s;
        yield op.compute_s;
      }
    })(),
  );
  sim.run();
  if (!p.ok) throw p.error as Error;
  return sim.now;
}
