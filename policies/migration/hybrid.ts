// Hybrid migration: QEMU pre-copy rounds first (warming the destination with most of memory), then
// a switch to post-copy (QEMU migrate-start-postcopy): stop, final dirty sync, device state, resume
// at the destination, and the pages still pending stream in or fault in. If pre-copy converges
// before the switch it simply completes, as QEMU does.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { bytes, duration } from '../../sim/fields.js';
import { QemuFields, qemuPrecopy } from '../shared/qemu-precopy.js';
import { PostcopyFields, postcopyPhase } from '../shared/postcopy.js';
import { bitmapOf, SwitchoverFields } from '../shared/rounds.js';
import { checkXbzrle } from '../shared/checks.js';

const Options = z.strictObject({
  setup: duration('time before the first page is sent (QEMU setup-time)', { allowZero: true }).prefault('0ms'),
  device_state: bytes('CPU and device state sent while the VM is stopped', { allowZero: true }).prefault('0B'),
  precopy_rounds: z.number().int().min(0).default(1).describe('pre-copy rounds (dirty syncs after set-up) before switching to post-copy'),
  precopy_time: duration('switch to post-copy once pre-copy has run this long, if sooner (0 = no time limit)', { allowZero: true }).prefault('0s'),
  ...QemuFields,
  ...SwitchoverFields,
  ...PostcopyFields,
});

export const hybrid: TransferPolicy<'migration', z.output<typeof Options>> = {
  name: 'hybrid',
  summary: 'QEMU pre-copy for N rounds (or a time), then switch to post-copy',
  kind: 'migration',
  options: Options,
  check: (opts, facts) => checkXbzrle(opts, facts),
  *plan(ctx, opts) {
    const start = ctx.now;
    const { outcome, state } = yield* qemuPrecopy(ctx, opts, (s) => s.syncs - 1 >= opts.precopy_rounds || (opts.precopy_time > 0 && ctx.now - start >= opts.precopy_time));
    if (outcome !== 'handover') return;
    ctx.mark('postcopy-start');
    ctx.suspend();
    if (opts.stop_time > 0) yield opts.stop_time;
    // postcopy_start: the last sync, then the discard bitmap, the device state and the switch.
    const pending = bitmapOf(state.pending);
    pending.add(ctx.takeDirty());
    ctx.mark('round', state.syncs + 1);
    yield* postcopyPhase(ctx, opts, pending, state.inflight, state.syncs + 2);
  },
};
