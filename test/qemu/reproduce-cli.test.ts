// `vmsim reproduce qemu-7.2` end to end: the promised files, a written row scenario that `vmsim run`
// reproduces exactly, byte-identical outputs on a second run, what-if overrides, and bad input.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { CLI_TIMEOUT, vmsim, type CliResult } from '../helpers/cli.js';
import { expectInputFailure, parseCsv } from '../helpers/isr.js';

let tmp: string;
let first: CliResult;
const out = (name: string) => join(tmp, name);
const read = (dir: string, f: string) => readFileSync(join(out(dir), f), 'utf8');
const table = (text: string) => {
  const [header, ...rows] = parseCsv(text.trim());
  return rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'vmsim-qemu-'));
  first = await vmsim(['reproduce', 'qemu-7.2', '--out', out('a')]);
}, CLI_TIMEOUT);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('vmsim reproduce qemu-7.2', () => {
  it('writes runs, rounds, remaining, comparison, summary, charts and a scenario per row', () => {
    expect(first.code, first.stderr).toBe(0);
    const files = readdirSync(out('a')).sort();
    expect(files).toEqual(['charts', 'comparison.csv', 'remaining.csv', 'rounds.csv', 'runs.csv', 'scenarios', 'summary.md']);
    expect(readdirSync(join(out('a'), 'scenarios'))).toHaveLength(33);
    expect(readdirSync(join(out('a'), 'charts')).sort()).toEqual(
      ['total-time', 'total-time-error', 'transferred'].flatMap((n) => [`${n}.svg`, `${n}.vl.json`]).sort(),
    );
    for (const n of ['total-time', 'transferred', 'total-time-error']) expect(() => compile(JSON.parse(read('a', `charts/${n}.vl.json`)))).not.toThrow();
    expect(first.stdout).toContain('| total time |');
    expect(first.stdout).toContain('and 33 scenarios in');
    const runs = table(read('a', 'runs.csv'));
    expect(runs).toHaveLength(33);
    expect(Object.keys(runs[0]).slice(0, 10)).toEqual(['scenario', 'variant', 'policy', 'seed', 'trial', 'row', 'mode', 'working_set_bytes', 'rate_pages_per_s', 'max_bandwidth_Bps']);
  });

  it('a row scenario written there runs to the same metrics with vmsim run', async () => {
    const r = await vmsim(['run', join(out('a'), 'scenarios', 'W64-R10000-B64-t1.json'), '--out', out('one'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const single = table(read('one', 'runs.csv'))[0];
    const row = table(read('a', 'runs.csv')).find((x) => x.row === 'W64-R10000-B64-t1')!;
    for (const m of ['total_time_ms', 'transferred_bytes', 'dirty_sync_count', 'downtime_ms', 'normal_pages', 'seed']) expect(single[m], m).toBe(row[m]);
  }, CLI_TIMEOUT);

  it('a --set changes every row and shows as a column', async () => {
    const whatIf = await vmsim(['reproduce', 'qemu-7.2', '--set', 'options.downtime_limit=30ms', '--out', out('c'), '--quiet']);
    expect(whatIf.code, whatIf.stderr).toBe(0);
    const runs = table(read('c', 'runs.csv'));
    expect(runs.every((r) => r['options.downtime_limit_s'] === '0.03')).toBe(true);
    // QEMU's expected-downtime starts at the limit: an idle guest never re-estimates it.
    expect(runs.find((r) => r.row === 'idle-B64-t1')!.expected_downtime_ms).toBe('30');
  }, CLI_TIMEOUT);

  it('bad input: --trials, an unknown field, a field of the wrong kind (exit 2, nothing written)', async () => {
    expectInputFailure(await vmsim(['reproduce', 'qemu-7.2', '--trials', '2', '--out', out('bad')]), 'runs each reference row once', '--trials does not apply');
    expectInputFailure(await vmsim(['reproduce', 'qemu-7.2', '--set', 'options.bogus=1', '--out', out('bad')]), 'qemu-7.2 row idle-B64-t1', 'unknown field "bogus"');
    expectInputFailure(await vmsim(['reproduce', 'qemu-7.2', '--set', 'vm.memory=fast', '--out', out('bad')]), 'field vm.memory');
    expect(() => readdirSync(out('bad'))).toThrow();
  }, CLI_TIMEOUT);

  it('reruns into its own output folder (the scenarios/ folder is vmsim\'s), writing byte-identical files', async () => {
    const before = Object.fromEntries(['runs.csv', 'rounds.csv', 'comparison.csv', 'summary.md'].map((f) => [f, read('a', f)]));
    const r = await vmsim(['reproduce', 'qemu-7.2', '--out', out('a'), '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(out('a'), 'scenarios'))).toHaveLength(33);
    for (const [f, text] of Object.entries(before)) expect(read('a', f), f).toBe(text);
  }, CLI_TIMEOUT);
});
