// The live-migration part of the scenario language: one VM, its source and destination hosts, the
// link between them. Every quantity carries a unit.
import { z } from 'zod';
import { duration } from '../../fields.js';
import { Common, HostSchema, LinkSchema } from '../../../scenarios/schema-common.js';
import { ModelledVm } from '../shared/vm-schema.js';

export const MigrationScenario = z.strictObject({
  kind: z.literal('migration'),
  ...Common,
  sample_interval: duration('least spacing of the remaining-bytes time series (remaining.csv)').prefault('100ms'),
  link: LinkSchema,
  vm: ModelledVm,
  source: HostSchema.prefault({}),
  destination: HostSchema.prefault({}),
});

export type MigrationScenarioT = z.output<typeof MigrationScenario>;
