// The pipeline's stages through the core API: overrides carried as values, a single run as a
// one-point plan, execute() placing records by run index, and the one rule for a stopped execution.
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../sim/errors.js';
import { deriveSeed } from '../../sim/run.js';
import type { RunRecord } from '../../sim/results/record.js';
import { InThread, execute, load, overridesOf, planRun, read, resolve, stopped, type Executor, type Job, type Plan } from '../../sim/pipeline/index.js';
import { readScenario } from '../helpers/scenarios.js';
import { isTrialCount } from '../../scenarios/schema-common.js';
import { trialsOption } from '../../sim/cli/args.js';
import { runsOf } from '../../sim/web/experiment.js';
import type { MigrationScenarioT } from '../../sim/kinds/migration/schema.js';

const SMALL = { 'vm.memory': '1MiB', 'vm.working_set': [] };

describe('load', () => {
  it('carries overrides given in code as values, and texts read once as --set reads them', () => {
    expect(overridesOf({ a: 5, b: '5', c: [1, 'x'], d: true })).toEqual([
      { path: 'a', text: '5', value: 5 },
      { path: 'b', text: '5', value: 5 },
      { path: 'c', text: '[1,"x"]', value: [1, 'x'] },
      { path: 'd', text: 'true', value: true },
    ]);
    expect(overridesOf(['vm.name=a=b'])).toEqual([{ path: 'vm.name', text: 'a=b', value: 'a=b' }]);
  });

  it('keeps the policies a front door loaded as a field of the loaded scenario', () => {
    const base = readScenario('stop-and-copy');
    const again = load({ file: base.file, doc: base.raw }, overridesOf(SMALL), base.policies);
    expect(again.policies).toBe(base.policies);
    expect(again.params).toEqual({ 'vm.memory_bytes': 2 ** 20, 'vm.working_set': '[]' });
  });
});

describe('resolve and plan', () => {
  const loaded = readScenario('stop-and-copy', ['vm.memory=1MiB', 'vm.working_set=[]']);

  it('a single run is a one-point plan: trial k seeded deriveSeed(seed, "trial:k")', () => {
    const plan = planRun(resolve(loaded, { trials: 3, seed: 9 }));
    expect(plan.points).toHaveLength(1);
    expect(plan.jobs.map((j) => [j.index, j.point, j.trial, j.seed])).toEqual([0, 1, 2].map((k) => [k, 0, k, deriveSeed(9, `trial:${k}`)]));
    expect(plan.jobs[2].key).toBe('policy=stop-and-copy; vm.memory_bytes=1048576; vm.working_set=[]; trial=2');
  });

  it('columns: the scenario fields overridden at load, the options overridden at resolve; policy and variant are columns of their own', () => {
    const l = readScenario('precopy-qemu', ['vm.memory=64MiB', 'vm.working_set=[]', 'policy=precopy', 'options.downtime_limit=20ms']);
    expect(l.params).toEqual({ 'vm.memory_bytes': 64 * 2 ** 20, 'vm.working_set': '[]' });
    expect(resolve(l).params).toEqual({ 'vm.memory_bytes': 64 * 2 ** 20, 'vm.working_set': '[]', 'options.downtime_limit_s': 0.02 });
  });

  it('checks trials once, naming the caller', () => {
    expect(() => resolve(loaded, { trials: 0, caller: 'run()' })).toThrow('run(), field trials: expected a whole number from 1 to 100000, got 0');
  });

  it('every door takes and refuses the same trial counts (one rule, each door its own words)', () => {
    const takes = (fn: () => unknown): boolean => {
      try {
        fn();
        return true;
      } catch {
        return false;
      }
    };
    for (const [n, ok] of [[1, true], [1000, true], [100000, true], [0, false], [100001, false], [1.5, false], [-1, false], [NaN, false]] as const) {
      expect([n, isTrialCount(n), takes(() => resolve(loaded, { trials: n }))]).toEqual([n, ok, ok]);
    }
    // typed as text (--trials, the explorer's field): digits only, then the same rule
    for (const [text, ok] of [['1', true], [' 100000 ', true], ['0', false], ['100001', false], ['1.5', false], ['-1', false], ['1e3', false]] as const) {
      expect([text, takes(() => trialsOption({ _: [], trials: text })), takes(() => runsOf({ trials: text, seed: '' }))]).toEqual([text, ok, ok]);
    }
    expect(() => trialsOption({ _: [], trials: '100001' })).toThrow('--trials must be a whole number from 1 to 100000, got "100001"');
    expect(runsOf({ trials: ' ', seed: '' }).trials).toBeUndefined();
  });
});

/** An executor that hands back the plan's records in reverse order, or fails or stops after `after` runs. */
class Scripted implements Executor {
  cancelled = false;
  constructor(private readonly end: { fail?: Error; cancelAfter?: number } = {}) {}
  async run(plan: Plan, jobs: readonly Job[], onRecord: (job: Job, record: RunRecord) => void): Promise<'done' | 'cancelled'> {
    const records = new InThread().runSync(plan, jobs);
    for (const [i, job] of [...jobs.entries()].reverse()) {
      if (this.end.cancelAfter !== undefined && jobs.length - 1 - i === this.end.cancelAfter) return 'cancelled';
      if (this.end.fail && jobs.length - 1 - i === 1) throw this.end.fail;
      onRecord(job, records[i]);
    }
    return 'done';
  }
  cancel(): void {
    this.cancelled = true;
  }
}

describe('execute', () => {
  const plan = planRun(resolve(readScenario('stop-and-copy', ['vm.memory=1MiB', 'vm.working_set=[]']), { trials: 4 }));
  const inThread = new InThread().runSync(plan);

  it('places records by run index whatever order the executor finishes them in', async () => {
    const ex = await execute(plan, new Scripted());
    expect(ex.outcome).toBe('done');
    expect(ex.completed.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(ex.completed.map((c) => c.record)).toEqual(inThread);
    expect(stopped(ex)).toBeUndefined();
  });

  it('a failed execution keeps its completed runs, in grid order, with the error as the reason', async () => {
    const ex = await execute(plan, new Scripted({ fail: new Error('boom') }));
    expect(ex.outcome).toBe('failed');
    expect(ex.completed.map((c) => c.index)).toEqual([3]);
    expect(stopped(ex)).toEqual({ why: 'Stopped by an error: boom', keep: true });
  });

  it("a user's failing policy keeps nothing: a bug to fix, not runs to keep", async () => {
    const ex = await execute(plan, new Scripted({ fail: new PolicyError('mine failed') }));
    expect(stopped(ex)).toEqual({ why: 'Stopped by an error: mine failed', keep: false });
  });

  it('a cancelled execution says why (the abort reason) and keeps what completed', async () => {
    const stop = new AbortController();
    const executor = new Scripted({ cancelAfter: 2 });
    const ex = await execute(plan, executor, { signal: stop.signal, onProgress: (n) => n === 2 && stop.abort('Stopped by SIGINT') });
    expect(executor.cancelled).toBe(true);
    expect(ex.completed.map((c) => c.index)).toEqual([2, 3]);
    expect(stopped(ex)).toEqual({ why: 'Stopped by SIGINT', keep: true });
  });

  it('reads the scenario once: read() parses, load() takes the document', () => {
    const text = 'kind: migration\nname: t\nlink: { bandwidth: 1Gbit/s, latency: 1ms }\nvm: { memory: 1MiB, working_set: [] }\npolicy: stop-and-copy\n';
    const source = read('t.yaml', text);
    expect(source.doc).toMatchObject({ kind: 'migration', name: 't' });
    expect((load(source).scenario as MigrationScenarioT).vm.memory).toBe(2 ** 20);
  });
});
