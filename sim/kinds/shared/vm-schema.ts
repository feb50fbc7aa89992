// The VM of the kinds that migrate it live (migration, vdi): the scenario language's VM, plus what
// dirty logging costs its guest (docs/models.md, "The guest's cost").
import { duration } from '../../fields.js';
import { VmSchema } from '../../../scenarios/schema-common.js';

/** The VM, plus what dirty logging costs it (for the kinds that migrate it live: migration, vdi). */
export const MigratingVm = VmSchema.safeExtend({
  dirty_tracking_cost: duration(
    "guest time each page write costs while the dirty log is on (pre-copy: write-protection faults or PML flushes, e.g. '2us'); counted in tracking_lost_s and guest_lost_s, not fed back into the workload; 0 = free",
    { allowZero: true },
  ).prefault('0s'),
});
