// Post-copy live migration (Hines and Gopalan, VEE 2009; QEMU postcopy-ram): stop the VM, send only
// its CPU and device state, start it at the destination, then stream memory in the background while
// each access to a page not there yet faults it over the network ahead of the stream. Downtime does
// not depend on memory size; every page crosses the link once. See policies/shared/postcopy.ts.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { bytes, duration } from '../../sim/fields.js';
import { PostcopyFields, checkCountedPostcopy, countedPostcopyPhase, postcopyPhase } from '../shared/postcopy.js';
import { QemuFields } from '../shared/qemu-precopy.js';
import { bitmapOf, InFlight, pendingSet, SwitchoverFields } from '../shared/rounds.js';

const Options = z.strictObject({
  setup: duration('time before the VM stops (QEMU setup-time)', { allowZero: true }).prefault('0ms'),
  device_state: bytes('CPU and device state sent while the VM is stopped', { allowZero: true }).prefault('0B'),
  rate_window: QemuFields.rate_window,
  ...SwitchoverFields,
  ...PostcopyFields,
});

export const postcopy: TransferPolicy<'migration', z.output<typeof Options>> = {
  name: 'postcopy',
  summary: 'stop, send device state, resume at the destination; stream memory while faults fetch pages first',
  kind: 'migration',
  options: Options,
  counted: true,
  check: (opts, facts) => checkCountedPostcopy(opts, facts),
  *plan(ctx, opts) {
    if (opts.setup > 0) yield opts.setup;
    ctx.mark('setup-done');
    const pending = pendingSet(ctx);
    pending.setAll();
    ctx.suspend();
    if (opts.stop_time > 0) yield opts.stop_time;
    ctx.mark('round', 1);
    if (ctx.model === 'counted') yield* countedPostcopyPhase(ctx, opts, pending, new InFlight(), 2);
    else yield* postcopyPhase(ctx, opts, bitmapOf(pending), new InFlight(), 2);
  },
};
