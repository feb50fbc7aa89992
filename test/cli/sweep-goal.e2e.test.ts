// Variants and runs that did not reach their goal, end to end through the CLI: a sweep of two tuned
// pre-copies and post-copy over 10 Mbit/s..1 Gbit/s, where pre-copy does not converge at 10 Mbit/s.
// The variant column in runs.csv and aggregate.csv, the chart series named by variant in the order
// given, the tuned options in effect; the non-converged runs with no total time or downtime,
// aggregate.csv's converged counts, time statistics over converged runs only, the report's warning
// and the crosses in the charts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, vmsim } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';
import { GOAL_VARIANTS, writeGoalSweep } from '../helpers/goal-sweep.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT, hookTimeout: CLI_TIMEOUT });

let tmp: string;
let out: string;
const read = (name: string): string => readFileSync(join(out, name), 'utf8');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'vmsim-goal-'));
  out = join(tmp, 'out');
  const r = await vmsim(['sweep', '--sweep', writeGoalSweep(tmp), '--workers', '1', '--quiet', '--out', out, '--detail-point', 'link.bandwidth=900Mbit/s'], tmp);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a three-variant sweep', () => {
  it('names every run by its variant, in runs.csv and aggregate.csv, with the tuned options in effect', () => {
    expect(read('runs.csv').split('\n')[0].startsWith('scenario,variant,policy,seed,trial,vm.memory_bytes,vm.working_set,link.bandwidth_bps,total_time_ms,')).toBe(true);
    const runs = parseCsv(read('runs.csv'));
    expect(runs).toHaveLength(18);
    expect(runs.slice(0, 6).map((r) => [r.variant, r.policy])).toEqual([
      ['pre-50ms', 'precopy'], ['pre-50ms', 'precopy'], ['pre-300ms', 'precopy'], ['pre-300ms', 'precopy'], ['postcopy', 'postcopy'], ['postcopy', 'postcopy'],
    ]);
    const agg = parseCsv(read('aggregate.csv'));
    expect(read('aggregate.csv').split('\n')[0]).toBe('scenario,variant,policy,vm.memory_bytes,vm.working_set,link.bandwidth_bps,metric,runs,converged,n,mean,sd,min,max,ci95_low,ci95_high');
    expect([...new Set(agg.map((r) => r.variant))]).toEqual(GOAL_VARIANTS);
    // The downtime limit is each variant's own: at 1 Gbit/s pre-copy stops for less than its limit.
    const downtime = (v: string): number => Number(agg.find((r) => r.variant === v && r['link.bandwidth_bps'] === '1000000000' && r.metric === 'downtime_ms')!.mean);
    expect(downtime('pre-50ms')).toBeLessThan(50);
    expect(downtime('pre-300ms')).toBeGreaterThan(50);
    expect(downtime('pre-300ms')).toBeLessThan(300);
  });

  it('draws one series per variant, named and ordered as given', () => {
    const spec = JSON.parse(read('charts/total_time_ms-vs-link.bandwidth_bps.vl.json'));
    expect(spec.layer[0].encoding.color.scale.domain).toEqual(GOAL_VARIANTS);
    expect([...new Set(spec.data.values.map((v: { variant: string }) => v.variant))]).toEqual(GOAL_VARIANTS);
    const svg = read('charts/total_time_ms-vs-link.bandwidth_bps.svg');
    for (const v of GOAL_VARIANTS) expect(svg).toContain(`>${v}<`);
  });
});

describe('runs that did not converge', () => {
  it('have no total time or downtime in runs.csv, only converged = 0 and the time they ran', () => {
    const runs = parseCsv(read('runs.csv'));
    const failed = runs.filter((r) => r.converged === '0');
    expect(failed.map((r) => `${r.variant}@${r['link.bandwidth_bps']}`)).toEqual(['pre-50ms@10000000', 'pre-50ms@10000000', 'pre-300ms@10000000', 'pre-300ms@10000000']);
    for (const r of failed) {
      expect([r.total_time_ms, r.downtime_ms]).toEqual(['', '']);
      expect(Number(r.elapsed_ms)).toBeGreaterThanOrEqual(10_000); // the 10 s deadline
    }
    for (const r of runs.filter((x) => x.converged === '1')) expect(Number(r.total_time_ms)).toBe(Number(r.elapsed_ms));
  });

  it('are counted per point in aggregate.csv, and time statistics are over converged runs only', () => {
    const agg = parseCsv(read('aggregate.csv'));
    const runs = parseCsv(read('runs.csv'));
    for (const a of agg.filter((r) => r.metric === 'total_time_ms')) {
      const here = runs.filter((r) => r.variant === a.variant && r['link.bandwidth_bps'] === a['link.bandwidth_bps']);
      const converged = here.filter((r) => r.converged === '1');
      expect([a.runs, a.converged, a.n]).toEqual([String(here.length), String(converged.length), String(converged.length)]);
      if (converged.length === 0) expect(a.mean).toBe('');
      else expect(Number(a.mean)).toBeCloseTo(converged.reduce((s, r) => s + Number(r.total_time_ms), 0) / converged.length, 6);
    }
    // Bytes were sent by every run: their statistics keep all runs.
    const bytes = agg.find((r) => r.variant === 'pre-50ms' && r['link.bandwidth_bps'] === '10000000' && r.metric === 'wire_bytes')!;
    expect([bytes.runs, bytes.converged, bytes.n]).toEqual(['2', '0', '2']);
  });

  it('are announced at the top of the report, in the findings and the headline table', () => {
    const html = read('report.html');
    const warning = /<div class="warning" id="warning"[^>]*>(.*?)<\/div>/s.exec(html)![1];
    expect(warning).toContain('4 of 18 runs did not reach their goal (converged = 0): pre-50ms (2 of 6 runs), pre-300ms (2 of 6 runs).');
    expect(warning).toContain('no total migration time and no downtime');
    expect(html.indexOf('id="warning"')).toBeLessThan(html.indexOf('id="headline"'));
    expect(html).toContain('pre-50ms and pre-300ms did not converge at 10 Mbit/s; they did from 100 Mbit/s to 1 Gbit/s.');
    const row = /<tr class="first"><td class="key">10 Mbit\/s<\/td><td class="key variant">pre-50ms<\/td>(.*?)<\/tr>/.exec(html)![1];
    expect(row).toContain('>not converged<');
    expect(row).toContain('>0/2<');
    expect(html).toContain('One point up close: link bandwidth 1 Gbit/s');
  });

  it('are marked with crosses in the charts: along the bottom for times, on the point for bytes', () => {
    const time = JSON.parse(read('charts/total_time_ms-vs-link.bandwidth_bps.vl.json'));
    const crossed = (spec: { data: { values: Array<Record<string, unknown>> } }, field: string) => spec.data.values.filter((v) => v[field] !== null).map((v) => `${v.variant}@${v.x}`);
    expect(crossed(time, 'cross_y')).toEqual(['pre-50ms@10', 'pre-300ms@10']);
    expect(time.data.values.filter((v: { x: number }) => v.x === 10).map((v: { mean: number | null }) => v.mean)).toEqual([null, null, expect.any(Number)]);
    const bytes = JSON.parse(read('charts/wire_bytes-vs-link.bandwidth_bps.vl.json'));
    expect(crossed(bytes, 'cross_mean')).toEqual(['pre-50ms@10', 'pre-300ms@10']);
    // Drawn: rotated crosses in the SVG, and the note under the chart says what they mean.
    const svg = read('charts/total_time_ms-vs-link.bandwidth_bps.svg');
    expect((svg.match(/rotate\(45\)/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(read('report.html')).toContain('✕ marks points where runs did not reach their goal (converged = 0)');
  });
});

describe('--detail-point', () => {
  it('is checked before any run: an axis of the sweep and a value in its unit, or exit 2 and nothing written', async () => {
    for (const [arg, says] of [
      ['vm.memory=1GiB', 'vm.memory is not an axis of this sweep with more than one value'],
      ['link.bandwidth=fast', 'cannot read "fast" as a bit rate'],
      ['bandwidth', 'write PATH=VALUE'],
    ]) {
      const bad = join(tmp, 'bad');
      const r = await vmsim(['sweep', '--sweep', join(tmp, 'sweep.yaml'), '--quiet', '--out', bad, '--detail-point', arg], tmp);
      expect(r.code, arg).toBe(2);
      expect(r.stderr).toContain(`vmsim: --detail-point ${arg}: ${says}`);
      expect(r.stderr).toContain('axes: link.bandwidth');
      expect(existsSync(bad)).toBe(false);
    }
  });
});

