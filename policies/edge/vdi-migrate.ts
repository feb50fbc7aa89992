// EdgeVDI strategy (c), migrate: on each arrival the user keeps interacting with the VM remotely
// while it live-migrates to the cloudlet the user is attached to, by the same loops as the `precopy`
// and `handoff` policies (policies/shared: QEMU's or Xen's pre-copy rules, or agile VM handoff, with
// their options and defaults); at
// the switch-over the VM stops (the downtime) and then runs next to the user, so interactions fall
// to LAN latency. An arrival during a migration is followed once that migration ends.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { QemuFields, qemuPrecopy } from '../shared/qemu-precopy.js';
import { XenFields, xenPrecopy } from '../shared/xen-precopy.js';
import { HandoffFields, handoffMigration } from '../shared/handoff.js';
import { StartFields } from '../shared/rounds.js';
import { checkXbzrle } from '../shared/checks.js';
import { ruleSet } from '../shared/rule-sets.js';

// Handoff's own fields; setup and device_state are shared with pre-copy.
const { setup: _setup, device_state: _deviceState, ...HandoffOnly } = HandoffFields;

const RULES = "how the VM moves: QEMU's or Xen's pre-copy rules, or agile VM handoff";
const All = { qemu: QemuFields, xen: XenFields, handoff: HandoffOnly };

const Options = z.discriminatedUnion('rules', [
  ruleSet('qemu', RULES, StartFields, QemuFields, All, true),
  ruleSet('xen', RULES, StartFields, XenFields, All),
  ruleSet('handoff', RULES, StartFields, HandoffOnly, All),
]);

export const vdiMigrate: TransferPolicy<'vdi', z.output<typeof Options>> = {
  name: 'vdi-migrate',
  summary: 'EdgeVDI (c): interact remotely while the VM pre-copies to the new cloudlet, then switch over',
  kind: 'vdi',
  options: Options,
  check: (opts, facts) => (opts.rules === 'qemu' ? checkXbzrle(opts, facts) : []),
  *plan(ctx, opts) {
    while ((yield ctx.nextArrival()) !== null) {
      const to = ctx.userAt;
      if (to === ctx.vm.site) continue;
      const m = ctx.migration(to);
      if (opts.rules === 'xen') yield* xenPrecopy(m, opts);
      else if (opts.rules === 'handoff') yield* handoffMigration(m, opts);
      else yield* qemuPrecopy(m, opts);
    }
  },
};
