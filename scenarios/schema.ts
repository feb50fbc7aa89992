// The scenario language. The zod schema is the single source: the Scenario type is inferred from
// it and scenario.schema.json is generated from it (`vmsim schema`). Validated scenarios keep the
// input's field names with numbers in base units (bytes, bit/s, bytes/s, s, fractions). Each kind's
// part is its folder's schema.ts (sim/kinds/<kind>/); the registry lists them.
import { z } from 'zod';
import { KINDS } from '../sim/kinds/index.js';

export { LinkSchema, HostSchema, VmSchema, type LinkParams, type HostParams, type VmParams } from './schema-common.js';

/** The schemas of a tuple of kinds, as a tuple. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: T[I] extends { schema: infer S } ? S : never };

export const ScenarioSchema = z.discriminatedUnion('kind', KINDS.map((k) => k.schema) as unknown as SchemasOf<typeof KINDS>);
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioKind = Scenario['kind'];
