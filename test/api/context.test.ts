// A policy file gets the very context a built-in policy gets. The file below wraps a built-in
// policy's plan in a context that records every call it makes: the run gives the built-in's numbers
// byte for byte, the context it saw has every member the driver builds, and the calls it recorded
// are the ones the metrics count (dirty syncs, cache misses).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, ROOT, vmsim } from '../helpers/cli.js';
import { policyDir, removePolicyDirs } from '../helpers/policies.js';
import { parseSets } from '../../scenarios/load.js';
import { load, read } from '../../sim/pipeline/index.js';
import { buildScenario } from '../../scenarios/build.js';
import { migrationContext } from '../../sim/kinds/migration/page-context.js';
import { isrContext } from '../../sim/kinds/isr/context.js';
import type { IsrSetup } from '../../sim/kinds/isr/context.js';
import type { MigrationSetup } from '../../sim/kinds/migration/context.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
afterAll(removePolicyDirs);

interface Seen {
  name: string;
  keys: string[];
  calls: Record<string, number>;
}

/** A policy file that runs `builtIn`'s plan through a recording context, logging into globalThis. */
const recording = (name: string, kind: string, builtIn: string): string => `
import { definePolicy, listPolicies } from 'vmsim';
const inner = listPolicies('${kind}').find((p) => p.name === '${builtIn}');
export default definePolicy({
  name: '${name}',
  summary: '${builtIn} through a context that records every call',
  kind: '${kind}',
  options: inner.options,
  check: inner.check,
  *plan(ctx, opts) {
    const seen = { name: '${name}', keys: Object.keys(ctx), calls: {} };
    (globalThis.__vmsimSeen ??= []).push(seen);
    const recorder = new Proxy(ctx, {
      get(target, key) {
        const v = Reflect.get(target, key);
        if (typeof v !== 'function') return v;
        return (...args) => {
          seen.calls[key] = (seen.calls[key] ?? 0) + 1;
          return v.apply(target, args);
        };
      },
    });
    yield* inner.plan(recorder, opts);
  },
});
`;

const seen = (name: string): Seen => ((globalThis as { __vmsimSeen?: Seen[] }).__vmsimSeen ?? []).find((s) => s.name === name)!;

/** A CSV without its variant and policy columns (the only ones naming the policy). */
const withoutPolicy = (csv: string): string =>
  csv
    .trim()
    .split('\n')
    .map((l) => l.split(',').filter((_, i) => i !== 1 && i !== 2).join(','))
    .join('\n');

const column = (csv: string, name: string): string => {
  const [head, row] = csv.trim().split('\n');
  return row.split(',')[head.split(',').indexOf(name)];
};

/** The scenario as the CLI builds it, for the context the driver makes. */
const built = (rel: string, sets: string[] = []) => {
  const file = join(ROOT, 'scenarios', rel);
  const { scenario } = load(read(file, readFileSync(file, 'utf8')), parseSets(sets));
  return buildScenario(scenario, 1);
};

describe('a policy file sees the context a built-in policy sees', () => {
  it('migration: QEMU pre-copy through a recording context gives the built-in numbers', async () => {
    const d = policyDir({ 'rec.js': recording('recording-precopy', 'migration', 'precopy') });
    const mine = await vmsim(['run', 'precopy-qemu', '--policy-file', 'rec.js', '--out', 'a', '--quiet'], d);
    expect(mine.code, mine.stderr).toBe(0);
    const theirs = await vmsim(['run', 'precopy-qemu', '--out', 'b', '--quiet'], d);
    expect(theirs.code, theirs.stderr).toBe(0);
    for (const f of ['runs.csv', 'rounds.csv', 'remaining.csv']) {
      expect(withoutPolicy(readFileSync(join(d, 'a', f), 'utf8'))).toBe(withoutPolicy(readFileSync(join(d, 'b', f), 'utf8')));
    }
    const s = seen('recording-precopy');
    const { world, setup } = built('migration/precopy-qemu.yaml');
    const driverContext = migrationContext(world, setup as MigrationSetup);
    expect(s.keys.sort()).toEqual(Object.keys(driverContext).sort());
    expect(s.keys).not.toContain('world');
    expect(s.keys).toEqual(expect.arrayContaining(['vm', 'from', 'to', 'now', 'sendPages', 'streamPages', 'takeDirty', 'suspend', 'resume', 'spawn', 'random']));
    const runs = readFileSync(join(d, 'a', 'runs.csv'), 'utf8');
    // Every dirty-bitmap sync the recorder counted is a takeDirty call the policy made through the context.
    expect(s.calls.takeDirty).toBe(Number(column(runs, 'dirty_sync_count')));
    expect(s.calls.takeDirty).toBeGreaterThan(2);
    expect(s.calls.streamPages).toBeGreaterThan(10);
    expect(s.calls.suspend).toBe(1);
    expect(s.calls.resume).toBe(1);
    expect(s.calls.mark).toBeGreaterThan(0);
  });

  it('isr: demand-fetch through a recording context gives the built-in numbers', async () => {
    const d = policyDir({ 'rec.js': recording('recording-demand-fetch', 'isr', 'demand-fetch') });
    const sets = ['--set', 'link.bandwidth=10Mbit/s', '--trials', '1'];
    const mine = await vmsim(['run', 'isr-2005', ...sets, '--policy-file', 'rec.js', '--out', 'a', '--quiet'], d);
    expect(mine.code, mine.stderr).toBe(0);
    const theirs = await vmsim(['run', 'isr-2005', ...sets, '--policy', 'demand-fetch', '--out', 'b', '--quiet'], d);
    expect(theirs.code, theirs.stderr).toBe(0);
    for (const f of ['runs.csv', 'timeline.csv']) {
      expect(withoutPolicy(readFileSync(join(d, 'a', f), 'utf8'))).toBe(withoutPolicy(readFileSync(join(d, 'b', f), 'utf8')));
    }
    const s = seen('recording-demand-fetch');
    const { world, setup } = built('isr/isr-2005.yaml');
    expect(s.keys.sort()).toEqual(Object.keys(isrContext(world, setup as IsrSetup, 'x').ctx).sort());
    expect(s.keys).toContain('recentWrites');
    const runs = readFileSync(join(d, 'a', 'runs.csv'), 'utf8');
    // Every cache miss the benchmark counted went through the policy's serveMiss on its context.
    expect(s.calls.serveMiss).toBe(Number(column(runs, 'cache_misses')));
    expect(s.calls.serveMiss).toBeGreaterThan(100);
    expect(s.calls).toMatchObject({ suspend: 1, arrival: 1, fetchImage: 1, launch: 1, runBenchmark: 1 });
  });
});
