// Stop-and-copy: stop the VM, send all of memory and the device state, start it at the destination.
// Downtime equals total time; the baseline every live-migration scheme is measured against.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { bytes, duration } from '../../sim/fields.js';
import { pendingSet, SwitchoverFields } from '../shared/rounds.js';

const Options = z.strictObject({
  setup: duration('time before the VM stops (connection and state set-up; QEMU reports it as setup-time)', { allowZero: true }).prefault('0ms'),
  device_state: bytes('CPU and device state sent after memory', { allowZero: true }).prefault('0B'),
  ...SwitchoverFields,
});

export const stopAndCopy: TransferPolicy<'migration', z.output<typeof Options>> = {
  name: 'stop-and-copy',
  summary: 'suspend, send all memory and device state, resume at the destination',
  kind: 'migration',
  options: Options,
  counted: true,
  *plan(ctx, opts) {
    if (opts.setup > 0) yield opts.setup;
    ctx.mark('setup-done');
    ctx.suspend();
    if (opts.stop_time > 0) yield opts.stop_time;
    ctx.mark('round', 1);
    // The device state follows memory down the same stream, as in pre-copy's stopped round: it goes
    // once memory has left, not once memory has arrived, so the link's latency is paid once.
    // On the counted model every page is in the to-send set at first: one stream of all of them.
    const memory = ctx.model === 'counted' ? pendingSet(ctx).stream(ctx, { tag: 'memory' })!.transfer : ctx.sendPages(ctx.vm.memory.all(), { tag: 'memory' });
    if (opts.device_state > 0) {
      yield memory.drained;
      yield ctx.allOf([memory.done, ctx.sendBytes(opts.device_state, { tag: 'device-state' }).done]);
    } else yield memory.done;
    if (opts.start_time > 0) yield opts.start_time;
    ctx.resume();
  },
};
