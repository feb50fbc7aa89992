// The post-copy phase (Hines and Gopalan, "Post-copy based live virtual machine migration using
// adaptive pre-paging and dynamic self-ballooning", VEE 2009; QEMU migration/postcopy-ram.c), used by
// `postcopy` and by `hybrid` after its pre-copy rounds. With the VM stopped: send the CPU and
// device state, start the VM at the destination. Then two things at once until every page is there:
//   - the background stream sends the pages still pending, in address order, in chunks;
//   - each fault (the world's fault stream) sends a page request back to the source, as QEMU's
//     destination does for every page it lacks and has not asked for yet, even one already on its
//     way (it cannot know). The source sends a requested page still pending, and up to
//     `prepage_pages` pending neighbours (pre-paging), ahead of the background stream (strict
//     priority); a page already sent is not sent again (ram.c get_queued_page skips pages no longer
//     dirty): the vCPU waits for it to land.
// Without QEMU's postcopy-preempt, the background stream carries on after the requested page
// (ram.c: the queued page sets the scan position), which `background_follows_faults` models.
//
// max_postcopy_bandwidth (QEMU max-postcopy-bandwidth; 0 = unlimited, QEMU's default) gives the
// stream a byte budget per rate window, as max_bandwidth does in pre-copy. Requested pages count
// against it, and a request that arrives once the window's budget is spent waits for the next
// window (savevm.c qemu_savevm_state_iterate checks the limit before ram_save_iterate, which then
// sends every queued page first). Once the pending bytes fall below measured bandwidth x
// downtime_limit (when given), the rest goes unlimited (migration_completion: ram_save_complete).
import { z } from 'zod';
import type { Yieldable } from '../../sim/engine/index.js';
import type { MigrationContext } from '../../sim/kinds/migration/contract.js';
import { bitRate, bytes, type FieldsOutput } from '../../sim/fields.js';
import type { QemuOptions } from './qemu-precopy.js';
import type { InFlight, PageBitmap, StartOptions, SwitchoverCosts } from './rounds.js';
import type { PendingPages } from '../../sim/kinds/migration/contract.js';
import type { CountedFault } from '../../sim/world/index.js';
import type { OptionProblem, ScenarioFacts } from '../../sim/policy.js';
import { messages } from '../../sim/errors.js';

export const PostcopyFields = {
  request_bytes: bytes('size of a page request on the return path (migration.c MIG_RP_MSG_REQ_PAGES: 4-byte header, 8-byte start, 4-byte length)').prefault('16B'),
  stream_chunk: bytes('bytes the background stream writes at a time (qemu-file.c IO_BUF_SIZE = 32 KiB)').prefault('32KiB'),
  prepage_pages: z.number().int().min(0).default(0).describe('pending pages sent along with each faulted page (pre-paging, Hines and Gopalan §3.2; 0 = off, as QEMU)'),
  prepage: z.enum(['forward', 'bubble']).default('bubble').describe('pre-paging direction: the pages after the fault, or alternately after and before it (bubbling)'),
  background_follows_faults: z.boolean().default(true).describe('the background stream continues after a requested page (QEMU without postcopy-preempt)'),
  max_postcopy_bandwidth: bitRate('QEMU max-postcopy-bandwidth: byte budget of the post-copy stream per rate window, requested pages included; 0 = unlimited (options.c default)', { allowZero: true }).prefault('0bit/s'),
};

/**
 * The post-copy fields, the device state, and from QEMU's pre-copy options (when the caller has them):
 * the window of the post-copy rate limit (BUFFER_DELAY, 100 ms) and downtime_limit (once pending
 * bytes fall below measured bandwidth x it, the rest goes unlimited: QEMU's completion rule).
 */
export type PostcopyOptions = FieldsOutput<typeof PostcopyFields> &
  Pick<StartOptions, 'device_state'> &
  Partial<Pick<QemuOptions, 'rate_window' | 'downtime_limit'>> &
  Pick<SwitchoverCosts, 'start_time'>;

/** Requested pages go ahead of the background stream. */
const URGENT = 1;
/** QEMU's BUFFER_DELAY, for a caller without a rate_window option. */
const DEFAULT_WINDOW_S = 0.1;

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

/** The post-copy stream's rate limit: a byte budget per window (Infinity: unlimited). */
class Limiter {
  start: number;
  used = 0;
  constructor(
    public budget: number,
    readonly window: number,
    now: number,
  ) {
    this.start = now;
  }
  get spent(): boolean {
    return this.used >= this.budget;
  }
}

/**
 * With the VM stopped at the source and `pending` holding every page the destination lacks: send
 * the device state, resume there, and stream and fault the rest in. Returns when all pages are there.
 */
export function* postcopyPhase(ctx: MigrationContext, o: PostcopyOptions, pending: PageBitmap, inflight: InFlight, round: number): Generator<Yieldable, void, any> {
  // The device state always goes, even if empty: the destination resumes when it has it.
  inflight.add(ctx.sendBytes(o.device_state, { tag: 'device-state' }));
  yield* inflight.all(ctx);
  if ((o.start_time ?? 0) > 0) yield o.start_time!;
  ctx.resume();
  ctx.mark('round', round);
  const faults = ctx.faults();
  const window = o.rate_window ?? DEFAULT_WINDOW_S;
  const limit = new Limiter(o.max_postcopy_bandwidth > 0 ? (o.max_postcopy_bandwidth / 8) * window : Infinity, window, ctx.now);
  const pageBytes = ctx.vm.memory.unitBytes;
  /** Requested pages waiting for the next window. */
  const queued: number[] = [];

  const sendRequested = (page: number): void => {
    const sent = ctx.sendPages(neighbours(pending, page, o.prepage_pages, o.prepage), { tag: 'memory', priority: URGENT });
    limit.used += sent.bytes;
    if (o.background_follows_faults) pending.cursor = page + 1;
  };

  ctx.spawn(
    (function* () {
      while (pending.count > 0) {
        if (limit.spent) {
          // Sleep out the window, measure it, start the next one (migration_rate_limit, migration_update_counters).
          const end = limit.start + limit.window;
          if (ctx.now < end) yield end - ctx.now;
          const bandwidth = limit.used / (ctx.now - limit.start);
          limit.start = ctx.now;
          limit.used = 0;
          if (o.downtime_limit !== undefined && pending.count * pageBytes < bandwidth * o.downtime_limit) limit.budget = Infinity;
          // ram_save_iterate sends the queued requests first, whatever the budget.
          for (const page of queued.splice(0)) if (pending.has(page)) sendRequested(page);
          continue;
        }
        const sent = ctx.streamPages(pending.takeNext, { budget_bytes: Math.min(o.stream_chunk, limit.budget - limit.used), tag: 'memory' });
        if (sent === null) return;
        limit.used += sent.bytes;
        yield sent.transfer.drained;
      }
    })(),
  );
  // The source's return path: each request is served when it arrives, independently of the others.
  const serve = function* (page: number): Generator<Yieldable, void, any> {
    yield ctx.sendBytes(o.request_bytes, { back: true, tag: 'postcopy-request' }).done;
    if (!pending.has(page)) return; // sent already (on its way, or taken by the stream meanwhile)
    if (limit.spent) queued.push(page);
    else sendRequested(page);
  };
  while (faults.complete.state === 'pending') {
    const first = yield ctx.anyOf([faults.next(), faults.complete]);
    if (first === faults.complete) break;
    ctx.spawn(serve((first as { value: number }).value));
  }
}

/**
 * The post-copy phase on the counted memory model (vm.model: counted): the same device state,
 * resume, background stream in chunks and request per fault as postcopyPhase, through the counted
 * verbs. Without pre-paging and the post-copy rate limit, which checkCountedPostcopy refuses there.
 */
export function* countedPostcopyPhase(ctx: MigrationContext, o: PostcopyOptions, pending: PendingPages, inflight: InFlight, round: number): Generator<Yieldable, void, any> {
  inflight.add(ctx.sendBytes(o.device_state, { tag: 'device-state' }));
  yield* inflight.all(ctx);
  if ((o.start_time ?? 0) > 0) yield o.start_time!;
  ctx.resume();
  ctx.mark('round', round);
  const faults = ctx.countedFaults();
  ctx.spawn(
    (function* () {
      while (pending.count > 0) {
        const sent = pending.stream(ctx, { budget_bytes: o.stream_chunk, tag: 'memory' });
        if (sent === null) return;
        yield sent.transfer.drained;
      }
    })(),
  );
  const serve = function* (fault: CountedFault): Generator<Yieldable, void, any> {
    yield ctx.sendBytes(o.request_bytes, { back: true, tag: 'postcopy-request' }).done;
    ctx.serveFault(fault, { tag: 'memory', priority: URGENT, follow: o.background_follows_faults });
  };
  while (faults.complete.state === 'pending') {
    const first = yield ctx.anyOf([faults.next(), faults.complete]);
    if (first === faults.complete) break;
    ctx.spawn(serve((first as { value: CountedFault }).value));
  }
}

/** On vm.model: counted, pre-paging (page neighbours) and the post-copy rate limit are not modelled. */
export function checkCountedPostcopy(o: { prepage_pages: number; max_postcopy_bandwidth: number }, facts: ScenarioFacts): OptionProblem[] {
  if (facts.memory_model !== 'counted') return [];
  const out: OptionProblem[] = [];
  if (o.prepage_pages > 0) out.push({ path: 'prepage_pages', field: 'vm.model', message: messages.countedPolicy('postcopy (prepage_pages > 0)', 'sends the neighbours of a faulted page') });
  if (o.max_postcopy_bandwidth > 0) out.push({ path: 'max_postcopy_bandwidth', field: 'vm.model', message: messages.countedPolicy('postcopy (max_postcopy_bandwidth)', 'queues requested pages by identity') });
  if (facts.sequential_writes === true) out.push({ path: 'vm.model', field: 'vm.model', message: messages.countedSequentialFaults() });
  return out;
}
