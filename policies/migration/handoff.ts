// Agile VM handoff for edge computing (Ha et al., "You can teach elephants to dance: agile VM handoff
// for edge computing", SEC 2017): the loop and its options live in policies/shared/handoff.ts.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { HandoffFields, handoffMigration, type HandoffOpts } from '../shared/handoff.js';

export const handoff: TransferPolicy<'migration', HandoffOpts> = {
  name: 'handoff',
  summary: 'agile VM handoff (Ha et al. SEC 2017): dedup, delta and adaptive compression against a base image, iterated',
  kind: 'migration',
  options: z.strictObject(HandoffFields),
  plan: handoffMigration,
};
