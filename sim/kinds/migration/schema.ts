// The live-migration part of the scenario language: one VM, its source and destination hosts, the
// link between them. Every quantity carries a unit.
import { z } from 'zod';
import { duration } from '../../fields.js';
import { Common, HostSchema, LinkSchema, VmSchema } from '../../../scenarios/schema-common.js';

/** The VM, plus what dirty logging costs it (for the kinds that migrate it live: migration, vdi). */
export const MigratingVm = VmSchema.safeExtend({
  dirty_tracking_cost: duration(
    "guest time each page write costs while the dirty log is on (pre-copy: write-protection faults or PML flushes, e.g. '2us'); counted in tracking_lost_s and guest_lost_s, not fed back into the workload; 0 = free",
    { allowZero: true },
  ).prefault('0s'),
});

export const MigrationScenario = z.strictObject({
  kind: z.literal('migration'),
  ...Common,
  sample_interval: duration('least spacing of the remaining-bytes time series (remaining.csv)').prefault('100ms'),
  link: LinkSchema,
  vm: MigratingVm,
  source: HostSchema.prefault({}),
  destination: HostSchema.prefault({}),
});

export type MigrationScenarioT = z.output<typeof MigrationScenario>;
