// What the cluster scheduling policies share: the migration each migration runs (a built-in
// migration-kind policy by name, with its options, checked like a scenario's), and the orders a
// scheduler takes the pending migrations in.
import { z } from 'zod';
import { InputError, messages } from '../../sim/errors.js';
import type { OptionProblem, ScenarioFacts, TransferPolicy } from '../../sim/policy.js';
import type { ClusterContext, MigrationRun, PendingMigration } from '../../sim/kinds/cluster/contract.js';
import { stopAndCopy } from '../migration/stop-and-copy.js';
import { precopy } from '../migration/precopy.js';
import { postcopy } from '../migration/postcopy.js';
import { hybrid } from '../migration/hybrid.js';
import { handoff } from '../migration/handoff.js';

/** The migration policies a cluster migration can run. */
export const MIGRATION_POLICIES: readonly TransferPolicy<'migration'>[] = [stopAndCopy, precopy, postcopy, hybrid, handoff];

const find = (name: string) => MIGRATION_POLICIES.find((p) => p.name === name);
const names = () => MIGRATION_POLICIES.map((p) => p.name);

/** A migration policy with its options, each problem an issue at its field. */
export const MigrationChoice = z
  .strictObject({
    policy: z.string().describe(`the migration policy: ${MIGRATION_POLICIES.map((p) => p.name).join(', ')}`),
    options: z.record(z.string(), z.unknown()).default({}).describe("the migration policy's options"),
  })
  .superRefine((c, ctx) => {
    const p = find(c.policy);
    if (p === undefined) {
      ctx.issues.push({ code: 'custom', path: ['policy'], input: c.policy, message: messages.clusterUnknownMigrationPolicy(c.policy, names()) });
      return;
    }
    const r = p.options.safeParse(c.options);
    if (!r.success) for (const i of r.error.issues) ctx.issues.push({ code: 'custom', path: ['options', ...i.path], input: undefined, message: i.message });
  })
  .describe("the migration policy each migration runs, with its options (default: the scenario's migration)");

/** The plan of each migration: `choice` resolved and its options parsed (`where` names its field in errors). */
export function migrationRun(choice: { policy: string; options: Record<string, unknown> }, where: string): MigrationRun {
  const p = find(choice.policy);
  if (p === undefined) throw new InputError(messages.inField(undefined, `${where}.policy`, messages.clusterUnknownMigrationPolicy(choice.policy, names())), { path: `${where}.policy` });
  const r = p.options.safeParse(choice.options);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new InputError(messages.inField(undefined, [where, 'options', ...i.path].join('.'), i.message), { path: `${where}.options` });
  }
  const opts: unknown = r.data;
  return { policy: p.name, plan: (ctx) => p.plan(ctx, opts) };
}

/**
 * A scheduler's check, before any run: the scenario's migration (`migration:`) when the options name
 * none, and that the migration runs on the counted model when a VM template is counted (the
 * cluster's default): the policy supports it (`counted: true`) and its own check passes there.
 */
export function checkMigration(opts: { migration?: { policy: string; options: Record<string, unknown> } }, facts: ScenarioFacts): OptionProblem[] {
  const own = opts.migration !== undefined;
  const choice = own ? opts.migration : facts.migration;
  if (choice === undefined) return [];
  const where = own ? 'options.migration' : 'migration';
  if (!own) {
    const r = MigrationChoice.safeParse(choice);
    if (!r.success) return r.error.issues.map((i) => ({ path: '', field: ['migration', ...i.path].join('.'), message: i.message }));
  }
  return countedProblems(choice, facts.counted_template, facts.page_bytes, where);
}

/** Problems of a valid migration choice on the counted model of VM template `template` (none if undefined). */
function countedProblems(choice: { policy: string; options: Record<string, unknown> }, template: number | undefined, page_bytes: number | undefined, where: string): OptionProblem[] {
  const p = find(choice.policy);
  if (template === undefined || p === undefined) return [];
  if (p.counted !== true) return [{ path: '', field: `${where}.policy`, message: messages.clusterCountedPolicy(p.name, template) }];
  const parsed = p.options.safeParse(choice.options);
  if (!parsed.success) return [];
  const problems = p.check?.(parsed.data, { kind: 'migration', page_bytes, memory_model: 'counted' }) ?? [];
  return problems.map((q) => ({ path: '', field: `${where}.options.${q.path}`, message: messages.clusterCountedOption(q.message, template) }));
}

export const ORDERS = ['as-given', 'smallest-first', 'largest-first', 'least-dirty-first', 'most-loaded-link-first'] as const;
export type Order = (typeof ORDERS)[number];

/** The options every scheduler takes. */
export const SchedulerFields = {
  order: z
    .enum(ORDERS)
    .default('as-given')
    .describe('which migrations go first: the operation\'s order, smallest or largest memory, lowest dirty rate, or those whose most loaded link (memory of all migrations crossing it) carries most'),
  migration: MigrationChoice.optional(),
};

/** The migration each migration runs: the scheduler's option, else the scenario's. */
export function runOf(opts: { migration?: { policy: string; options: Record<string, unknown> } }, scenario: { policy: string; options: Record<string, unknown> }): MigrationRun {
  return opts.migration !== undefined ? migrationRun(opts.migration, 'options.migration') : migrationRun(scenario, 'migration');
}

/**
 * Where in `queue` the next migration to start is: the first that `may` start (a scheduler's limits)
 * and whose destination has room now; -1 if none. Starting one without room would hold a scheduler's
 * slot while it waits for a migration that slot may be needed for.
 */
export function nextToStart(ctx: ClusterContext, queue: readonly PendingMigration[], may: (m: PendingMigration) => boolean = () => true): number {
  return queue.findIndex((m) => m.at_s <= ctx.now && may(m) && ctx.hasRoom(m));
}

/** The pending migrations in this order (ties keep the operation's order). */
export function inOrder(pending: readonly PendingMigration[], order: Order): PendingMigration[] {
  const list = [...pending];
  let key: (m: PendingMigration) => number;
  if (order === 'as-given') return list;
  if (order === 'smallest-first') key = (m) => m.memory_bytes;
  else if (order === 'largest-first') key = (m) => -m.memory_bytes;
  else if (order === 'least-dirty-first') key = (m) => m.dirty_rate_Bps;
  else {
    const load = new Map<string, number>();
    for (const m of pending) for (const l of m.links) load.set(l, (load.get(l) ?? 0) + m.memory_bytes);
    key = (m) => -Math.max(0, ...m.links.map((l) => load.get(l) ?? 0));
  }
  const keys = new Map(list.map((m) => [m, key(m)]));
  return list.sort((a, b) => keys.get(a)! - keys.get(b)! || a.index - b.index);
}
