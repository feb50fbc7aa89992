// `--set policy=A,B,C` on any shipped migration scenario: the scenario's options go with its own
// policy, every other policy runs with its own defaults (sim/choice.ts choosePolicy).
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { choosePolicy } from '../../sim/choice.js';
import { planNamedSweep } from '../../sim/cli/sweep.js';
import { InThread } from '../../sim/pipeline/index.js';
import { BUILT_IN } from '../../sim/policy-set.js';
import { readScenario, shippedScenarioFiles } from '../helpers/scenarios.js';

const MIGRATION = shippedScenarioFiles()
  .filter((f) => f.includes('/migration/'))
  .map((f) => basename(f, '.yaml'));
const THREE = ['stop-and-copy', 'precopy', 'postcopy'];
const defaults = (name: string): unknown => BUILT_IN.find(name)!.options.parse({});

describe('another policy than the scenario’s own', () => {
  it('runs with its own defaults; the scenario’s own policy keeps the scenario’s options', () => {
    const loaded = readScenario('precopy-qemu', ['policy=postcopy']);
    const post = choosePolicy(loaded, undefined);
    expect(post.policy.name).toBe('postcopy');
    expect(post.options).toEqual(defaults('postcopy'));
    const own = choosePolicy(readScenario('precopy-qemu', ['policy=precopy']), undefined);
    expect(own.options).toEqual(choosePolicy(readScenario('precopy-qemu'), undefined).options);
    expect(own.options).toMatchObject({ rules: 'qemu', downtime_limit: 0.3 });
  });

  it('takes the --set options.X its schema has and ignores the others, as variants do', () => {
    const sc = choosePolicy(readScenario('precopy-qemu', ['policy=stop-and-copy', 'options.device_state=1MiB', 'options.downtime_limit=50ms']), undefined);
    expect(sc.options).toEqual({ ...(defaults('stop-and-copy') as object), device_state: 1048576 });
    expect(sc.ignored).toEqual(['options.downtime_limit']);
    expect(sc.params['options.device_state_bytes']).toBe(1048576);
  });

  it('by --policy as well; a policy that takes all the scenario\'s options runs with them', () => {
    expect(choosePolicy(readScenario('precopy-qemu'), 'postcopy', '--policy').options).toEqual(defaults('postcopy'));
    // stop-and-copy's only option, device_state, is one of pre-copy's too.
    const c = choosePolicy(readScenario('stop-and-copy', ['options.device_state=3MiB']), 'precopy', '--policy');
    expect(c.options).toEqual(BUILT_IN.find('precopy')!.options.parse({ device_state: '3MiB' }));
  });
});

describe.each(MIGRATION)('vmsim sweep %s --set policy=stop-and-copy,precopy,postcopy', (name) => {
  it('plans three points and runs each to its goal with the policy asked for', () => {
    const plan = planNamedSweep({
      scenarioArg: name,
      axes: [
        { path: 'vm.memory', spec: '64MiB' },
        { path: 'vm.working_set', spec: '[]' },
        { path: 'policy', spec: THREE.join(',') },
      ],
      trials: 1,
    });
    expect(plan.points.map((p) => p.policy)).toEqual(THREE);
    const records = new InThread().runSync(plan);
    expect(records.map((r) => r.policy)).toEqual(THREE);
    // An idle 64 MiB VM: every policy converges and sends at least the non-zero memory once.
    for (const r of records) {
      expect(r.metrics.converged).toBe(1);
      expect(r.metrics.total_time_ms).toBeGreaterThan(0);
      expect(r.metrics.downtime_ms).toBeLessThanOrEqual(r.metrics.total_time_ms);
    }
  });
});

describe('the report of a policy comparison', () => {
  it("says which policies ran with their own defaults, and whose the scenario's options are", () => {
    const plan = planNamedSweep({ scenarioArg: 'precopy-qemu', axes: [{ path: 'policy', spec: THREE.join(',') }], trials: 1 });
    expect(plan.definition.description).toBe(
      "QEMU pre-copy of a 1 GiB VM with hot and warm working sets over 1 Gbit/s. stop-and-copy, postcopy ran with their own default options (and the --set options.X they have); the scenario's options are precopy's",
    );
  });
});
