// End to end: the built CLI (in-process, and the bundled executable dist/vmsim/main.js spawned as a user would run it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireDist, ROOT, vmsim, CLI_TIMEOUT } from '../helpers/cli.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

const SHIPPED = join(ROOT, 'scenarios', 'migration', 'stop-and-copy.yaml');
const HEADER =
  'scenario,variant,policy,seed,trial,total_time_ms,setup_time_ms,downtime_ms,expected_downtime_ms,transferred_bytes,remaining_bytes,duplicate_pages,normal_pages,' +
  'dirty_sync_count,dirty_pages_rate,precopy_bytes,downtime_bytes,postcopy_bytes,postcopy_requests,guest_lost_s,guest_slowdown_pct,' +
  'converged,elapsed_ms,postcopy_faults,xbzrle_pages,xbzrle_bytes,xbzrle_cache_miss,xbzrle_overflow,wire_bytes,transfers,events';
const OUTPUTS = ['remaining.csv', 'rounds.csv', 'runs.csv'];

let TMP: string;
let counter = 0;
/** A fresh path under the temp dir that does not exist yet. */
const fresh = (name: string) => join(TMP, `${++counter}-${name}`);

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}


/** Parse a runs.csv without quoted cells (all the CLI writes for these scenarios). */
function readRuns(dir: string): { text: string; header: string[]; rows: Array<Record<string, string>> } {
  const text = readFileSync(join(dir, 'runs.csv'), 'utf8');
  const [head, ...lines] = text.trimEnd().split('\n');
  const header = head.split(',');
  const rows = lines.map((l) => {
    const cells = l.split(',');
    expect(cells).toHaveLength(header.length);
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
  return { text, header, rows };
}

/** A bad-input failure: exit 2, a one-paragraph "vmsim: ..." message, no stack, nothing on stdout. */
function expectInputFailure(r: Result, ...details: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('vmsim: ')).toBe(true);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trim()).not.toMatch(/\n\s*\n/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
  for (const d of details) expect(r.stderr).toContain(d);
}

beforeAll(async () => {
  requireDist();
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-e2e-'));
}, 130_000);

afterAll(async () => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('vmsim: commands', () => {
  it('--help lists the commands and exits 0', async () => {
    const r = await vmsim(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['vmsim run <scenario>', 'vmsim validate <scenario>', 'vmsim policies', 'vmsim schema']) {
      expect(r.stdout).toContain(cmd);
    }
    expect(r.stderr).toBe('');
  });

  it('policies lists stop-and-copy as a migration policy', async () => {
    const r = await vmsim(['policies']);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('stop-and-copy '));
    expect(line).toBeDefined();
    expect(line).toMatch(/^stop-and-copy\s+migration\s+suspend, send all memory/);
  });

  it('validate prints ok for the shipped scenario', async () => {
    const r = await vmsim(['validate', 'stop-and-copy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${SHIPPED}: ok (migration scenario "stop-and-copy", policy stop-and-copy)\n`);
  });

  it('schema prints a JSON Schema with a "link" property', async () => {
    const r = await vmsim(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    const propertyNames = new Set<string>();
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object') for (const k of Object.keys(o.properties)) propertyNames.add(k);
      for (const x of Object.values(o)) walk(x);
    };
    walk(schema);
    for (const p of ['kind', 'link', 'vm', 'bandwidth', 'memory']) expect(propertyNames).toContain(p);
  });

  // Regression test for a bug found in review (now fixed).
  it('schema --out writes to an absolute path as given', async () => {
    const cwd = fresh('cwd');
    mkdirSync(cwd);
    const out = join(fresh('abs'), 'schema.json');
    const r = await vmsim(['schema', '--out', out], cwd);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('vmsim run', () => {
  let first: string;

  beforeAll(async () => {
    first = fresh('out');
  });

  it('writes OUT/runs.csv with the header and one row, printing nothing with --quiet', async () => {
    const r = await vmsim(['run', 'stop-and-copy', '--out', first, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(readdirSync(first).sort()).toEqual(OUTPUTS);
    const { header, rows } = readRuns(first);
    expect(header.join(',')).toBe(HEADER);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toMatchObject({ scenario: 'stop-and-copy', policy: 'stop-and-copy', trial: '0', transfers: '1' });
    expect(row.seed).toMatch(/^\d+$/);
    // 1 GiB over 1 Gbit/s with 0.5 ms latency: time = bytes * 8 / 1e9 s + 0.5 ms.
    const bytes = Number(row.transferred_bytes);
    expect(bytes).toBeGreaterThan(262144 * 9);
    expect(bytes).toBeLessThan(262144 * 4104);
    expect(Number(row.total_time_ms)).toBeCloseTo((bytes * 8) / 1e6 + 0.5, 5);
    expect(row.downtime_ms).toBe(row.total_time_ms);
  });

  it('the same seed gives a byte-identical runs.csv; --seed 2 a different seed column', async () => {
    const again = fresh('again');
    expect((await vmsim(['run', 'stop-and-copy', '--out', again, '--quiet', '--seed', '1'])).code).toBe(0);
    const a = readRuns(first);
    const b = readRuns(again);
    expect(b.text).toBe(a.text);

    const other = fresh('seed2');
    expect((await vmsim(['run', 'stop-and-copy', '--out', other, '--quiet', '--seed', '2'])).code).toBe(0);
    const c = readRuns(other);
    expect(c.header).toEqual(a.header);
    expect(c.rows[0].seed).toMatch(/^\d+$/);
    expect(c.rows[0].seed).not.toBe(a.rows[0].seed);
  });

  it('--set link.bandwidth=128Mbit/s becomes a link.bandwidth_bps column', async () => {
    const out = fresh('set');
    const r = await vmsim(['run', 'stop-and-copy', '--set', 'link.bandwidth=128Mbit/s', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = readRuns(out);
    expect(header.slice(0, 6)).toEqual(['scenario', 'variant', 'policy', 'seed', 'trial', 'link.bandwidth_bps']);
    expect(rows[0]['link.bandwidth_bps']).toBe('128000000');
    const bytes = Number(rows[0].transferred_bytes);
    expect(Number(rows[0].total_time_ms)).toBeCloseTo((bytes * 8) / 128e6 * 1e3 + 0.5, 4);
  });

  it('without --quiet prints a summary and the files written', async () => {
    const out = fresh('loud');
    const r = await vmsim(['run', 'stop-and-copy', '--out', out, '--set', 'vm.memory=64MiB', '--set', 'vm.working_set=[]']);
    expect(r.code, r.stderr).toBe(0);
    // The report's headline in human units within 100 columns (test/cli/summary.test.ts has more).
    expect(r.stdout).toMatch(/^variant\s+Total\s+Downtime\s+Bytes on\s+Guest work lost\s+Guest slowdown\s+Runs that\n\s+migration time\s+the wire\s+over the migration\s+converged\n/);
    for (const line of r.stdout.split('\n').slice(0, -2)) expect(line.length).toBeLessThanOrEqual(100);
    expect(r.stdout).toContain(`wrote ${join(out, 'runs.csv')}`);
  });

  it('--trace FILE.json writes trace-event JSON (one process per trial); --trace-format picks either format by name', async () => {
    const out = fresh('perfetto');
    const r = await vmsim(['run', 'stop-and-copy', '--out', out, '--quiet', '--trials', '2', '--trace', join(out, 'trace.json')]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8'));
    const spans = doc.traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    expect(new Set(spans.map((e: { pid: number }) => e.pid))).toEqual(new Set([1, 2]));
    const memory = spans.filter((e: { name: string }) => e.name === 'memory-image' || e.name === 'memory');
    expect(memory.length).toBe(2);
    const asLines = await vmsim(['run', 'stop-and-copy', '--out', out, '--quiet', '--trace', join(out, 'trace.json'), '--trace-format', 'jsonl']);
    expect(asLines.code, asLines.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'trace.json'), 'utf8').split('\n')[0])).toHaveProperty('type');
    const bad = await vmsim(['run', 'stop-and-copy', '--out', out, '--quiet', '--trace', join(out, 't.json'), '--trace-format', 'chrome']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--trace-format takes jsonl or perfetto, got "chrome"');
  }, CLI_TIMEOUT);

  it('--trace writes JSON lines: t never decreases within a trial, transfer bytes balance', async () => {
    const out = fresh('trace');
    const trace = join(out, 'trace.jsonl');
    const r = await vmsim(['run', 'stop-and-copy', '--out', out, '--quiet', '--trials', '2', '--trace', trace]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...OUTPUTS, 'trace.jsonl']);
    const { rows } = readRuns(out);
    expect(rows.map((x) => x.trial)).toEqual(['0', '1']);

    const events = readFileSync(trace, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const trial of [0, 1]) {
      const mine = events.filter((e) => e.trial === trial);
      expect(mine.length).toBeGreaterThan(0);
      for (let i = 1; i < mine.length; i++) expect(mine[i].t).toBeGreaterThanOrEqual(mine[i - 1].t);
      const starts = mine.filter((e) => e.type === 'transfer-start');
      const ends = mine.filter((e) => e.type === 'transfer-end' && !e.cancelled);
      expect(starts.length).toBe(1);
      expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
      const sum = (xs: Array<{ bytes: number }>) => xs.reduce((s, e) => s + e.bytes, 0);
      expect(sum(ends)).toBe(sum(starts));
      expect(sum(ends)).toBe(Number(rows[trial].transferred_bytes));
      const last = mine.at(-1);
      expect(last).toMatchObject({ type: 'vm-state', to: 'running', site: 'destination' });
      expect(last.t * 1e3).toBeCloseTo(Number(rows[trial].total_time_ms), 6);
    }
    // Every event carries its trial; nothing else is in the file.
    expect(events.every((e) => e.trial === 0 || e.trial === 1)).toBe(true);
  });
});

describe('vmsim: bad input exits 2 with one paragraph and writes nothing', () => {
  let badYaml: string;
  beforeAll(async () => {
    const dir = fresh('yaml');
    mkdirSync(dir);
    badYaml = join(dir, 'broken.yaml');
    writeFileSync(badYaml, 'kind: migration\nname: [unclosed\n');
  });

  // Built lazily: the temp dir and the YAML file exist only once the hooks have run.
  const cases: Array<[string, () => { args: string[]; details: string[] }]> = [
    ['unknown policy', () => ({ args: ['run', 'stop-and-copy', '--policy', 'nope'], details: ['--policy: unknown policy "nope"', 'policies of kind migration: ', 'stop-and-copy'] })],
    ['unknown --set path', () => ({ args: ['run', 'stop-and-copy', '--set', 'link.nope=3'], details: [`--set link.nope: ${SHIPPED} has no field "link.nope"`] })],
    ['malformed --set', () => ({ args: ['run', 'stop-and-copy', '--set', 'novalue'], details: ['--set takes PATH=VALUE', '"novalue"'] })],
    ['zero bandwidth', () => ({ args: ['run', 'stop-and-copy', '--set', 'link.bandwidth=0Mbit/s'], details: [`${SHIPPED}: field link.bandwidth: `, 'greater than zero'] })],
    ['a quantity without a unit', () => ({ args: ['run', 'stop-and-copy', '--set', 'vm.memory=512'], details: ['field vm.memory: ', 'with a unit'] })],
    ['missing file', () => {
      const file = join(TMP, 'does-not-exist.yaml');
      return { args: ['run', file], details: [`no scenario file "${file}" and no shipped scenario of that name`] };
    }],
    ['malformed YAML file', () => ({ args: ['run', badYaml], details: [`${badYaml} is not valid YAML or JSON: `] })],
    ['unknown command', () => ({ args: ['frobnicate'], details: ['frobnicate'] })],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const { args, details } = make();
    const out = fresh('bad');
    const r = await vmsim([...args, '--out', out]);
    expectInputFailure(r, ...details);
    expect(existsSync(out)).toBe(false);
  });

  it('validate reports the same errors with exit 2', async () => {
    expectInputFailure(await vmsim(['validate', 'stop-and-copy', '--set', 'link.bandwidth=0Mbit/s']), 'field link.bandwidth: ');
  });

  // Regression test for a bug found in review (now fixed).
  it('a seed that is not a number is rejected', async () => {
    const out = fresh('seed-nan');
    expectInputFailure(await vmsim(['run', 'stop-and-copy', '--seed', 'abc', '--out', out, '--quiet']), 'seed');
    expect(existsSync(out)).toBe(false);
  });

  // Regression test for a bug found in review (now fixed).
  it('--trials 0 is rejected', async () => {
    const out = fresh('trials0');
    expectInputFailure(await vmsim(['run', 'stop-and-copy', '--trials', '0', '--out', out, '--quiet']), 'trials');
    expect(existsSync(out)).toBe(false);
  });

  // Regression test for a bug found in review (now fixed).
  it('--trials 1.5 is rejected', async () => {
    const out = fresh('trials1.5');
    expectInputFailure(await vmsim(['run', 'stop-and-copy', '--trials', '1.5', '--out', out, '--quiet']), 'trials');
    expect(existsSync(out)).toBe(false);
  });

  // Regression test for a bug found in review (now fixed).
  it('--set before the scenario name takes one value', async () => {
    const out = fresh('set-first');
    const r = await vmsim(['run', '--set', 'link.bandwidth=128Mbit/s', 'stop-and-copy', '--out', out, '--quiet']);
    expect(r.stderr).not.toContain('undefined');
    expect(r.code).toBe(0);
    expect(readRuns(out).rows[0]['link.bandwidth_bps']).toBe('128000000');
  });
});

describe('vmsim: a run that stops early', () => {
  it('a runaway guard exits 4 with one line and leaves no runs.csv or trace', async () => {
    const out = fresh('limit');
    const r = await vmsim(['run', 'stop-and-copy', '--set', 'limits.max_events=1', '--out', out, '--quiet']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^vmsim: run stopped: more than 1 events processed/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  // Regression test for a bug found in review (now fixed).
  it('a failed run with --trace inside the output dir leaves no output dir', async () => {
    const out = fresh('limit-trace');
    const r = await vmsim(['run', 'stop-and-copy', '--set', 'limits.max_events=1', '--out', out, '--quiet', '--trace', join(out, 'trace.jsonl')]);
    expect(r.code).toBe(4);
    expect(existsSync(out)).toBe(false);
  });
});

describe('pipes', () => {
  it('a reader that stops early (| head) is not an error: no stack trace, exit 0', async () => {
    // The reader closes its end before the command writes anything, so every write meets EPIPE.
    const child = spawn(process.execPath, ['dist/vmsim/main.js', 'schema'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});

describe('missing arguments', () => {
  it('run without a scenario names what is missing (exit 2)', async () => {
    const r = spawnSync(process.execPath, ['dist/vmsim/main.js', 'run'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('name a scenario: a YAML or JSON file, or a shipped scenario such as isr-2005');
    expect(r.stderr).not.toContain('undefined');
  });
});
