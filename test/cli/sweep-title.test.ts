// An experiment's own name: a sweep file's title and description title the report; free text is
// never an axis; a positional scenario that is not the sweep file's is an error naming both.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepArgs, sweepPlanFromArgs } from '../../sim/cli/commands/sweep.js';
import { planNamedSweep } from '../../sim/cli/sweep.js';
import { sweepFiles } from '../../sim/experiment/sweep-outputs.js';
import { InThread } from '../../sim/pipeline/index.js';
import { inputError as expectInputError } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'vmsim-title-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SMALL = ['  vm.memory: 64MiB', '  vm.working_set: "[]"'];
const sweepFile = (name: string, lines: readonly string[]): string => {
  writeFileSync(join(dir, name), lines.join('\n') + '\n');
  return name;
};
const args = (argv: Record<string, unknown>) => sweepArgs({ _: [], ...argv } as never);

async function reportOf(plan: Awaited<ReturnType<typeof sweepPlanFromArgs>>): Promise<string> {
  const files = await sweepFiles(new InThread().runSync(plan), plan.definition, { detail: undefined });
  return String(files.find((f) => f.name === 'report.html')!.content);
}

describe('a sweep file with a title and a description', () => {
  it('titles the report with them, commas and all', async () => {
    const f = sweepFile('lab.yaml', ['title: Pre-copy at lab scale', 'description: "A small VM, idle, over two links"', 'scenario: stop-and-copy', 'set:', ...SMALL, '  link.bandwidth: [100Mbit/s, 1Gbit/s]']);
    const plan = await sweepPlanFromArgs(args({ sweep: f }), dir);
    expect(plan.definition.title).toBe('Pre-copy at lab scale');
    expect(plan.definition.description).toBe('A small VM, idle, over two links');
    expect(plan.jobs).toHaveLength(2);
    const html = await reportOf(plan);
    expect(html).toContain('<h1 id="title">Pre-copy at lab scale</h1>');
    expect(html).toContain('<p class="lead">A small VM, idle, over two links</p>');
  });

  it('without them, the lead says the sweep changed the base scenario', async () => {
    const f = sweepFile('plain.yaml', ['scenario: stop-and-copy', 'set:', ...SMALL]);
    const plan = await sweepPlanFromArgs(args({ sweep: f }), dir);
    expect(plan.definition.title).toBeUndefined();
    expect(plan.definition.description).toBe('Based on: Stop-and-copy migration of a 1 GiB VM over 1 Gbit/s with 0.5 ms latency; this sweep sets vm.memory=64MiB, vm.working_set=[]');
    expect(await reportOf(plan)).toContain('<h1 id="title">stop-and-copy</h1>');
  });

  it('an unknown field is still an error', () => {
    const f = sweepFile('typo.yaml', ['titel: x', 'scenario: stop-and-copy']);
    return expect(sweepPlanFromArgs(args({ sweep: f }), dir)).rejects.toThrow(/unknown field "titel" \(did you mean "title"\?\)/);
  });
});

describe('free text is never an axis', () => {
  it('--set description=a, b is one point with that description', () => {
    const plan = planNamedSweep({ scenarioArg: 'stop-and-copy', axes: [{ path: 'vm.memory', spec: '64MiB' }, { path: 'vm.working_set', spec: '[]' }, { path: 'description', spec: 'a, b' }, { path: 'policy', spec: 'stop-and-copy,precopy' }], trials: 1 });
    expect(plan.points).toHaveLength(2);
    expect(plan.points.map((p) => p.scenario.description)).toEqual(['a, b', 'a, b']);
  });

  it('a list of descriptions in a sweep file is an error', () => {
    const e = expectInputError(() => planNamedSweep({ scenarioArg: 'stop-and-copy', axes: [{ path: 'description', spec: 'a,b', literal: ['a', 'b'] }] })).message;
    expect(e).toContain('a free-text field takes one value');
  });
});

describe('a positional scenario and the sweep file’s', () => {
  it('that disagree: exit 2 naming both', async () => {
    const f = sweepFile('pre.yaml', ['scenario: precopy-qemu', 'set:', ...SMALL]);
    const e = await sweepPlanFromArgs(args({ sweep: f, scenario: 'stop-and-copy' }), dir).then(
      () => undefined,
      (x: Error & { exitCode?: number }) => x,
    );
    expect(e?.message).toContain('the scenario "stop-and-copy" on the command line is not the sweep file pre.yaml\'s scenario "precopy-qemu"');
    expect(e?.exitCode).toBe(2);
  });

  it('that agree (the same file by another name) run', async () => {
    const f = sweepFile('same.yaml', ['scenario: stop-and-copy', 'set:', ...SMALL]);
    const plan = await sweepPlanFromArgs(args({ sweep: f, scenario: 'stop-and-copy' }), dir);
    expect(plan.definition.scenario).toBe('stop-and-copy');
  });
});
