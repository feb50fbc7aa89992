// Xen's pre-copy (Clark et al., "Live Migration of Virtual Machines", NSDI 2005, §5; the save loop
// of tools/libxc/xc_domain_save.c), used by `precopy` with rules: xen.
//   - Round 1 sends every page; each later round sends the pages the previous round's dirty log
//     (XEN_DOMCTL_SHADOW_OP_CLEAN) caught.
//   - Pages go in batches (MAX_BATCH_SIZE); before each batch the current dirty log is peeked
//     (SHADOW_OP_PEEK) and pages dirtied again during this round are skipped: they will be sent in
//     the next round anyway (to_skip).
//   - Rate limit (ADAPTIVE_SAVE): the first round at START_MBIT_RATE; each later round at the
//     previous round's dirtying rate + 50 Mbit/s, capped at MAX_MBIT_RATE (Clark et al. §5.1;
//     xen_rate_rule: paper). xc_domain_save's print_stats only ever raises it, when the dirtying
//     rate exceeded the current rate (xen_rate_rule: xc).
//   - Stop iterating when a round sent more than the one before at the maximum rate, after
//     max_iters rounds, when fewer than 50 pages were sent or skipped, or when more than
//     max_factor x memory has been sent; then suspend and send everything left without a rate limit.
// Each batch carries a 4-byte count and an 8-byte pfn_type entry per page, then the pages in full
// (no zero-page detection in this loop).
// xc's ratewrite() spends a 100 KiB burst per RATE_TO_BTU / rate microseconds, so its "Mbit" is 2^20
// bits (4.9% more than the decimal figure these options take); set e.g. 104.8576Mbit/s to match.
import { z } from 'zod';
import type { Yieldable } from '../../sim/engine/index.js';
import type { MigrationContext } from '../../sim/kinds/migration/contract.js';
import { bitRate, type FieldsOutput } from '../../sim/fields.js';
import { finishStopped, InFlight, PageBitmap, type StartOptions, type SwitchoverCosts } from './rounds.js';

export const XenFields = {
  xen_rate_limit: z.boolean().default(true).describe('Xen dynamic rate limiting (xc_domain_save.c ADAPTIVE_SAVE; Clark et al. §5.1)'),
  xen_start_rate: bitRate('rate of the first round (xc_domain_save.c START_MBIT_RATE = 100)').prefault('100Mbit/s'),
  xen_max_rate: bitRate('highest rate (xc_domain_save.c MAX_MBIT_RATE = 500)').prefault('500Mbit/s'),
  xen_rate_increment: bitRate('added to the dirtying rate for the next round (Clark et al. §5.1; xc_domain_save.c print_stats: + 50)').prefault('50Mbit/s'),
  xen_rate_rule: z.enum(['paper', 'xc']).default('paper').describe('paper: next rate = dirtying rate + increment (Clark et al.); xc: raised that way only when the dirtying rate exceeded the rate (xc_domain_save.c)'),
  xen_max_iters: z.number().int().min(1).default(29).describe('live rounds before the last one (xc_domain_save.c DEF_MAX_ITERS = 29: "limit us to 30 times round loop")'),
  xen_max_factor: z.number().positive().default(3).describe('stop once more than this times memory has been sent (DEF_MAX_FACTOR = 3)'),
  xen_min_pages: z.number().int().min(0).default(50).describe('stop when a round sent and skipped fewer pages than this (xc_domain_save.c: sent_this_iter + skip_this_iter < 50)'),
  xen_batch_pages: z.number().int().min(1).default(1024).describe('pages per batch (xg_save_restore.h MAX_BATCH_SIZE = 1024)'),
};

export type XenOptions = FieldsOutput<typeof XenFields> & StartOptions & SwitchoverCosts;

/** sizeof(unsigned int) batch count; sizeof(unsigned long) pfn_type entry on x86-64. */
const BATCH_COUNT_BYTES = 4;
const PFN_TYPE_BYTES = 8;

export function* xenPrecopy(ctx: MigrationContext, o: XenOptions): Generator<Yieldable, void, any> {
  const mem = ctx.vm.memory;
  const n = mem.count;
  const format = { header_bytes: PFN_TYPE_BYTES, zero_pages: false, batch_header_bytes: BATCH_COUNT_BYTES };
  if (o.setup > 0) yield o.setup;
  ctx.takeDirty(); // XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY
  ctx.mark('setup-done');
  const toSend = new PageBitmap(n);
  toSend.setAll();
  const inflight = new InFlight();
  let rate = o.xen_start_rate;
  let sentLast = n; // "pretend we sent all the pages last iteration"
  let totalSent = 0;
  for (let iter = 1; ; iter++) {
    const roundStart = ctx.now;
    ctx.mark('round', iter);
    let sentThis = 0;
    let skipThis = 0;
    let scan = 0;
    while (scan < n) {
      const skip = ctx.peekDirty();
      let taken = 0;
      const next = (): number => {
        while (scan < n && taken < o.xen_batch_pages) {
          const i = scan++;
          if (toSend.bits[i] === 0) continue;
          if (skip[i] === 1) {
            skipThis++;
            continue;
          }
          taken++;
          return i;
        }
        return -1;
      };
      const sent = ctx.streamPages(next, { ...format, max_pages: o.xen_batch_pages, tag: 'memory', cap_bps: o.xen_rate_limit ? rate : undefined });
      if (sent === null) continue;
      inflight.add(sent.transfer);
      sentThis += sent.pages;
      yield sent.transfer.drained;
    }
    totalSent += sentThis;
    const last =
      (o.xen_rate_limit && rate >= o.xen_max_rate && sentThis > sentLast) ||
      iter >= o.xen_max_iters ||
      sentThis + skipThis < o.xen_min_pages ||
      totalSent > n * o.xen_max_factor;
    if (last) {
      toSend.clearAll(); // the last CLEAN, after the suspend, fills it
      yield* finishStopped(ctx, toSend, inflight, { round: iter + 1, device_state: o.device_state, format, stop_time: o.stop_time, start_time: o.start_time });
      return;
    }
    const dirty = ctx.takeDirty(); // XEN_DOMCTL_SHADOW_OP_CLEAN into to_send
    toSend.clearAll();
    toSend.add(dirty);
    sentLast = sentThis;
    const elapsed = ctx.now - roundStart;
    const dirtyRate = elapsed > 0 ? (dirty.length * mem.unitBytes * 8) / elapsed : 0;
    if (o.xen_rate_limit && (o.xen_rate_rule === 'paper' || dirtyRate > rate)) rate = Math.min(dirtyRate + o.xen_rate_increment, o.xen_max_rate);
  }
}
