// The migration kind's context as other kinds and its driver use it: the context on the VM's memory
// model (pages: page-context.ts; counts: counted-context.ts, which builds on the per-page one's
// parts), and what the driver reads of a context after its plan. Other kinds import only this file.
import type { World } from '../../world/index.js';
import type { MigrationContext } from './contract.js';
import { countedMigrationContext } from './counted-context.js';
import { migrationContext, type ContextHooks, type MigrationSetup } from './page-context.js';

export { guestSide, pagesToSend, type ContextHooks, type GuestSide, type MigrationSetup } from './page-context.js';

/** The context on the VM's memory model: counts (counted-context.ts) or pages (page-context.ts). */
export function modelContext(world: World, setup: MigrationSetup, hooks: ContextHooks = {}): MigrationContext {
  return (world.vm(setup.vm).counted !== null ? countedMigrationContext : migrationContext)(world, setup, hooks);
}
