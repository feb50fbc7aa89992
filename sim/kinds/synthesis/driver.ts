// Runs a VM-synthesis policy (Satyanarayanan et al., "The Case for VM-based Cloudlets", 2009;
// Kimberley, MobiVirt 2008): the mobile device sends its overlay to the cloudlet, which decompresses
// it, applies it to the base VM and resumes the result. Each stage is a world resource of its own:
// the link (a network flow per piece), one decompression core and the cloudlet's disk, each a FIFO
// server, so pieces queue at a busy stage and a pipelined chain of pieces runs at the pace of its
// slowest stage by mechanism, not by formula. The driver measures each stage's time; the policy
// only decides how the overlay is cut and how far the stages may run ahead of one another.
import type { Event } from '../../engine/index.js';
import { ModelError, messages } from '../../errors.js';
import { runPlan } from '../shared/plan.js';
import { withBase } from '../shared/context.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import type { Transfer, World } from '../../world/index.js';
import type { Rows } from '../../results/record.js';
import type { SynthesisContext } from './contract.js';

export interface SynthesisSetup {
  kind: 'synthesis';
  /** Sites: the mobile device and the cloudlet. */
  device: string;
  cloudlet: string;
  /** Compressed overlay bytes, and compressed over decompressed size. */
  overlay_bytes: number;
  compress_ratio: number;
  /** The base VM's memory image, read from the cloudlet's disk at resume. */
  base_memory_bytes: number;
  vmm_resume_s: number;
}


export interface SynthesisResult {
  metrics: Record<string, number>;
  /** stages: one row per stage with its first start, last end and busy time, in s. */
  tables: { stages: Rows };
}

/** A single server taking jobs in order: one core, one disk. Records busy time and its span. */
class FifoServer {
  private freeAt = 0;
  busy_s = 0;
  first = NaN;
  last = NaN;
  constructor(private readonly world: World) {}
  run(seconds: number): Event<undefined> {
    const now = this.world.now;
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + seconds;
    this.busy_s += seconds;
    if (Number.isNaN(this.first)) this.first = start;
    this.last = this.freeAt;
    return this.world.sim.timeout(this.freeAt - now);
  }
}

export function runSynthesis(world: World, setup: SynthesisSetup, policy: TransferPolicy<'synthesis'>, options: unknown, rec: Recorder): SynthesisResult {
  const host = world.host(setup.cloudlet);
  const decompressor = new FifoServer(world);
  const disk = new FifoServer(world);
  const raw = (b: number): number => b / setup.compress_ratio;
  let sent = 0;
  let sendFirst = NaN;
  let sendLast = NaN;
  let resumeStart = NaN;
  let running = NaN;

  const ctx = withBase<SynthesisContext>(world, {
    overlay_bytes: setup.overlay_bytes,
    send(bytes: number): Transfer {
      if (sent + bytes > setup.overlay_bytes * (1 + 1e-9)) throw new ModelError(messages.overlayOversent(policy.name, sent + bytes, setup.overlay_bytes));
      sent += bytes;
      if (Number.isNaN(sendFirst)) sendFirst = world.now;
      const t = world.send(setup.device, setup.cloudlet, bytes, { tag: 'overlay' });
      t.done.then(() => (sendLast = Math.max(Number.isNaN(sendLast) ? -Infinity : sendLast, world.now)));
      return t;
    },
    decompress: (bytes: number) => decompressor.run(host.cpuSeconds('decompress', raw(bytes))),
    apply: (bytes: number) => disk.run(host.diskSeconds('write', raw(bytes))),
    resume() {
      resumeStart = world.now;
      return disk.run(host.diskSeconds('read', setup.base_memory_bytes) + setup.vmm_resume_s).map(() => {
        running = world.now;
        if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name: 'running' });
      });
    },
  });

  const t0 = world.now;
  runPlan(world, policy.name, policy.plan(ctx, options));
  if (Number.isNaN(running)) throw new ModelError(messages.notResumed(policy.name));
  if (Math.abs(sent - setup.overlay_bytes) > 1e-6 * setup.overlay_bytes) throw new ModelError(messages.overlayUndersent(policy.name, sent, setup.overlay_bytes));

  const link = world.route(setup.device, setup.cloudlet);
  const rtt = link === null ? 0 : link.rtt_s;
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
