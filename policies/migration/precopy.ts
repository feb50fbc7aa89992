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
// Each rule set takes its own options (and the switch-over fields all share); an option of another
// rule set is refused.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { QemuFields, qemuPrecopy } from '../shared/qemu-precopy.js';
import { XenFields, xenPrecopy } from '../shared/xen-precopy.js';
import { StartFields, SwitchoverFields } from '../shared/rounds.js';
import { checkCounted, checkXbzrle } from '../shared/checks.js';
import { SimgridFields, simgridPrecopy } from '../shared/simgrid-precopy.js';
import { ruleSet } from '../shared/rule-sets.js';

const RULES = 'whose pre-copy rules to follow';
const Common = { ...StartFields, ...SwitchoverFields };
const All = { qemu: QemuFields, xen: XenFields, simgrid: SimgridFields };

const Options = z.discriminatedUnion('rules', [
  ruleSet('qemu', RULES, Common, QemuFields, All, true),
  ruleSet('xen', RULES, Common, XenFields, All),
  ruleSet('simgrid', RULES, Common, SimgridFields, All),
]);

export const precopy: TransferPolicy<'migration', z.output<typeof Options>> = {
  name: 'precopy',
  summary: 'pre-copy live migration under QEMU (rules: qemu), Xen (rules: xen) or SimGrid (rules: simgrid) rules, then a short stop-and-copy',
  kind: 'migration',
  options: Options,
  counted: true,
  check: (opts, facts) => [...(opts.rules === 'qemu' ? checkXbzrle(opts, facts) : []), ...checkCounted(opts, facts)],
  *plan(ctx, opts) {
    if (opts.rules === 'xen') yield* xenPrecopy(ctx, opts);
    else if (opts.rules === 'simgrid') yield* simgridPrecopy(ctx, opts);
    else yield* qemuPrecopy(ctx, opts);
  },
};
