// Variants: a named policy with its options, resolved once before any run (sim/cli/choice.ts).
import { describe, expect, it } from 'vitest';
import { inputError } from '../helpers/errors.js';
import { readScenario } from '../helpers/scenarios.js';
import { choosePolicy } from '../../sim/choice.js';
import { planNamedSweep as planSweep } from '../../sim/cli/sweep.js';

const VARIANTS = 'variants={pre-50ms: {policy: precopy, options: {downtime_limit: 50ms}}, pre-300ms: {policy: precopy, options: {downtime_limit: 300ms, max_bandwidth: 10MB/s}}, post: {policy: postcopy}}';

describe('a chosen variant', () => {
  it('runs its policy with its own options, and names the run', () => {
    const p = choosePolicy(readScenario('precopy-qemu', [VARIANTS, 'variant=pre-300ms']), undefined);
    expect(p.variant).toBe('pre-300ms');
    expect(p.policy.name).toBe('precopy');
    // 10 MB/s is 80 Mbit/s; the scenario's own max_bandwidth (1 Gbit/s) does not leak in.
    expect(p.options).toMatchObject({ downtime_limit: 0.3, max_bandwidth: 8e7 });
  });

  it('takes the --set options its policy has, and sets aside the others', () => {
    const pre = choosePolicy(readScenario('precopy-qemu', [VARIANTS, 'variant=pre-50ms', 'options.downtime_limit=20ms']), undefined);
    expect((pre.options as { downtime_limit: number }).downtime_limit).toBeCloseTo(0.02, 12);
    expect(pre.params).toEqual({ 'options.downtime_limit_s': 0.02 });
    expect(pre.ignored).toEqual([]);
    const post = choosePolicy(readScenario('precopy-qemu', [VARIANTS, 'variant=post', 'options.downtime_limit=20ms']), undefined);
    expect(post.params).toEqual({});
    expect(post.ignored).toEqual(['options.downtime_limit']);
  });

  it('without a variant, the run is named after its policy', () => {
    const p = choosePolicy(readScenario('precopy-qemu', [VARIANTS]), undefined);
    expect(p.variant).toBe('precopy');
  });

  it('an unknown variant names the flag, the known ones and the closest', () => {
    const e = inputError(() => choosePolicy(readScenario('precopy-qemu', [VARIANTS, 'variant=pre-50']), undefined)).message;
    expect(e).toBe('--set variant: no variant "pre-50" (did you mean "pre-50ms"?); the scenario declares: pre-50ms, pre-300ms, post');
  });

  it('a variant whose options its policy rejects names the variant and the policy', () => {
    const e = inputError(() => choosePolicy(readScenario('precopy-qemu', ['variants={bad: {policy: postcopy, options: {downtime_limit: 1s}}}', 'variant=bad']), undefined)).message;
    expect(e).toContain('(variant bad, options of policy postcopy): field options: unknown field "downtime_limit"');
  });

  it("a variant's --set options of another rule set are set aside; its own carry their unit", () => {
    const rules = 'variants={s: {policy: precopy, options: {rules: simgrid}}}';
    const s = choosePolicy(readScenario('precopy-qemu', [rules, 'variant=s', 'options.downtime_limit=20ms', 'options.max_downtime=10ms']), undefined);
    expect(s.ignored).toEqual(['options.downtime_limit']);
    expect(s.params).toEqual({ 'options.max_downtime_s': 0.01 });
    expect(s.options).not.toHaveProperty('downtime_limit');
  });

  it('without variants, an option of a rule set not chosen is refused naming the field and both rule sets', () => {
    const e = inputError(() => choosePolicy(readScenario('precopy-simgrid', ['options.downtime_limit=50ms']), undefined)).message;
    expect(e).toContain('(options of policy precopy): field options.downtime_limit: an option of rules: qemu, not of rules: simgrid');
    expect(e).toContain('(from --set options.downtime_limit=50ms)');
    // rules defaults to qemu: its options need no `rules`, the others' are refused.
    expect(choosePolicy(readScenario('precopy-qemu', ['options.downtime_limit=50ms']), undefined).options).toMatchObject({ rules: 'qemu', downtime_limit: 0.05 });
    expect(inputError(() => choosePolicy(readScenario('precopy-qemu', ['options.xen_max_iters=5']), undefined)).message).toContain('field options.xen_max_iters: an option of rules: xen, not of rules: qemu');
  });

  it('a variant naming an unknown policy names the field', () => {
    const e = inputError(() => choosePolicy(readScenario('precopy-qemu', ['variants={x: {policy: precopyy}}', 'variant=x']), undefined)).message;
    expect(e).toContain('field variants.x.policy: unknown policy "precopyy" (did you mean "precopy"?)');
  });
});

describe('variants in a sweep', () => {
  const small = [{ path: 'vm.memory', spec: '64MiB' }, { path: 'vm.working_set', spec: '[]' }];

  it('an option axis applies to the variants that have it; the others run once', () => {
    const plan = planSweep({
      scenarioArg: 'precopy-qemu',
      axes: [{ path: 'variants', spec: VARIANTS.slice('variants='.length) }, ...small, { path: 'variant', spec: 'pre-50ms,post' }, { path: 'options.downtime_limit', spec: '10ms,20ms,30ms' }],
      trials: 2,
    });
    expect(plan.points.map((p) => [p.variant, p.params['options.downtime_limit_s']])).toEqual([
      ['pre-50ms', 0.01],
      ['pre-50ms', 0.02],
      ['pre-50ms', 0.03],
      ['post', undefined],
    ]);
    expect(plan.jobs).toHaveLength(8);
  });

  it("an option of one rule set applies to the variants that follow it (pre-copy's options are discriminated by rules)", () => {
    const RULES = '{q: {policy: precopy, options: {downtime_limit: 50ms}}, x: {policy: precopy, options: {rules: xen}}, s: {policy: precopy, options: {rules: simgrid}}}';
    const plan = planSweep({
      scenarioArg: 'precopy-qemu',
      axes: [{ path: 'variants', spec: RULES }, ...small, { path: 'variant', spec: 'q,x,s' }, { path: 'options.downtime_limit', spec: '10ms,20ms' }, { path: 'options.max_downtime', spec: '5ms' }],
      trials: 1,
    });
    expect(plan.points.map((p) => [p.variant, p.params['options.downtime_limit_s'], p.params['options.max_downtime_s']])).toEqual([
      ['q', 0.01, undefined],
      ['q', 0.02, undefined],
      ['x', undefined, undefined],
      ['s', undefined, 0.005],
    ]);
  });

  it('an option axis no variant has is an error', () => {
    const e = inputError(() =>
      planSweep({ scenarioArg: 'precopy-qemu', axes: [{ path: 'variants', spec: VARIANTS.slice('variants='.length) }, ...small, { path: 'variant', spec: 'post' }, { path: 'options.downtime_limit', spec: '10ms,20ms' }] }),
    ).message;
    expect(e).toContain('--set options.downtime_limit: no variant of the sweep has this option (post (postcopy))');
  });
});
