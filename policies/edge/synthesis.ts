// VM synthesis (Satyanarayanan et al., "The Case for VM-based Cloudlets", IEEE Pervasive Computing
// 2009; Kimberley, MobiVirt 2008): send the overlay, decompress it, apply it to the base VM, resume.
// Not pipelined, each stage takes the whole overlay before the next starts (Kimberley's prototype
// transfers, then decompresses, then applies). Pipelined, the overlay is cut into `chunk`-sized
// pieces that flow through the stages one after another: the sender streams pieces back to back,
// each piece is decompressed when it has arrived and the core is free, and applied when decompressed
// and the disk is free; at most `buffer_chunks` pieces wait between arrival and the end of their
// apply (a bounded buffer: the sender stalls when it is full). The slowest stage sets the pace.
import { z } from 'zod';
import type { Event } from '../../sim/engine/index.js';
import type { TransferPolicy } from '../../sim/policy.js';
import { bytes } from '../../sim/fields.js';

const Options = z.strictObject({
  pipelined: z.boolean().default(false).describe('overlap transfer, decompression and apply over chunks of the overlay'),
  chunk: bytes('piece of the compressed overlay the pipelined stages pass on (vmsim default: 1 MiB)').prefault('1MiB'),
  buffer_chunks: z.number().int().min(1).default(16).describe('pieces at most between arrival and applied (vmsim default)'),
});

export const synthesis: TransferPolicy<'synthesis', z.output<typeof Options>> = {
  name: 'synthesis',
  summary: 'VM synthesis on a cloudlet: overlay transfer, decompress, apply, resume; stages pipelined or not',
  kind: 'synthesis',
  options: Options,
  *plan(ctx, o) {
    const total = ctx.overlay_bytes;
    const n = o.pipelined ? Math.max(1, Math.ceil(total / o.chunk)) : 1;
    const applied: Event<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      if (i >= o.buffer_chunks) yield applied[i - o.buffer_chunks];
      const piece = i < n - 1 ? o.chunk : total - o.chunk * (n - 1);
      const t = ctx.send(piece);
      applied.push(
        ctx.spawn(
          (function* () {
            yield t.done;
            yield ctx.decompress(piece);
            yield ctx.apply(piece);
          })(),
        ),
      );
      // The sender puts the next piece on the link as soon as this one has left.
      yield t.drained;
    }
    yield ctx.allOf(applied);
    yield ctx.resume();
  },
};
