// `vmsim run`'s terminal table: the report's headline in human units, within 100 columns.
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../sim/api.js';
import { SUMMARY_WIDTH, summaryTable } from '../../sim/cli/summary.js';
import { parseValue } from '../../reports/units.js';
import { readScenario, shippedScenarioFiles } from '../helpers/scenarios.js';

// One scenario of every kind (the examples run policy files, which load in the CLI), shrunk where a run would take long.
const SMALL: Record<string, string[]> = {
  migration: ['vm.memory=64MiB', 'vm.working_set=[]'],
};
const oneOfEachKind = (): string[] => {
  const seen = new Map<string, string>();
  for (const f of shippedScenarioFiles().filter((x) => !x.includes('/examples/'))) {
    const kind = readScenario(f).scenario.kind;
    if (!seen.has(kind)) seen.set(kind, f);
  }
  return [...seen.values()];
};

describe.each(oneOfEachKind().map((f) => [basename(f, '.yaml'), f]))('vmsim run %s', (_name, file) => {
  it('prints the headline within 100 columns, in human units, never in e-notation', () => {
    const loaded = readScenario(file);
    const records = run(readScenario(file, SMALL[loaded.scenario.kind] ?? []), { trials: 2 });
    const text = summaryTable(records);
    const lines = text.split('\n');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(SUMMARY_WIDTH);
    expect(text).not.toMatch(/\de[+-]\d/);
    expect(lines[lines.length - 1]).toBe('mean of 2 trials; every metric in base units is in runs.csv');
    expect(text).toContain(records[0].variant);
  });
});

describe('the migration headline', () => {
  it('shows the mean total time in the unit its size calls for, which reads back to the record', () => {
    const records = run(readScenario('stop-and-copy', ['vm.memory=64MiB', 'vm.working_set=[]']));
    const text = summaryTable(records);
    // Headings wrap onto a second line (at a space) rather than widen the table past 100 columns.
    const [head1, head2] = text.split('\n');
    expect(head1).toMatch(/^variant\s+Total\s+Downtime\s+Bytes on\s+Guest work lost\s+Guest slowdown\s+Runs that$/);
    expect(head2).toMatch(/^\s+migration time\s+the wire\s+over the migration\s+converged$/);
    const row = text.split('\n').find((l) => l.startsWith('stop-and-copy'))!;
    const [, total, down, bytes, lost, slowdown, conv] = row.split(/\s{2,}/);
    expect(total).toMatch(/ ms$/);
    expect(parseValue('total_time_ms', total)).toBeCloseTo(records[0].metrics.total_time_ms, 0);
    expect(down).toBe(total); // stop-and-copy: the VM is down the whole time
    expect(parseValue('wire_bytes', bytes) / records[0].metrics.wire_bytes).toBeCloseTo(1, 2);
    expect(conv).toBe('1/1');
    // The guest is stopped the whole time: everything it would have done in that time is lost.
    expect(lost).toBe(total);
    expect(slowdown).toBe('100%');
  });

  it('says a run that did not converge has no total time', () => {
    const records = run(readScenario('precopy-nonconvergent'));
    expect(summaryTable(records)).toMatch(/precopy\s+not converged\s+not converged\s+\S+ GB\s+0 s\s+0%\s+0\/1/);
  });
});
