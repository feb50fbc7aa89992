// Inputs as ranges from the command line: `vmsim run --set FIELD=uniform(...)` writes each trial's
// draw as a column of runs.csv, its outputs vary with it, the summary shows the p5-p95 spread; bad
// distribution text exits 2 naming the field.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUMMARY_WIDTH } from '../../sim/cli/summary.js';
import { messages } from '../../sim/errors.js';
import { CLI_TIMEOUT, vmsim } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';

const TMP = mkdtempSync(join(tmpdir(), 'vmsim-ranges-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
const MiB = 2 ** 20;

describe('vmsim run with a distribution', () => {
  it('writes the drawn memory of each of 20 trials beside outputs that follow it', { timeout: CLI_TIMEOUT }, async () => {
    const out = join(TMP, 'sc');
    const r = await vmsim(['run', 'stop-and-copy', '--set', 'vm.memory=uniform(64MiB,128MiB)', '--set', 'vm.working_set=[]', '--trials', '20', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(join(out, 'runs.csv'), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^scenario,variant,policy,seed,trial,vm\.working_set,vm\.memory_bytes,total_time_ms,/);
    const rows = parseCsv(text);
    const memory = rows.map((row) => Number(row['vm.memory_bytes']));
    expect(new Set(memory).size).toBe(20);
    expect(memory.every((m) => m >= 64 * MiB && m <= 128 * MiB)).toBe(true);
    // stop-and-copy sends the whole memory: its time grows with what was drawn
    const time = rows.map((row) => Number(row.total_time_ms));
    const order = (xs: number[]) => xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    expect(order(time)).toEqual(order(memory));
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('  p5-p95'))).toMatch(/^ {2}p5-p95\s+\S+ ms–\S+ ms\s+\S+ ms–\S+ ms\s+\S+ MB–\S+ MB/);
    expect(lines).toContain('p5-p95: the 5th to 95th percentile of the trials, each with its own vm.memory_bytes');
    for (const l of lines.filter((x) => !x.startsWith('wrote '))) expect(l.length).toBeLessThanOrEqual(SUMMARY_WIDTH);
  });

  it.each([
    ['vm.memory=uniform(5, 1)', 'vm.memory', messages.distributionValue('uniform(5, 1)', 'its low end', messages.badQuantity('5', 'a size', '"256KiB", "41MB", "4 GiB"'))],
    ['vm.memory=gamma(1GiB, 2GiB)', 'vm.memory', messages.distributionUnknown('gamma')],
    ['vm.name=choice(a, b)', 'vm.name', messages.distributionNotHere('choice(a, b)', messages.distributionFixedField())],
  ])('--set %s exits 2 naming the field', { timeout: CLI_TIMEOUT }, async (set, path, detail) => {
    const r = await vmsim(['run', 'stop-and-copy', '--set', set, '--out', join(TMP, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`field ${path}: ${detail} (from --set ${set})`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
