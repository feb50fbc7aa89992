// `vmsim reproduce isr-2005` end to end: every promised file, the runs.csv columns the issue names,
// charts that compile and render with a bar per cell and a marker per published value.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compile } from 'vega-lite';
import { CLI_TIMEOUT } from '../helpers/cli.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

const root = join(import.meta.dirname, '..', '..');
let out: string;
let stdout: string;

beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), 'vmsim-repro-')), 'isr');
  const r = spawnSync(process.execPath, ['dist/sim/cli/main.js', 'reproduce', 'isr-2005', '--trials', '1', '--out', out], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  stdout = r.stdout;
}, 60_000);
afterAll(async () => rmSync(join(out, '..'), { recursive: true, force: true }));

describe('vmsim reproduce isr-2005', () => {
  it('writes every promised file', async () => {
    for (const f of ['runs.csv', 'resume-latency.csv', 'slowdown.csv', 'comparison.csv', 'summary.md', 'charts/resume-latency.vl.json', 'charts/resume-latency.svg', 'charts/slowdown.vl.json', 'charts/slowdown.svg']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    expect(stdout).toContain('**Resume latency**');
    expect(stdout).toContain('published cells within tolerance');
  });

  it('runs.csv has the documented columns first and a row per policy, bandwidth and trial', async () => {
    const lines = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    expect(lines[0].split(',').slice(0, 14)).toEqual([
      'policy', 'bandwidth_bps', 'trial', 'seed', 'resume_latency_s', 'suspend_writeback_s', 'benchmark_time_s', 'slowdown_pct',
      'op_latency_s', 'bytes_fetched', 'cache_misses', 'lookaside_hits', 'min_travel_warm_s', 'min_travel_cold_s',
    ]);
    expect(lines).toHaveLength(1 + 6 * 4);
    const policies = new Set(lines.slice(1).map((l) => l.split(',')[0]));
    expect([...policies]).toEqual(['baseline', 'fully-proactive', 'demand-fetch', 'dongle-lka', 'dvd-lka', 'jukebox-lka']);
  });

  it('the table CSVs are laid out as the paper: a row per policy, mean and sd per bandwidth', async () => {
    const lines = readFileSync(join(out, 'resume-latency.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('policy,bw_100000000_bps_mean_s,bw_100000000_bps_sd_s,bw_10000000_bps_mean_s,bw_10000000_bps_sd_s,bw_1000000_bps_mean_s,bw_1000000_bps_sd_s,bw_100000_bps_mean_s,bw_100000_bps_sd_s');
    expect(lines).toHaveLength(7);
  });

  it('chart specs compile and the SVGs hold a bar per cell and a marker per published value', async () => {
    for (const name of ['resume-latency', 'slowdown']) {
      const spec = JSON.parse(readFileSync(join(out, 'charts', `${name}.vl.json`), 'utf8'));
      expect(() => compile(spec)).not.toThrow();
      const values = spec.layer ? spec.data.values : [];
      expect(values).toHaveLength(24);
      const published = values.filter((v: { published: number | null }) => v.published !== null).length;
      expect(published).toBeGreaterThan(0);
      const ranges = values.filter((v: { published_low: number | null }) => v.published_low !== null).length;
      const svg = readFileSync(join(out, 'charts', `${name}.svg`), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      // Vega labels every mark item by role: a bar per cell, a point per published value, a rule per
      // published range (fully proactive's 10-11 s).
      const count = (role: string): number => (svg.match(new RegExp(`aria-roledescription="${role}"`, 'g')) ?? []).length;
      expect(count('bar')).toBe(24);
      expect(count('point')).toBe(published);
      expect(count('rule mark')).toBe(ranges);
    }
  });
});
