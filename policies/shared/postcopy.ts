// The post-copy phase (Hines and Gopalan, "Post-copy based live virtual machine migration using
// adaptive pre-paging and dynamic self-ballooning", VEE 2009; QEMU migration/postcopy-ram.c), used by
// `postcopy` and by `hybrid` after its pre-copy rounds. With the VM stopped: send the CPU and
// device state, start the VM at the destination. Then two things at once until every page is there:
//   - the background stream sends the pages still pending, in address order, in chunks;
//   - each fault (the world's fault stream) sends a page request back to the source (an RTT's
//     half plus the request), which sends the page, and up to `prepage_pages` pending neighbours
//     (pre-paging), ahead of the background stream (strict priority). A page already sent is not
//     sent again (ram.c get_queued_page skips pages no longer dirty): the vCPU waits for it to land.
// Without QEMU's postcopy-preempt, the background stream carries on after the requested page
// (ram.c: the queued page sets the scan position), which `background_follows_faults` models.
import { z } from 'zod';
import type { Yieldable } from '../../sim/engine/index.js';
import type { MigrationContext } from '../../sim/policy.js';
import { bytes } from '../../sim/fields.js';
import type { InFlight, PageBitmap } from './rounds.js';

export const PostcopyFields = {
  request_bytes: bytes('size of a page request on the return path (migration.c MIG_RP_MSG_REQ_PAGES: 4-byte header, 8-byte start, 4-byte length)').prefault('16B'),
  stream_chunk: bytes('bytes the background stream writes at a time (qemu-file.c IO_BUF_SIZE = 32 KiB)').prefault('32KiB'),
  prepage_pages: z.number().int().min(0).default(0).describe('pending pages sent along with each faulted page (pre-paging, Hines and Gopalan §3.2; 0 = off, as QEMU)'),
  prepage: z.enum(['forward', 'bubble']).default('bubble').describe('pre-paging direction: the pages after the fault, or alternately after and before it (bubbling)'),
  background_follows_faults: z.boolean().default(true).describe('the background stream continues after a requested page (QEMU without postcopy-preempt)'),
};

export interface PostcopyOptions {
  request_bytes: number;
  stream_chunk: number;
  prepage_pages: number;
  prepage: 'forward' | 'bubble';
  background_follows_faults: boolean;
  device_state: number;
}

/** Requested pages go ahead of the background stream. */
const URGENT = 1;

/** Pre-paging: the faulted page and up to `count` pending neighbours, each taken from `pending`. */
function neighbours(pending: PageBitmap, page: number, count: number, mode: 'forward' | 'bubble'): Uint32Array {
  const out = [page];
  pending.take(page);
  for (let d = 1; out.length <= count && (page + d < pending.size || (mode === 'bubble' && page - d >= 0)); d++) {
    for (const q of mode === 'bubble' ? [page + d, page - d] : [page + d]) {
      if (out.length <= count && q >= 0 && q < pending.size && pending.take(q)) out.push(q);
    }
  }
  return Uint32Array.from(out);
}

/**
 * With the VM stopped at the source and `pending` holding every page the destination lacks: send
 * the device state, resume there, and stream and fault the rest in. Returns when all pages are there.
 */
export function* postcopyPhase(ctx: MigrationContext, o: PostcopyOptions, pending: PageBitmap, inflight: InFlight, round: number): Generator<Yieldable, void, any> {
  // The device state always goes, even if empty: the destination resumes when it has it.
  inflight.add(ctx.sendBytes(o.device_state, { tag: 'device-state' }));
  yield* inflight.all(ctx);
  ctx.resume();
  ctx.mark('round', round);
  const faults = ctx.faults();
  ctx.spawn(
    (function* () {
      while (pending.count > 0) {
        const sent = ctx.streamPages(pending.takeNext, { budget_bytes: o.stream_chunk, tag: 'memory' });
        if (sent === null) return;
        yield sent.transfer.drained;
      }
    })(),
  );
  while (faults.complete.state === 'pending') {
    const first = yield ctx.anyOf([faults.next(), faults.complete]);
    if (first === faults.complete) break;
    const page = (first as { value: number }).value;
    if (!pending.has(page)) continue; // on its way already: the vCPU waits for it to land
    yield ctx.sendBytes(o.request_bytes, { back: true, tag: 'postcopy-request' }).done;
    if (!pending.has(page)) continue; // the background stream took it meanwhile
    ctx.sendPages(neighbours(pending, page, o.prepage_pages, o.prepage), { tag: 'memory', priority: URGENT });
    if (o.background_follows_faults) pending.cursor = page + 1;
  }
}
