// `vmsim reproduce isr-2005` end to end: every promised file, the runs.csv columns in the order of
// `run` and `sweep`, the tidy long table, charts that compile and render with a dot per cell, a
// marker per published value, a band per published range and a ring per miss, report.html with
// both tables, and a what-if that records its overrides everywhere and says what the comparison is
// then worth.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compile } from 'vega-lite';
import { CLI_TIMEOUT, requireDist } from '../helpers/cli.js';
import { parseCsv } from '../helpers/csv.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

const root = join(import.meta.dirname, '..', '..');
let out: string;
let stdout: string;

beforeAll(async () => {
  requireDist();
  out = join(mkdtempSync(join(tmpdir(), 'vmsim-repro-')), 'isr');
  const r = spawnSync(process.execPath, ['dist/vmsim/main.js', 'reproduce', 'isr-2005', '--trials', '1', '--out', out], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  stdout = r.stdout;
}, 60_000);
afterAll(async () => rmSync(join(out, '..'), { recursive: true, force: true }));

describe('vmsim reproduce isr-2005', () => {
  it('writes every promised file', async () => {
    for (const f of ['runs.csv', 'resume-latency.csv', 'slowdown.csv', 'results-long.csv', 'comparison.csv', 'summary.md', 'report.html', 'charts/resume-latency.vl.json', 'charts/resume-latency.svg', 'charts/slowdown.vl.json', 'charts/slowdown.svg']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(stdout).toContain('**Resume latency**');
    expect(stdout).toContain('published cells within tolerance');
  });

  it('runs.csv has the columns of run and sweep: identity, parameters, then the documented metrics', async () => {
    const lines = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    expect(lines[0].split(',').slice(0, 17)).toEqual([
      'scenario', 'variant', 'policy', 'seed', 'trial', 'bandwidth_bps', 'resume_latency_s', 'suspend_writeback_s', 'benchmark_time_s', 'slowdown_pct',
      'op_latency_s', 'bytes_fetched', 'cache_misses', 'lookaside_hits', 'min_travel_warm_s', 'min_travel_cold_s', 'suspend_state_bytes',
    ]);
    expect(lines).toHaveLength(1 + 6 * 4);
    const policies = new Set(lines.slice(1).map((l) => l.split(',')[2]));
    expect([...policies]).toEqual(['baseline', 'fully-proactive', 'demand-fetch', 'dongle-lka', 'dvd-lka', 'jukebox-lka']);
  });

  it('results-long.csv is tidy: a row per policy, bandwidth and metric, the published value beside it', async () => {
    const rows = parseCsv(readFileSync(join(out, 'results-long.csv'), 'utf8'));
    expect(Object.keys(rows[0])).toEqual(['policy', 'bandwidth_bps', 'metric', 'mean', 'sd', 'n', 'published', 'published_low', 'published_high', 'holds']);
    const at = (p: string, bw: string, m: string) => rows.find((r) => r.policy === p && r.bandwidth_bps === bw && r.metric === m)!;
    expect(at('demand-fetch', '100000', 'resume_latency_s')).toMatchObject({ n: '1', published: '4301', holds: 'true' });
    expect(at('fully-proactive', '10000000', 'resume_latency_s')).toMatchObject({ published: '', published_low: '10', published_high: '11', holds: 'true' });
    expect(at('baseline', '100000000', 'slowdown_pct')).toMatchObject({ published: '3.2', holds: 'false' });
    // The mean equals the wide table's.
    const wide = parseCsv(readFileSync(join(out, 'resume-latency.csv'), 'utf8')).find((r) => r.policy === 'dongle-lka')!;
    expect(at('dongle-lka', '1000000', 'resume_latency_s').mean).toBe(wide.bw_1000000_bps_mean_s);
    expect(rows.length).toBeGreaterThanOrEqual(24 * 15);
  });

  it('the table CSVs are laid out as the paper: a row per policy, mean and sd per bandwidth', async () => {
    const lines = readFileSync(join(out, 'resume-latency.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('policy,bw_100000000_bps_mean_s,bw_100000000_bps_sd_s,bw_10000000_bps_mean_s,bw_10000000_bps_sd_s,bw_1000000_bps_mean_s,bw_1000000_bps_sd_s,bw_100000_bps_mean_s,bw_100000_bps_sd_s');
    expect(lines).toHaveLength(7);
  });

  it('chart specs compile and the SVGs hold a dot per cell, a marker per published value, a band per range, a ring per miss', async () => {
    for (const name of ['resume-latency', 'slowdown']) {
      const spec = JSON.parse(readFileSync(join(out, 'charts', `${name}.vl.json`), 'utf8'));
      expect(() => compile(spec)).not.toThrow();
      const values = spec.data.values;
      expect(values).toHaveLength(24);
      const count = (field: string): number => values.filter((v: Record<string, unknown>) => v[field] !== null).length;
      const svg = readFileSync(join(out, 'charts', `${name}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      // Vega labels every mark item by role: a point per cell, per published value and per miss; a bar
      // per published range (fully proactive's 10-11 s: a band, named in the legend).
      const role = (r: string): number => (svg.match(new RegExp(`aria-roledescription="${r}"`, 'g')) ?? []).length;
      expect(role('point')).toBe(24 + count('published') + count('miss'));
      expect(role('bar')).toBe(count('published_low'));
      if (count('published_low') > 0) expect(svg).toContain('>published range<');
      if (count('miss') > 0) expect(svg).toContain('>outside tolerance<');
    }
    expect(JSON.parse(readFileSync(join(out, 'charts', 'slowdown.vl.json'), 'utf8')).data.values.filter((v: { miss: number | null }) => v.miss !== null)).toHaveLength(3);
  });

  it('report.html shows both tables with published values beside simulated ones and the misses', async () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<strong>32 of 35</strong> published cells within tolerance');
    expect(html).toMatch(/<table data-table="resume_latency">[\s\S]*<th>simulated<\/th><th>published<\/th>/);
    expect(html).toMatch(/<td>demand-fetch<\/td><td class="" title="[^"]*">13\.8 ± 0<\/td><td class="pub">14<\/td>/);
    expect(html).toContain('>10-11</td>');
    expect((html.match(/ ✗<\/td>/g) ?? []).length).toBe(3);
    expect(html.match(/<figure /g)).toHaveLength(2);
    expect(html).not.toContain('What-if');
  });
});

describe('a what-if', () => {
  it('records its overrides in summary.md, runs.csv and the report, and says the comparison is informative only', async () => {
    const whatIf = join(out, '..', 'what-if');
    const r = spawnSync(process.execPath, ['dist/vmsim/main.js', 'reproduce', 'isr-2005', '--trials', '1', '--set', 'vm.memory=1GB', '--set', 'vm.image=160MB', '--out', whatIf, '--quiet'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const summary = readFileSync(join(whatIf, 'summary.md'), 'utf8');
    expect(summary.startsWith('**What-if:** these inputs differ from the 2005 testbed (--set vm.memory=1GB, --set vm.image=160MB).')).toBe(true);
    expect(summary).toMatch(/\d+ of 35 published cells within tolerance \(informative only: the inputs differ from the testbed\)/);
    const runs = parseCsv(readFileSync(join(whatIf, 'runs.csv'), 'utf8'));
    expect(Object.keys(runs[0]).slice(5, 8)).toEqual(['bandwidth_bps', 'vm.memory_bytes', 'vm.image_bytes']);
    expect(new Set(runs.map((x) => `${x['vm.memory_bytes']} ${x['vm.image_bytes']}`))).toEqual(new Set(['1000000000 160000000']));
    const html = readFileSync(join(whatIf, 'report.html'), 'utf8');
    expect(html).toContain('id="what-if"');
    expect(html).toContain('--set vm.memory=1GB, --set vm.image=160MB');
    expect(html).toContain('vmsim reproduce isr-2005 --set vm.memory=1GB --set vm.image=160MB --trials 1');
  });
});
