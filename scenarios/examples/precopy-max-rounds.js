// @ts-check
// Pre-copy that gives up iterating after N rounds: copy all memory while the VM runs, then what it
// dirtied meanwhile, round after round; after `max_rounds` live rounds (or once a round leaves less
// than `stop_below` to send) stop the VM and send the rest. A VM that dirties memory faster than the
// link drains it never converges under QEMU's rules; this one always ends, paying in downtime.
// Run it: vmsim run scenarios/examples/precopy-max-rounds.yaml (docs/policies.md).
import { definePolicy, z, bytes } from 'vmsim';

export default definePolicy({
  name: 'precopy-max-rounds',
  summary: 'pre-copy that stops the VM after at most max_rounds live rounds',
  kind: 'migration',
  options: z.strictObject({
    max_rounds: z.number().int().min(1).default(5).describe('live rounds before the VM is stopped'),
    stop_below: bytes('stop early once the pages left to send are fewer bytes than this', { allowZero: true }).prefault('0B'),
    device_state: bytes('CPU and device state sent while the VM is stopped', { allowZero: true }).prefault('0B'),
  }),
  *plan(ctx, opts) {
    const pageBytes = ctx.vm.memory.unitBytes;
    ctx.takeDirty(); // the set-up sync: from now on every write is tracked
    ctx.mark('setup-done');
    let pages = ctx.vm.memory.all();
    for (let round = 1; round <= opts.max_rounds; round++) {
      ctx.mark('round', round);
      yield ctx.sendPages(pages, { tag: 'memory' }).done;
      pages = ctx.takeDirty(); // what the VM wrote while this round was on the wire
      if (pages.length * pageBytes < opts.stop_below) break;
    }
    // The stopped round: nothing is written any more, so this is the last of it.
    ctx.suspend();
    ctx.mark('round', opts.max_rounds + 1);
    yield ctx.sendPages(pages, { tag: 'memory' }).done;
    if (opts.device_state > 0) yield ctx.sendBytes(opts.device_state, { tag: 'device-state' }).done;
    ctx.resume();
  },
});
