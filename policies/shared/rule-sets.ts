// Options discriminated by `rules`: a policy that follows one of several systems' rules (pre-copy
// under QEMU, Xen or SimGrid) takes the options of the rule set chosen and refuses the others', so
// `--set options.downtime_limit=50ms` under rules: simgrid is an error naming the field and both rule
// sets, not a setting silently ignored. Field lookups (sim/fields.ts schemaAt, unitAt) see through the
// union to the branch of the options' `rules`, so a sweep applies such an option to the variants whose
// rule set has it.
import { z } from 'zod';
import { messages } from '../../sim/errors.js';

type Shapes = Record<string, z.ZodRawShape>;

/**
 * One branch: `rules: NAME` (the default when `isDefault`), the fields every rule set takes, and this
 * rule set's own. A key of another rule set is refused naming both; any other unknown key is refused
 * as a strict object does (so the message offers the closest field).
 */
export function ruleSet<const N extends string, C extends z.ZodRawShape, S extends z.ZodRawShape>(
  name: N,
  describe: string,
  common: C,
  own: S,
  all: Shapes,
  isDefault = false,
) {
  const literal = z.literal(name);
  const rules = (isDefault ? literal.default(name) : literal).describe(describe);
  const shape = { rules, ...common, ...own };
  // Loose so the refinement sees the extra keys; the JSON Schema stays closed like a strict object's.
  return z
    .looseObject(shape)
    .superRefine((o, ctx) => {
      for (const key of Object.keys(o)) {
        if (Object.hasOwn(shape, key)) continue;
        const other = Object.keys(all).find((r) => Object.hasOwn(all[r], key));
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: messages.optionOfOtherRules(other, name), input: o[key] });
        else ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: o });
      }
    })
    .meta({ additionalProperties: false });
}
