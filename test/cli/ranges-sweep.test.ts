// A sweep whose scenario has a field written as a distribution: each trial draws in its own worker
// from the trial's seed, so one worker, two workers, three shards merged and `vmsim run` at the same
// point all give the same rows; the report shows the spread of the drawn runs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, vmsim, type CliResult } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
const TMP = mkdtempSync(join(tmpdir(), 'vmsim-ranges-sweep-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

const SCENARIO = `kind: migration
name: drawn
policy: precopy
options: { downtime_limit: "uniform(10ms, 100ms)" }
link: { bandwidth: 1Gbit/s }
vm:
  memory: normal(256MiB, 32MiB)
  working_set:
    - { name: hot, size: 32MiB, rate: "choice(2000 pages/s, 8000 pages/s)" }
`;

async function ok(run: Promise<CliResult>): Promise<void> {
  const r = await run;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

/** The sweep of these tests (on worker threads), with more arguments. */
const sweep = (...more: string[]): Promise<CliResult> => vmsim(['sweep', 'drawn.yaml', '--set', 'link.bandwidth=200Mbit/s,1Gbit/s', '--trials', '4', '--quiet', ...more], TMP);

const file = (dir: string, name: string): string => readFileSync(join(TMP, dir, name), 'utf8');

describe('a sweep with drawn inputs', () => {
  it('gives the same rows whatever the workers or shards, and the rows vmsim run gives', async () => {
    writeFileSync(join(TMP, 'drawn.yaml'), SCENARIO);
    await ok(sweep('--workers', '1', '--out', 'one'));
    await ok(sweep('--workers', '2', '--out', 'two'));
    for (const k of [1, 2, 3]) await ok(sweep('--shard', `${k}/3`, '--out', 'shards'));
    await ok(vmsim(['merge', 'shards', '--quiet', '--out', 'merged'], TMP));
    for (const name of ['runs.csv', 'aggregate.csv', 'report.html']) {
      expect(file('two', name)).toBe(file('one', name));
      expect(file('merged', name)).toBe(file('one', name));
    }
    const rows = parseCsv(file('one', 'runs.csv'));
    expect(Object.keys(rows[0]).slice(5, 9)).toEqual(['link.bandwidth_bps', 'vm.memory_bytes', 'vm.working_set.0.rate_pages_per_s', 'options.downtime_limit_s']);
    // common random numbers: trial k draws the same inputs at every point, other inputs in another trial
    const draws = (bw: string) => rows.filter((r) => r['link.bandwidth_bps'] === bw).map((r) => r['vm.memory_bytes']);
    expect(draws('200000000')).toEqual(draws('1000000000'));
    expect(new Set(draws('200000000')).size).toBe(4);
    await ok(vmsim(['run', 'drawn.yaml', '--set', 'link.bandwidth=1Gbit/s', '--trials', '4', '--quiet', '--out', 'run'], TMP));
    const single = parseCsv(file('run', 'runs.csv'));
    expect(single).toEqual(rows.filter((r) => r['link.bandwidth_bps'] === '1000000000'));
    const agg = file('one', 'aggregate.csv').split('\n')[0];
    expect(agg.endsWith(',p5,p95')).toBe(true);
    expect(file('one', 'report.html')).toContain('<p id="drawn">Each trial drew its own vm.memory_bytes, vm.working_set.0.rate_pages_per_s, options.downtime_limit_s');
  });
});
