// Runs a VM-fork policy (Lagar-Cavilla et al., "SnowFlock: Rapid Virtual Machine Cloning for Cloud
// Computing", EuroSys 2009). A parent and `clones` hosts share one switched LAN: each host has its
// own full-duplex access link to the switch, so a unicast from the parent crosses the parent's
// uplink (shared by every unicast: the bottleneck) and the receiver's downlink, while a multicast is
// one flow through the parent's uplink and every clone's downlink at once (the switch replicates it)
// that arrives everywhere when it is done. Each clone's presence map is its memory; every first
// touch of a page it lacks stalls its vCPU on the policy's fault handler. The driver measures: when
// each clone ran, how long faults stalled it, and every byte that left the parent.
import { ModelError, messages } from '../../errors.js';
import { runPlan } from '../shared/plan.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import type { World } from '../../world/index.js';
import type { Rows } from '../../results/record.js';
import { ForkRun, forkContext, type CloneState, type ForkSetup } from './context.js';

export interface ForkResult {
  metrics: Record<string, number>;
  /** clones: one row per clone (when it ran and finished, its faults, stalls and received bytes). */
  tables: { clones: Rows };
}

export function runFork(world: World, setup: ForkSetup, policy: TransferPolicy<'fork'>, options: unknown, rec: Recorder): ForkResult {
  const r = new ForkRun(world, setup, policy.name);
  const ctx = forkContext(r);
  const t0 = world.now;
  runPlan(world, policy.name, policy.plan(ctx, options));
  for (const c of r.clones) {
    if (Number.isNaN(c.finished_t)) throw new ModelError(messages.cloneUnfinished(policy.name, c.name));
  }
  const rows: Rows = r.clones.map((c) => ({
    clone: c.name,
    running_s: c.running_t - t0,
    finished_s: c.finished_t - t0,
    run_s: c.finished_t - c.running_t,
    faults: c.faults,
    stall_s: c.stall_s,
    avoided: c.avoided,
    push_hits: c.push_hits,
    received_bytes: c.received_bytes,
  }));
  return { metrics: forkMetrics(r, t0, rec), tables: { clones: rows } };
}

function forkMetrics(r: ForkRun, t0: number, rec: Recorder): Record<string, number> {
  const { clones } = r;
  const n = clones.length;
  const mean = (f: (c: CloneState) => number): number => clones.reduce((s, c) => s + f(c), 0) / n;
  return {
    descriptor_bytes: r.setup.descriptor_bytes,
    descriptor_s: r.descLast - r.descFirst,
    clone_time_s: Math.max(...clones.map((c) => c.running_t)) - t0,
    completion_s: Math.max(...clones.map((c) => c.finished_t)) - t0,
    run_s: mean((c) => c.finished_t - c.running_t),
    bytes_sent_total: r.sentBytes,
    descriptor_wire_bytes: r.sentBytes - r.pageBytes,
    page_wire_bytes: r.pageBytes,
    bytes_per_clone: r.sentBytes / n,
    received_bytes_per_clone: mean((c) => c.received_bytes),
    page_transmissions: r.transmissions,
    page_faults: mean((c) => c.faults),
    fault_stall_s: mean((c) => c.stall_s),
    max_fault_stall_s: Math.max(...clones.map((c) => c.stall_s)),
    pages_avoided: mean((c) => c.avoided),
    push_hits: mean((c) => c.push_hits),
    wire_bytes: rec.wireBytes,
  };
}
