// The explorer's form as a sweep: the axes in command-line order, the CLI's strictness and messages,
// and a command preview that is the planner's own reproducing command.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { moreSetLines, reproduceCommandOf, sweepAxes, sweepCommandOf, wholeNumber, type Form } from '../../sim/web/experiment.js';
import { planSweep } from '../../sim/experiment/sweep-plan.js';
import { read } from '../../sim/pipeline/index.js';
import { CLI_TIMEOUT, ROOT, vmsim } from '../helpers/cli.js';

// One test runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

const form = (f: Partial<Form> = {}): Form => ({ axisPath: 'link.bandwidth', axisValues: '10Mbit/s,100Mbit/s', moreSets: '', trials: '', seed: '', variants: [], policies: [], ...f });

describe('the explorer form', () => {
  it('gives the axes as vmsim sweep --set takes them: more settings, the swept parameter, then what is compared', () => {
    expect(sweepAxes(form({ moreSets: '\n# memory first\nvm.memory=512MiB\n\n', policies: ['stop-and-copy', 'postcopy'] }))).toEqual([
      { path: 'vm.memory', spec: '512MiB' },
      { path: 'link.bandwidth', spec: '10Mbit/s,100Mbit/s' },
      { path: 'policy', spec: 'stop-and-copy,postcopy' },
    ]);
    // A path given twice: the later replaces the earlier in place, as on the command line.
    expect(sweepAxes(form({ moreSets: 'link.bandwidth=1Gbit/s\nvm.memory=1GiB', axisValues: '5Mbit/s' }))).toEqual([
      { path: 'link.bandwidth', spec: '5Mbit/s' },
      { path: 'vm.memory', spec: '1GiB' },
    ]);
    expect(sweepAxes(form({ axisValues: '  ' }))).toEqual([]);
    expect(moreSetLines(' a=1 \n#b=2\n\nc=3')).toEqual(['a=1', 'c=3']);
  });

  it('refuses what the CLI refuses, with its messages', async () => {
    expect(() => sweepAxes(form({ variants: ['a'], policies: ['b'] }))).toThrow(/choose variants or policies to compare, not both/);
    expect(() => sweepAxes(form({ moreSets: 'vm.memory 512MiB' }))).toThrow('--set takes PATH=VALUE (e.g. --set link.bandwidth=10Mbit/s), got "vm.memory 512MiB"');
    expect(() => sweepAxes(form({ axisPath: ' ' }))).toThrow('--set takes PATH=VALUE');
    const bad = (): number | undefined => wholeNumber('trials', '1.5', 1, 100_000);
    expect(bad).toThrow('--trials must be a whole number from 1 to 100000, got "1.5"');
    const cli = await vmsim(['sweep', 'stop-and-copy', '--trials', '1.5']);
    expect(cli.stderr).toBe(`vmsim: --trials must be a whole number from 1 to 100000, got "1.5"\n`);
    expect(() => wholeNumber('seed', '-3', 0)).toThrow('--seed must be a whole number, got "-3"');
    expect(wholeNumber('seed', ' 42 ', 0)).toBe(42);
    expect(wholeNumber('seed', '', 0)).toBeUndefined();
  });

  it('previews the very command the planner records for the sweep, and the reproduction\'s', () => {
    const text = readFileSync(join(ROOT, 'scenarios', 'migration', 'stop-and-copy.yaml'), 'utf8');
    const f = form({ moreSets: 'vm.working_set=[{name: hot, size: 16MiB, rate: 10 pages/s}]', policies: ['stop-and-copy', 'postcopy'], trials: '2' });
    const plan = planSweep({ scenarioArg: 'stop-and-copy.yaml', scenario: read('stop-and-copy.yaml', text), axes: sweepAxes(f), trials: 2 });
    expect(sweepCommandOf('stop-and-copy.yaml', f, { trials: 1, seed: 1 })).toBe(plan.definition.command);
    expect(plan.definition.command).toBe("vmsim sweep stop-and-copy.yaml --set 'vm.working_set=[{name: hot, size: 16MiB, rate: 10 pages/s}]' --set link.bandwidth=10Mbit/s,100Mbit/s --set policy=stop-and-copy,postcopy --trials 2 --seed 1");
    expect(plan.jobs).toHaveLength(8);
    expect(reproduceCommandOf('isr-2005.yaml', form({ moreSets: 'workload.footprint=1GB', seed: '7' }), { trials: 3, seed: 2005 })).toBe('vmsim reproduce isr-2005.yaml --set workload.footprint=1GB --trials 3 --seed 7');
  });
});
