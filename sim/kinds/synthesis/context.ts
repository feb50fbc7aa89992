// The SynthesisContext a VM-synthesis policy acts through, over the stages of a synthesis: the
// link (a network flow per piece), one decompression core and the cloudlet's disk, each a FIFO
// server, so pieces queue at a busy stage. The driver reads the times kept here.
import type { Event } from '../../engine/index.js';
import { ModelError, messages } from '../../errors.js';
import type { Transfer, World } from '../../world/index.js';
import { withBase } from '../shared/context.js';
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


/** A single server taking jobs in order: one core, one disk. Records busy time and its span. */
export class FifoServer {
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

/** What a synthesis did: overlay bytes sent, the stages' servers and the moments measured. */
export interface SynthesisRun {
  decompressor: FifoServer;
  disk: FifoServer;
  sent: number;
  sendFirst: number;
  sendLast: number;
  resumeStart: number;
  running: number;
}

export function synthesisContext(world: World, setup: SynthesisSetup, policyName: string): { ctx: SynthesisContext; run: SynthesisRun } {
  const host = world.host(setup.cloudlet);
  const r: SynthesisRun = { decompressor: new FifoServer(world), disk: new FifoServer(world), sent: 0, sendFirst: NaN, sendLast: NaN, resumeStart: NaN, running: NaN };
  const raw = (b: number): number => b / setup.compress_ratio;
  const ctx = withBase<SynthesisContext>(world, {
    overlay_bytes: setup.overlay_bytes,
    send(bytes: number): Transfer {
      if (r.sent + bytes > setup.overlay_bytes * (1 + 1e-9)) throw new ModelError(messages.overlayOversent(policyName, r.sent + bytes, setup.overlay_bytes));
      r.sent += bytes;
      if (Number.isNaN(r.sendFirst)) r.sendFirst = world.now;
      const t = world.send(setup.device, setup.cloudlet, bytes, { tag: 'overlay' });
      t.done.then(() => (r.sendLast = Math.max(Number.isNaN(r.sendLast) ? -Infinity : r.sendLast, world.now)));
      return t;
    },
    decompress: (bytes: number) => r.decompressor.run(host.cpuSeconds('decompress', raw(bytes))),
    apply: (bytes: number) => r.disk.run(host.diskSeconds('write', raw(bytes))),
    resume() {
      r.resumeStart = world.now;
      return r.disk.run(host.diskSeconds('read', setup.base_memory_bytes) + setup.vmm_resume_s).map(() => {
        r.running = world.now;
        if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name: 'running' });
      });
    },
  });
  return { ctx, run: r };
}
