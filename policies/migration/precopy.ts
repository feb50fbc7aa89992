// Pre-copy live migration: copy memory while the VM runs, then copy what it dirtied, round after
// round, and stop it only for the last, small round. Three rule sets, each a faithful model of a real
// system so a user can mirror their settings:
//   rules: qemu  QEMU/KVM's migration thread (policies/shared/qemu-precopy.ts: byte budget per
//                100 ms window from max-bandwidth, measured bandwidth x downtime-limit as the
//                switch-over threshold, a dirty sync only when the stale estimate falls below it,
//                optional auto-converge and XBZRLE; a deadline reports non-convergence);
//   rules: xen   Xen's save loop after Clark et al. NSDI'05 (policies/shared/xen-precopy.ts: rate
//                100 -> dirtying rate + 50 Mbit/s up to 500, pages re-dirtied during a round
//                skipped, stop after 30 rounds, < 50 pages, 3x memory sent, or a growing round at
//                the maximum rate);
//   rules: simgrid  SimGrid's VM migration plugin (policies/shared/simgrid-precopy.ts: the whole RAM,
//                then the bytes dirtied during each message, counted as bytes (min(working set,
//                dirty rate x time)), until they fit measured bandwidth x max_downtime (30 ms)).
// Options of the rule set not chosen are ignored.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { bytes, duration } from '../../sim/fields.js';
import { QemuFields, qemuPrecopy } from '../shared/qemu-precopy.js';
import { XenFields, xenPrecopy } from '../shared/xen-precopy.js';
import { SwitchoverFields } from '../shared/rounds.js';
import { checkXbzrle } from '../shared/checks.js';
import { SimgridFields, simgridPrecopy } from '../shared/simgrid-precopy.js';

const Options = z.strictObject({
  rules: z.enum(['qemu', 'xen', 'simgrid']).default('qemu').describe('whose pre-copy rules to follow'),
  setup: duration('time before the first page is sent (QEMU setup-time)', { allowZero: true }).prefault('0ms'),
  device_state: bytes('CPU and device state sent in the stopped round', { allowZero: true }).prefault('0B'),
  ...SwitchoverFields,
  ...QemuFields,
  ...XenFields,
  ...SimgridFields,
});

export const precopy: TransferPolicy<'migration', z.output<typeof Options>> = {
  name: 'precopy',
  summary: 'pre-copy live migration under QEMU (rules: qemu), Xen (rules: xen) or SimGrid (rules: simgrid) rules, then a short stop-and-copy',
  kind: 'migration',
  options: Options,
  check: (opts, facts) => checkXbzrle(opts, facts),
  *plan(ctx, opts) {
    if (opts.rules === 'xen') yield* xenPrecopy(ctx, opts);
    else if (opts.rules === 'simgrid') yield* simgridPrecopy(ctx, opts);
    else yield* qemuPrecopy(ctx, opts);
  },
};
