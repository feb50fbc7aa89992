// The scenario language. The zod schema is the single source: the Scenario type is inferred from
// it and scenario.schema.json is generated from it (`vmsim schema`). Validated scenarios keep the
// input's field names with numbers in base units (bytes, bit/s, bytes/s, s, fractions).
import { z } from 'zod';
import { duration } from '../sim/fields.js';
import { Common, HostSchema, LinkSchema, VmSchema } from './schema-common.js';
import { IsrSection, checkIsr } from './isr-schema.js';
import { SynthesisSection, checkOverlay } from './synthesis-schema.js';
import { VdiSection, checkVdi } from './vdi-schema.js';
import { ForkSection, checkFork } from './fork-schema.js';

export { LinkSchema, HostSchema, VmSchema, type LinkParams, type HostParams, type VmParams } from './schema-common.js';

export const MigrationScenario = z.strictObject({
  kind: z.literal('migration'),
  ...Common,
  sample_interval: duration('least spacing of the remaining-bytes time series (remaining.csv)').prefault('100ms'),
  link: LinkSchema,
  vm: VmSchema,
  source: HostSchema.prefault({}),
  destination: HostSchema.prefault({}),
});

export const IsrScenario = z
  .strictObject({
    kind: z.literal('isr'),
    ...Common,
    ...IsrSection,
  })
  .superRefine((s, ctx) => checkIsr(s, (path, input, message) => ctx.issues.push({ code: 'custom', path, input, message })));

export const SynthesisScenario = z
  .strictObject({
    kind: z.literal('synthesis'),
    ...Common,
    ...SynthesisSection,
  })
  .superRefine((s, ctx) => checkOverlay(s, (path, input, message) => ctx.issues.push({ code: 'custom', path, input, message })));

export const VdiScenario = z
  .strictObject({
    kind: z.literal('vdi'),
    ...Common,
    ...VdiSection,
  })
  .superRefine((s, ctx) => checkVdi(s, (path, input, message) => ctx.issues.push({ code: 'custom', path, input, message })));

export const ForkScenario = z
  .strictObject({
    kind: z.literal('fork'),
    ...Common,
    ...ForkSection,
  })
  .superRefine((s, ctx) => checkFork(s, (path, input, message) => ctx.issues.push({ code: 'custom', path, input, message })));

export const ScenarioSchema = z.discriminatedUnion('kind', [MigrationScenario, IsrScenario, SynthesisScenario, VdiScenario, ForkScenario]);
export type Scenario = z.output<typeof ScenarioSchema>;
export type MigrationScenarioT = z.output<typeof MigrationScenario>;
export type IsrScenarioT = z.output<typeof IsrScenario>;
export type SynthesisScenarioT = z.output<typeof SynthesisScenario>;
export type VdiScenarioT = z.output<typeof VdiScenario>;
export type ForkScenarioT = z.output<typeof ForkScenario>;
export type ScenarioKind = Scenario['kind'];
