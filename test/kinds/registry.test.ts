// The registry of scenario kinds: every kind it lists is whole (a schema in the scenario union, a
// built-in policy, a budget estimate, facts) and its policies act through a context that extends
// the base context and hands out no world.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { KINDS, factsOf, kindOf } from '../../sim/kinds/index.js';
import { POLICY_KINDS } from '../../sim/user-policy.js';
import { POLICIES } from '../../policies/index.js';
import { ScenarioSchema } from '../../scenarios/schema.js';
import { readScenario } from '../helpers/scenarios.js';
import { buildScenario } from '../../scenarios/build.js';
import { estimate } from '../../scenarios/budget.js';
import { runOne } from '../../sim/run.js';
import { InputError } from '../../sim/errors.js';
import type { PolicyKind, TransferPolicy } from '../../sim/policy.js';

/** A shipped scenario of each kind (small enough to build in a test). */
const SHIPPED: Record<string, { file: string; sets?: string[] }> = {
  migration: { file: 'migration/stop-and-copy.yaml', sets: ['vm.memory=64MiB', 'vm.working_set=[]'] },
  isr: { file: 'isr/isr-2005.yaml' },
  synthesis: { file: 'edge/synthesis.yaml' },
  vdi: { file: 'edge/vdi.yaml' },
  fork: { file: 'edge/fork.yaml' },
  cluster: { file: 'cluster/evacuate-host.yaml' },
};

const load = (kind: string) => {
  const { file, sets = [] } = SHIPPED[kind];
  return readScenario(join(ROOT, 'scenarios', file), sets).scenario;
};

const BASE = ['now', 'timeout', 'allOf', 'anyOf', 'spawn', 'random', 'mark'];

/** A policy of `kind` that records the keys of its context and stops the run. */
function peeking(kind: PolicyKind, seen: { keys?: string[]; now?: number }): TransferPolicy {
  const inner = POLICIES.find((p) => p.kind === kind)!;
  return {
    ...inner,
    *plan(ctx) {
      seen.keys = Object.keys(ctx);
      seen.now = ctx.now;
      throw new Error('seen');
    },
  };
}

describe('the registry of scenario kinds', () => {
  it('lists each kind once, in the order of the scenario union and of the policy kinds', () => {
    const names = KINDS.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    expect(ScenarioSchema.options.map((o) => o.shape.kind.value)).toEqual(names);
    expect(POLICY_KINDS).toEqual(names);
    expect(Object.keys(SHIPPED).sort()).toEqual([...names].sort());
    for (const k of KINDS) expect(kindOf(k.name)).toBe(k);
  });

  it('names the kinds it knows when asked for another', () => {
    expect(() => kindOf('teleport')).toThrow(InputError);
    expect(() => kindOf('teleport')).toThrow('unknown scenario kind "teleport"; known: migration, isr, synthesis, vdi, fork, cluster');
  });

  for (const kind of KINDS.map((k) => k.name)) {
    describe(kind, () => {
      it('has a built-in policy, facts and a budget estimate', () => {
        expect(POLICIES.filter((p) => p.kind === kind).length).toBeGreaterThan(0);
        const s = load(kind);
        expect(factsOf(s).kind).toBe(kind);
        const e = estimate(s);
        expect(e.bytes).toBeGreaterThan(0);
        expect(e.parts.map((p) => p.bytes).reduce((a, b) => a + b, 0)).toBe(e.bytes);
      });

      it("gives its policies a context that extends the base context, without the world", () => {
        const s = load(kind);
        const { world, setup } = buildScenario(s, 1);
        expect(setup.kind).toBe(kind);
        const seen: { keys?: string[]; now?: number } = {};
        expect(() => runOne({ scenario: s.name, world, setup, policy: peeking(kind, seen), options: {}, seed: 1, trial: 0 })).toThrow('seen');
        expect(seen.keys).toEqual(expect.arrayContaining(BASE));
        expect(seen.keys).not.toContain('world');
        expect(typeof seen.now).toBe('number');
      });
    });
  }
});
