// Runs a VM-synthesis policy (Satyanarayanan et al., "The Case for VM-based Cloudlets", 2009;
// Kimberley, MobiVirt 2008): the mobile device sends its overlay to the cloudlet, which decompresses
// it, applies it to the base VM and resumes the result. Each stage is a world resource of its own:
// the link (a network flow per piece), one decompression core and the cloudlet's disk, each a FIFO
// server, so pieces queue at a busy stage and a pipelined chain of pieces runs at the pace of its
// slowest stage by mechanism, not by formula. The driver measures each stage's time; the policy
// only decides how the overlay is cut and how far the stages may run ahead of one another.
import { ModelError, messages } from '../../errors.js';
import { runPlan } from '../shared/plan.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import type { World } from '../../world/index.js';
import type { Rows } from '../../results/record.js';
import { synthesisContext, type SynthesisSetup } from './context.js';

export interface SynthesisResult {
  metrics: Record<string, number>;
  /** stages: one row per stage with its first start, last end and busy time, in s. */
  tables: { stages: Rows };
}

export function runSynthesis(world: World, setup: SynthesisSetup, policy: TransferPolicy<'synthesis'>, options: unknown, rec: Recorder): SynthesisResult {
  const { ctx, run: r } = synthesisContext(world, setup, policy.name);
  const raw = (b: number): number => b / setup.compress_ratio;
  const t0 = world.now;
  runPlan(world, policy.name, policy.plan(ctx, options));
  if (Number.isNaN(r.running)) throw new ModelError(messages.notResumed(policy.name));
  if (Math.abs(r.sent - setup.overlay_bytes) > 1e-6 * setup.overlay_bytes) throw new ModelError(messages.overlayUndersent(policy.name, r.sent, setup.overlay_bytes));

  const link = world.route(setup.device, setup.cloudlet);
  const rtt = link === null ? 0 : link.rtt_s;
  const { decompressor, disk, sendFirst, sendLast, resumeStart, running } = r;
  const resume_s = running - resumeStart;
  const stages: Rows = [
    { stage: 'transfer', start_s: sendFirst - t0, end_s: sendLast - t0, busy_s: sendLast - sendFirst },
    { stage: 'decompress', start_s: decompressor.first - t0, end_s: decompressor.last - t0, busy_s: decompressor.busy_s },
    { stage: 'apply', start_s: disk.first - t0, end_s: resumeStart - t0, busy_s: disk.busy_s - resume_s },
    { stage: 'resume', start_s: resumeStart - t0, end_s: running - t0, busy_s: resume_s },
  ];
  return {
    metrics: {
      overlay_bytes: setup.overlay_bytes,
      overlay_decompressed_bytes: raw(setup.overlay_bytes),
      wire_bytes: rec.wireBytes,
      transfer_s: sendLast - sendFirst,
      decompress_s: decompressor.busy_s,
      apply_s: disk.busy_s - resume_s,
      resume_s,
      synthesis_s: running - t0,
      // The user's first request and its reply cross the link once each after the VM runs.
      time_to_first_use_s: running - t0 + rtt,
    },
    tables: { stages },
  };
}
