// `vmsim sweep` and `vmsim merge` end to end, through the built CLI: outputs byte-identical whatever
// the worker count or sharding, seeds stable when the grid grows, bad input rejected before anything
// is written, Ctrl-C keeping the completed runs as partial output.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAIN, ROOT, requireDist, vmsim, CLI_TIMEOUT } from '../helpers/cli.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });


let TMP: string;
let counter = 0;
const fresh = (name: string): string => join(TMP, `${++counter}-${name}`);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}


async function ok(args: string[]): Promise<Result> {
  const r = await vmsim(args);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** Every file under dir, relative path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

function expectSameFiles(a: string, b: string): void {
  const sa = snapshot(a);
  const sb = snapshot(b);
  expect([...sb.keys()]).toEqual([...sa.keys()]);
  for (const [k, v] of sa) expect(sb.get(k)!.equals(v), `${k} differs`).toBe(true);
}

const lines = (file: string): string[] => readFileSync(file, 'utf8').trimEnd().split('\n');

/** A bad-input failure: exit 2, one "vmsim: ..." paragraph, nothing on stdout. */
function expectInputFailure(r: Result, ...details: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('vmsim: ')).toBe(true);
  expect(r.stderr.trim()).not.toMatch(/\n\s*\n/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  for (const d of details) expect(r.stderr).toContain(d);
}

// A small VM: runs take about a millisecond; its content is random (20% zero pages), so trials differ.
const SMALL = ['--set', 'vm.memory=2MiB', '--set', 'vm.working_set=[]'];
const GRID = ['sweep', 'stop-and-copy', ...SMALL, '--set', 'policy=stop-and-copy', '--set', 'link.bandwidth=1Mbit/s..1Gbit/s:log:6', '--set', 'options.device_state=0B,4KiB', '--trials', '3', '--seed', '11'];

beforeAll(async () => {
  requireDist();
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-sweep-'));
}, 30_000);

afterAll(async () => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('vmsim sweep: outputs', () => {
  let one: string;

  beforeAll(async () => {
    one = fresh('w1');
    const r = await ok([...GRID, '--workers', '1', '--png', '--quiet', '--out', one]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  }, 60_000);

  it('writes tidy runs.csv: ids, every axis with its unit, every metric, in grid order', async () => {
    const rows = lines(join(one, 'runs.csv'));
    expect(rows[0]).toBe(
      'scenario,variant,policy,seed,trial,vm.memory_bytes,vm.working_set,link.bandwidth_bps,options.device_state_bytes,total_time_ms,setup_time_ms,downtime_ms,expected_downtime_ms,transferred_bytes,remaining_bytes,duplicate_pages,normal_pages,dirty_sync_count,dirty_pages_rate,precopy_bytes,downtime_bytes,postcopy_bytes,postcopy_requests,guest_lost_s,guest_slowdown_pct,converged,elapsed_ms,postcopy_faults,xbzrle_pages,xbzrle_bytes,xbzrle_cache_miss,xbzrle_overflow,wire_bytes,transfers,events',
    );
    expect(rows).toHaveLength(1 + 6 * 2 * 3);
    const cells = rows.slice(1).map((l) => l.split(','));
    expect(cells.map((c) => c[4])).toEqual(Array.from({ length: 36 }, (_, i) => String(i % 3)));
    expect(cells.slice(0, 6).map((c) => [c[7], c[8]])).toEqual([
      ['1000000', '0'],
      ['1000000', '0'],
      ['1000000', '0'],
      ['1000000', '4096'],
      ['1000000', '4096'],
      ['1000000', '4096'],
    ]);
    expect(new Set(cells.map((c) => c[7]))).toEqual(new Set(['1000000', '3981071.70553', '15848931.9246', '63095734.4480', '251188643.151', '1000000000'].map((v) => String(Number(v)))));
    // Common random numbers: trial k has one seed everywhere; trials differ.
    expect(new Set(cells.filter((c) => c[4] === '0').map((c) => c[3])).size).toBe(1);
    expect(new Set(cells.map((c) => c[3])).size).toBe(3);
    const transferred = rows[0].split(',').indexOf('transferred_bytes');
    expect(new Set(cells.slice(0, 3).map((c) => c[transferred])).size).toBeGreaterThan(1);
  }, 120_000);

  it('writes aggregate.csv, chart specs, SVG, PNG and a self-contained report', async () => {
    const agg = lines(join(one, 'aggregate.csv'));
    expect(agg[0]).toBe('scenario,variant,policy,vm.memory_bytes,vm.working_set,link.bandwidth_bps,options.device_state_bytes,metric,runs,converged,n,mean,sd,min,max,ci95_low,ci95_high');
    const metrics = lines(join(one, 'runs.csv'))[0].split(',').slice(9);
    expect(agg).toHaveLength(1 + 12 * metrics.length);
    const charts = readdirSync(join(one, 'charts'));
    for (const m of ['total_time_ms', 'downtime_ms', 'wire_bytes', 'elapsed_ms']) {
      for (const ext of ['vl.json', 'svg', 'png']) expect(charts).toContain(`${m}-vs-link.bandwidth_bps.${ext}`);
    }
    // A counter of the simulation itself is in the CSV, not charted.
    expect(charts).not.toContain('transfers-vs-link.bandwidth_bps.svg');
    // The memory stream (QEMU's ram transferred) depends on neither axis: the device state is on the wire only.
    expect(charts).not.toContain('transferred_bytes-vs-link.bandwidth_bps.svg');
    const spec = JSON.parse(readFileSync(join(one, 'charts', 'total_time_ms-vs-link.bandwidth_bps.vl.json'), 'utf8'));
    expect(spec.$schema).toMatch(/vega-lite/);
    expect(spec.facet.field).toBe('facet');
    const html = readFileSync(join(one, 'report.html'), 'utf8');
    expect(html).toContain('vmsim sweep stop-and-copy --set vm.memory=2MiB');
    // A figure per chart; metrics that never vary (the post-copy counters here) get none.
    expect(html.match(/<figure /g)).toHaveLength(charts.filter((c) => c.endsWith('.svg')).length);
    expect(charts).not.toContain('postcopy_bytes-vs-link.bandwidth_bps.svg');
    expect(html).not.toMatch(/<script/i);
  }, 120_000);

  it('identical bytes with 2 workers', async () => {
    const two = fresh('w2');
    await ok([...GRID, '--workers', '2', '--png', '--quiet', '--out', two]);
    expectSameFiles(one, two);
  }, 120_000);

  it('identical bytes from 3 shards merged (given in any order, as files or a folder)', async () => {
    const shards = fresh('shards');
    for (const k of [2, 3, 1]) {
      const r = await ok([...GRID, '--shard', `${k}/3`, '--out', shards]);
      expect(r.stdout).toMatch(new RegExp(`^12 runs \\(shard ${k}/3 of 36\\)`));
    }
    expect(readdirSync(shards).sort()).toEqual(['shard-1-of-3.jsonl', 'shard-2-of-3.jsonl', 'shard-3-of-3.jsonl']);
    const merged = fresh('merged');
    await ok(['merge', shards, '--png', '--quiet', '--out', merged]);
    expectSameFiles(one, merged);
    const byFiles = fresh('merged-files');
    await ok(['merge', join(shards, 'shard-3-of-3.jsonl'), join(shards, 'shard-1-of-3.jsonl'), join(shards, 'shard-2-of-3.jsonl'), '--quiet', '--out', byFiles]);
    expect(readFileSync(join(byFiles, 'runs.csv'))).toEqual(readFileSync(join(one, 'runs.csv')));
  }, 120_000);

  it('a sweep file gives the same runs as the flags', async () => {
    const dir = fresh('sweepfile');
    mkdirSync(dir);
    const file = join(dir, 'sweep.yaml');
    writeFileSync(
      file,
      [
        'scenario: stop-and-copy',
        'trials: 3',
        'seed: 11',
        'set:',
        '  vm.memory: 2MiB',
        "  vm.working_set: '[]'",
        '  policy: [stop-and-copy]',
        '  link.bandwidth: 1Mbit/s..1Gbit/s:log:6',
        '  options.device_state: [0B, 4KiB]',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    await ok(['sweep', '--sweep', file, '--quiet', '--out', out]);
    expect(readFileSync(join(out, 'runs.csv'))).toEqual(readFileSync(join(one, 'runs.csv')));
    expect(readFileSync(join(out, 'aggregate.csv'))).toEqual(readFileSync(join(one, 'aggregate.csv')));
  }, 120_000);
});

describe('vmsim sweep: seeds', () => {
  it('a sweep that gains a point keeps every other row byte for byte, and rows equal `vmsim run`', async () => {
    const base = ['sweep', 'stop-and-copy', ...SMALL, '--trials', '3', '--quiet'];
    const a = fresh('seed-a');
    const b = fresh('seed-b');
    await ok([...base, '--set', 'link.bandwidth=8Mbit/s,32Mbit/s', '--out', a]);
    await ok([...base, '--set', 'link.bandwidth=4Mbit/s,8Mbit/s,16Mbit/s,32Mbit/s', '--out', b]);
    const ra = lines(join(a, 'runs.csv'));
    const rb = lines(join(b, 'runs.csv'));
    expect(rb[0]).toBe(ra[0]);
    const bw = (l: string): string => l.split(',')[7];
    expect(rb.slice(1).filter((l) => ['8000000', '32000000'].includes(bw(l)))).toEqual(ra.slice(1));

    const run = fresh('seed-run');
    await ok(['run', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=32Mbit/s', '--trials', '3', '--quiet', '--out', run]);
    expect(lines(join(run, 'runs.csv'))).toEqual([ra[0], ...ra.slice(4)]);
  }, 120_000);
});

describe('vmsim sweep and merge: bad input exits 2 and writes nothing', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['a range without a count', ['--set', 'link.bandwidth=1Mbit/s..2Mbit/s'], ['--set link.bandwidth=1Mbit/s..2Mbit/s: cannot read', 'LOW..HIGH:log:N']],
    ['a log range through zero', ['--set', 'link.bandwidth=0bit/s..2Mbit/s:log:3'], ['both ends greater than zero']],
    ['a range endpoint in the wrong unit', ['--set', 'link.bandwidth=1MiB..2MiB:3'], ['cannot read "1MiB" as a bit rate']],
    ['an unknown path', ['--set', 'link.nope=1,2'], ['has no field "link.nope"']],
    ['an unknown policy', ['--set', 'policy=stop-and-copy,nope'], ['unknown policy "nope"']],
    ['--shard 0/3', ['--shard', '0/3'], ['--shard takes K/N with 1 <= K <= N', '"0/3"']],
    ['--shard 4/3', ['--shard', '4/3'], ['"4/3"']],
    ['--workers 0', ['--workers', '0'], ['--workers must be a whole number from 1 to 256']],
  ];
  it.each(cases)('%s', async (_name, args, details) => {
    const out = fresh('bad');
    expectInputFailure(await vmsim(['sweep', 'stop-and-copy', ...SMALL, ...args, '--out', out]), ...details);
    expect(existsSync(out)).toBe(false);
  });

  it('merging shards of different sweeps, a missing shard, or no shard at all', async () => {
    const dir = fresh('mix');
    const args = ['sweep', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=1Mbit/s,2Mbit/s', '--quiet'];
    await ok([...args, '--shard', '1/2', '--out', join(dir, 'a')]);
    await ok([...args, '--seed', '5', '--shard', '2/2', '--out', join(dir, 'b')]);
    const out = fresh('merge-out');
    expectInputFailure(await vmsim(['merge', join(dir, 'a'), join(dir, 'b'), '--out', out]), 'come from different sweeps (base seeds differ)');
    expectInputFailure(await vmsim(['merge', join(dir, 'a'), '--out', out]), 'shard 2/2 missing');
    expectInputFailure(await vmsim(['merge', TMP + '/nothing-here', '--out', out]), 'does not exist');
    const empty = fresh('empty');
    mkdirSync(empty);
    expectInputFailure(await vmsim(['merge', empty, '--out', out]), 'no shard files');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});

describe('vmsim sweep: Ctrl-C', () => {
  it('stops cleanly: exit 130, completed runs in runs.partial.csv with a PARTIAL note, no runs.csv', async () => {
    // The shipped 1 GiB VM over 2000 runs on one worker: far longer than the test waits.
    const out = fresh('interrupted');
    const args = [MAIN, 'sweep', 'stop-and-copy', '--set', 'link.bandwidth=100Mbit/s..1Gbit/s:log:400', '--trials', '5', '--workers', '1', '--out', out];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    const code = await new Promise<number | null>((res) => {
      child.stderr.on('data', (d: Buffer) => {
        const first = stderr === '';
        stderr += d;
        // The first progress line comes with the first finished run: interrupt then.
        if (first && /runs \(/.test(stderr)) child.kill('SIGINT');
      });
      child.on('exit', (c) => res(c));
    });
    expect(code, stderr).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^sweep stop-and-copy: 1\/2000 runs \(0%\), [\d.]+ runs\/s, ETA /);
    const m = /interrupted by SIGINT after (\d+) of 2000 runs; the completed runs are in (.*) \(marked partial\)/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const done = Number(m![1]);
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(2000);
    expect(readdirSync(out).sort()).toEqual(['PARTIAL', 'runs.partial.csv']);
    expect(readFileSync(join(out, 'PARTIAL'), 'utf8')).toContain(`holds the ${done} of 2000 runs that completed`);
    const rows = lines(join(out, 'runs.partial.csv'));
    expect(rows).toHaveLength(1 + done);
    for (const r of rows) expect(r.split(',')).toHaveLength(rows[0].split(',').length);
    // The rows are real runs: the first point's trials equal what `vmsim run` gives for it.
    const run = fresh('interrupted-run');
    await ok(['run', 'stop-and-copy', '--set', 'link.bandwidth=100000000bit/s', '--trials', '5', '--quiet', '--out', run]);
    const expected = lines(join(run, 'runs.csv'));
    expect(rows[0]).toBe(expected[0]);
    const n = Math.min(done, 5);
    expect(rows.slice(1, 1 + n)).toEqual(expected.slice(1, 1 + n));
  }, 60_000);
});

describe('vmsim sweep: a run that fails', () => {
  it('exits with the run error (4 for a runaway), naming the run, and keeps the runs before it as partial', async () => {
    const out = fresh('runaway');
    const r = await vmsim(['sweep', 'stop-and-copy', ...SMALL, '--set', 'limits.max_events=100,1', '--trials', '3', '--workers', '1', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/^vmsim: run policy=stop-and-copy; vm.memory_bytes=2097152; vm.working_set=\[\]; limits.max_events=1; trial=0: run stopped: more than 1 events processed/);
    expect(r.stderr).toContain('the 3 completed runs are in');
    expect(readdirSync(out).sort()).toEqual(['PARTIAL', 'runs.partial.csv']);
    expect(lines(join(out, 'runs.partial.csv'))).toHaveLength(4);
  }, 120_000);
});

describe('vmsim --help', () => {
  it('lists sweep and merge', async () => {
    const r = await ok(['--help']);
    expect(r.stdout).toContain('vmsim sweep [scenario]');
    expect(r.stdout).toContain('vmsim merge <shards..>');
    const s = await ok(['sweep', '--help']);
    for (const flag of ['--set', '--sweep', '--trials', '--seed', '--workers', '--shard', '--out', '--png', '--quiet']) expect(s.stdout).toContain(flag);
  }, 120_000);
});
