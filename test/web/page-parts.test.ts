// The explorer's parts that need no browser: the link that reopens an experiment (round trip, old
// links, what a bad link could not restore), the default ticks (each ticked set plans and runs
// with the rule of sim/choice.ts), the variant form (the CLI's messages; the text it writes is a
// scenario `vmsim validate` accepts), faceted charts fitted to the width, and the detail picker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { decodeLink, encodeLink, type Experiment } from '../../sim/web/link.js';
import { defaultTicks } from '../../sim/web/compare.js';
import { addVariant } from '../../sim/web/variant-form.js';
import { fitFacets } from '../../sim/web/fit.js';
import { detailChoices, ranWithOf } from '../../sim/web/variants-shown.js';
import { listPolicies, loadScenario } from '../../sim/api.js';
import { planSweep } from '../../sim/experiment/sweep-plan.js';
import { read } from '../../sim/pipeline/index.js';
import { messages } from '../../sim/errors.js';
import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../sim/results/record.js';

const ROOT = join(__dirname, '..', '..');
const shipped = (rel: string): string => readFileSync(join(ROOT, 'scenarios', rel), 'utf8');

describe('the link that reopens an experiment', () => {
  const x: Experiment = {
    scenario: 'precopy-qemu',
    text: 'kind: migration\n# a comment & an = sign, #hash\nname: x\n',
    compare: ['policy:stop-and-copy', 'policy:postcopy'],
    axisPath: 'link.bandwidth',
    axisValues: '10Mbit/s..1Gbit/s:log:5',
    moreSets: 'vm.memory=2GiB\nvm.working_set=[{name: hot, size: 16MiB, rate: 5000 pages/s}]',
    trials: '3',
    seed: '42',
    detail: ['link.bandwidth=100Mbit/s', 'vm.memory=2GiB'],
  };

  it('round-trips every field, the edited text included', () => {
    const hash = encodeLink(x);
    expect(hash.startsWith('v=1&scenario=precopy-qemu')).toBe(true);
    expect(decodeLink(`#${hash}`)).toEqual({ experiment: x, problems: [] });
    // Unedited: no text; empty fields are left out and read back as absent (the page's defaults).
    const plain = { ...x, text: undefined, moreSets: '', trials: '', seed: '', detail: [], compare: [] };
    const back = decodeLink(encodeLink(plain)).experiment;
    expect(back).toEqual({ scenario: 'precopy-qemu', axisPath: 'link.bandwidth', axisValues: '10Mbit/s..1Gbit/s:log:5' });
  });

  it('opens an old link (#NAME) and says what a newer or changed one could not restore', () => {
    expect(decodeLink('#precopy-qemu')).toEqual({ experiment: { scenario: 'precopy-qemu' }, problems: [] });
    expect(decodeLink('')).toEqual({ experiment: {}, problems: [] });
    const r = decodeLink('#v=2&scenario=postcopy&colour=red&trials=2');
    expect(r.experiment).toEqual({ scenario: 'postcopy', trials: '2' });
    expect(r.problems).toEqual([messages.linkVersion('2', '1'), messages.linkUnknownKeys(['colour'])]);
    expect(r.problems[1]).toBe('this link has settings this page does not know (colour); they were left out');
  });
});

describe('the default ticks', () => {
  const kinds = ['migration/precopy-qemu.yaml', 'migration/postcopy.yaml', 'migration/hybrid.yaml', 'migration/handoff.yaml', 'migration/stop-and-copy.yaml', 'edge/vdi.yaml', 'isr/isr-2005.yaml'];

  it.each(kinds)('%s: the own policy and the first others of its kind, and the sweep plans (each with its own options)', (rel) => {
    const l = loadScenario(shipped(rel), { file: rel });
    const policies = listPolicies(l.scenario.kind).map((p) => p.name);
    const ticks = defaultTicks(l, policies);
    expect(ticks).toHaveLength(Math.min(3, policies.length));
    expect(ticks).toContain(`policy:${l.scenario.policy}`);
    const chosen = ticks.map((t) => t.slice('policy:'.length));
    // Every point validates before anything runs: the scenario's options go with its own policy only.
    const plan = planSweep({ scenarioArg: rel, scenario: read(rel, shipped(rel)), axes: [{ path: 'policy', spec: chosen.join(',') }] });
    expect(plan.points.map((p) => p.policy)).toEqual(chosen);
    const own = plan.points.find((p) => p.policy === l.scenario.policy)!;
    expect(own.options).toEqual(choiceOptions(rel, l.scenario.policy));
    const shown = ranWithOf(plan.points, [], l.scenario.policy);
    expect(shown.map((r) => r.from)).toEqual(chosen.map((p) => (p === l.scenario.policy ? 'the scenario’s options' : 'the policy’s own defaults')));
  });

  it('ticks every variant of a scenario that declares some', () => {
    const text = `${shipped('migration/precopy-qemu.yaml')}\nvariants:\n  a: { policy: precopy }\n  b: { policy: postcopy }\n`;
    expect(defaultTicks(loadScenario(text), ['stop-and-copy', 'precopy'])).toEqual(['variant:a', 'variant:b']);
  });
});

/** The options a run of the scenario as written resolves to (its own policy, its own options). */
function choiceOptions(rel: string, policy: string): unknown {
  const plan = planSweep({ scenarioArg: rel, scenario: read(rel, shipped(rel)), axes: [{ path: 'policy', spec: policy }] });
  return plan.points[0].options;
}

describe('the variant form', () => {
  const file = 'precopy-qemu.yaml';
  const text = shipped('migration/precopy-qemu.yaml');

  it('writes a variant the CLI accepts; the first time, the ticked policies become variants too', () => {
    const added = addVariant(text, file, { name: 'precopy-2s', policy: 'precopy', options: '{downtime_limit: 2s, auto_converge: true}' }, ['stop-and-copy', 'precopy']);
    expect(added.ticked).toEqual(['variant:stop-and-copy', 'variant:precopy', 'variant:precopy-2s']);
    const doc = YAML.parse(added.text) as { variants: Record<string, unknown> };
    expect(doc.variants).toEqual({
      'stop-and-copy': { policy: 'stop-and-copy' },
      precopy: { policy: 'precopy', options: { rules: 'qemu', max_bandwidth: '1Gbit/s', downtime_limit: '300ms', device_state: '256KiB' } },
      'precopy-2s': { policy: 'precopy', options: { downtime_limit: '2s', auto_converge: true } },
    });
    // The comments of the file are kept.
    expect(added.text.startsWith(text.split('\n')[0])).toBe(true);
    const plan = planSweep({ scenarioArg: file, scenario: read(file, added.text), axes: [{ path: 'variant', spec: 'stop-and-copy,precopy,precopy-2s' }] });
    expect((plan.points[2].options as { downtime_limit: number }).downtime_limit).toBe(2);
    // A second variant goes beside the first; the ticked policies are not added again.
    const again = addVariant(added.text, file, { name: 'post', policy: 'postcopy', options: '' }, ['postcopy']);
    expect(again.ticked).toEqual(['variant:post']);
    expect(Object.keys((YAML.parse(again.text) as { variants: object }).variants)).toEqual(['stop-and-copy', 'precopy', 'precopy-2s', 'post']);
  });

  it('says what is wrong with the CLI messages', () => {
    const bad = (name: string, policy: string, options: string): string => {
      try {
        addVariant(text, file, { name, policy, options }, []);
        return 'accepted';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(bad('p', 'precopy', '{downtime_limit: fast}')).toBe('precopy-qemu.yaml (variant p, options of policy precopy): field options.downtime_limit: cannot read "fast" as a duration; expected a number with a unit, e.g. "20ms", "10s", "1.5 min"');
    expect(bad('p', 'precopy', '{downtime_limt: 2s}')).toMatch(/field options: unknown field "downtime_limt" \(did you mean "downtime_limit"\?\)/);
    expect(bad('p', 'precopy', '[1, 2]')).toBe(messages.variantOptions('expected a map of option: value, got [1,2]'));
    expect(bad('p', 'precopy', '{a: ')).toMatch(/^options: .*; write them as YAML/);
    expect(bad('p', 'baseline', '')).toMatch(/policy "baseline" is an isr policy and cannot run a migration scenario/);
    expect(bad('no spaces', 'precopy', '')).toMatch(/variants/);
    const once = addVariant(text, file, { name: 'x', policy: 'precopy', options: '' }, []).text;
    expect(() => addVariant(once, file, { name: 'x', policy: 'postcopy', options: '' }, [])).toThrow(messages.variantExists('x'));
  });
});

describe('faceted charts fitted to the width', () => {
  const faceted = { facet: { field: 'facet' }, columns: 3, spec: { width: 260, height: 200, layer: [] } } as unknown as TopLevelSpec;
  const layout = (w: number) => {
    const f = fitFacets(faceted, w) as unknown as { columns: number; spec: { width: number } };
    return { columns: f.columns, cell: f.spec.width, total: f.columns * (f.spec.width + 95) };
  };

  it('one readable column on a phone, three on a wide screen, never wider than the room', () => {
    expect(layout(356)).toEqual({ columns: 1, cell: 261, total: 356 });
    expect(layout(700)).toEqual({ columns: 2, cell: 255, total: 700 });
    expect(layout(1330)).toEqual({ columns: 3, cell: 340, total: 1305 });
    for (const w of [320, 500, 900, 1200, 2000]) expect(layout(w).total).toBeLessThanOrEqual(Math.max(w, 315));
    // A chart that is not faceted is left as it is.
    const plain = { width: 460, layer: [] } as unknown as TopLevelSpec;
    expect(fitFacets(plain, 300)).toBe(plain);
  });
});

describe('the detail picker', () => {
  it('offers each swept parameter with its values as --detail-point texts, the shown point chosen', () => {
    const rec = (bw: number, mem: number): RunRecord => ({ params: { 'link.bandwidth_bps': bw, 'vm.memory_bytes': mem } }) as unknown as RunRecord;
    const records = [rec(1e7, 2 ** 30), rec(1e8, 2 ** 30), rec(1e7, 2 ** 31), rec(1e8, 2 ** 31)];
    const axes = [
      { path: 'link.bandwidth', spec: '10Mbit/s,100Mbit/s', values: ['10Mbit/s', '100Mbit/s'] },
      { path: 'vm.memory', spec: '1GiB,2GiB', values: ['1GiB', '2GiB'] },
      { path: 'policy', spec: 'a,b', values: ['a', 'b'] },
    ];
    const picker = detailChoices(records, { axes } as never, { 'link.bandwidth_bps': 1e8, 'vm.memory_bytes': 2 ** 30 });
    expect(picker.map((a) => a.path)).toEqual(['link.bandwidth', 'vm.memory']);
    expect(picker[0].values.map((v) => [v.text, v.label, v.chosen])).toEqual([
      ['10Mbit/s', '10 Mbit/s', false],
      ['100Mbit/s', '100 Mbit/s', true],
    ]);
    expect(picker[1].values.map((v) => [v.text, v.chosen])).toEqual([
      ['1GiB', true],
      ['2GiB', false],
    ]);
  });
});
