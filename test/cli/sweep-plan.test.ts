// Planning a sweep: validated points, run keys, seeds from (base seed, trial), shards, merging checks.
import { describe, expect, it } from 'vitest';
import { inputError as expectInputError } from '../helpers/errors.js';
import { planNamedSweep as planSweep } from '../../sim/cli/sweep.js';
import { pointKey } from '../../sim/pipeline/index.js';
import { shellQuote } from '../../sim/experiment/sweep-plan.js';
import { fingerprintOf, parseShard, readShard, shardRuns, shardText, SHARD_FORMAT, type ShardHeader } from '../../sim/cli/shard.js';
import { mergeShards } from '../../sim/cli/commands/merge.js';
import { deriveSeed } from '../../sim/run.js';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../../sim/results/record.js';

const SMALL = [
  { path: 'vm.memory', spec: '1MiB' },
  { path: 'vm.working_set', spec: '[]' },
];

const inputError = (fn: () => unknown): string => expectInputError(fn).message;

describe('planSweep', () => {
  const plan = planSweep({
    scenarioArg: 'stop-and-copy',
    axes: [...SMALL, { path: 'policy', spec: 'stop-and-copy' }, { path: 'link.bandwidth', spec: '1Mbit/s..100Mbit/s:log:3' }],
    trials: 2,
    seed: 7,
  });

  it('has one point per grid combination and trials runs per point, in grid order', () => {
    expect(plan.points).toHaveLength(3);
    expect(plan.jobs.map((r) => [r.index, r.point, r.trial])).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [2, 1, 0],
      [3, 1, 1],
      [4, 2, 0],
      [5, 2, 1],
    ]);
    expect(plan.points.map((p) => p.params['link.bandwidth_bps'])).toEqual([1e6, 1e7, 1e8]);
    expect(plan.definition.runs).toBe(6);
  });

  it('parameter columns carry units; the policy axis is the policy column, not a parameter', () => {
    expect(Object.keys(plan.points[0].params)).toEqual(['vm.memory_bytes', 'vm.working_set', 'link.bandwidth_bps']);
    expect(plan.points[0].policy).toBe('stop-and-copy');
  });

  it('keys name the policy, every column and the trial; seeds depend on (base seed, trial) only', () => {
    expect(plan.jobs[3].key).toBe('policy=stop-and-copy; vm.memory_bytes=1048576; vm.working_set=[]; link.bandwidth_bps=10000000; trial=1');
    for (const r of plan.jobs) expect(r.seed).toBe(deriveSeed(7, `trial:${r.trial}`));
  });

  it('a grid with one more point keeps every other run (key and seed) and shifts only indexes', () => {
    const bigger = planSweep({
      scenarioArg: 'stop-and-copy',
      axes: [...SMALL, { path: 'policy', spec: 'stop-and-copy' }, { path: 'link.bandwidth', spec: '1Mbit/s,3Mbit/s,10Mbit/s,100Mbit/s' }],
      trials: 2,
      seed: 7,
    });
    const old = new Map(plan.jobs.map((r) => [r.key, r.seed]));
    const kept = bigger.jobs.filter((r) => old.has(r.key));
    expect(kept).toHaveLength(plan.jobs.length);
    for (const r of kept) expect(r.seed).toBe(old.get(r.key));
    expect(bigger.fingerprint).not.toBe(plan.fingerprint);
  });

  it('the definition carries a reproducing command line, quoted for a shell', () => {
    expect(plan.definition.command).toBe(
      "vmsim sweep stop-and-copy --set vm.memory=1MiB --set 'vm.working_set=[]' --set policy=stop-and-copy --set link.bandwidth=1Mbit/s..100Mbit/s:log:3 --trials 2 --seed 7",
    );
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('the fingerprint depends on what determines results only', () => {
    const again = planSweep({ scenarioArg: 'stop-and-copy', axes: [...SMALL, { path: 'policy', spec: 'stop-and-copy' }, { path: 'link.bandwidth', spec: '1Mbit/s,10Mbit/s,100Mbit/s' }], trials: 2, seed: 7 });
    // Same values written differently: same sweep.
    expect(again.jobs.map((r) => r.key)).toEqual(plan.jobs.map((r) => r.key));
    const seed8 = planSweep({ scenarioArg: 'stop-and-copy', axes: SMALL, trials: 2, seed: 8 });
    const seed7 = planSweep({ scenarioArg: 'stop-and-copy', axes: SMALL, trials: 2, seed: 7 });
    expect(seed8.fingerprint).not.toBe(seed7.fingerprint);
  });

  it('policy option axes take their unit from the policy', () => {
    const p = planSweep({ scenarioArg: 'stop-and-copy', axes: [...SMALL, { path: 'options.device_state', spec: '0B..4KiB:3' }], trials: 1 });
    expect(p.points.map((x) => x.params['options.device_state_bytes'])).toEqual([0, 2048, 4096]);
    expect(p.points.map((x) => (x.options as { device_state: number }).device_state)).toEqual([0, 2048, 4096]);
  });

  it.each([
    [[{ path: 'link.nope', spec: '1,2' }], 'has no field "link.nope"'],
    [[{ path: 'seed', spec: '1,2' }], 'use --seed'],
    [[{ path: 'policy', spec: 'stop-and-copy,nope' }], 'unknown policy "nope"'],
    [[{ path: 'link.bandwidth', spec: '1Mbit/s,1000kbit/s' }], 'two points of the sweep have the same parameter values (policy=stop-and-copy; vm.memory_bytes=1048576; vm.working_set=[]; link.bandwidth_bps=1000000)'],
    [[{ path: 'link.bandwidth', spec: '0Mbit/s,1Mbit/s' }], 'field link.bandwidth: '],
    [[{ path: 'options.device_state', spec: '1..2:2' }], '--set options.device_state=1..2:2: cannot read "1" as a size'],
  ])('bad input %# fails before anything runs', (axes, detail) => {
    expect(inputError(() => planSweep({ scenarioArg: 'stop-and-copy', axes: [...SMALL, ...axes] }))).toContain(detail);
  });

  it('pointKey formats numbers like the CSV', () => {
    expect(pointKey({ variant: 'p', policy: 'p', params: { a: 0.1 + 0.2, b: 'x' } })).toBe('policy=p; a=0.3; b=x');
    expect(pointKey({ variant: 'p-50ms', policy: 'p', params: { a: 1 } })).toBe('variant=p-50ms; policy=p; a=1');
  });
});

describe('shards', () => {
  it('parses K/N and rejects anything else', () => {
    expect(parseShard('2/8')).toEqual({ k: 2, n: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ k: 1, n: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '3', 'a/b', '1.5/3', '-1/3', '']) expect(inputError(() => parseShard(bad))).toContain('--shard takes K/N');
  });

  it('the shards of a sweep cover every run exactly once, each a fair share', () => {
    const runs = Array.from({ length: 103 }, (_, index) => ({ index }));
    const shares = [1, 2, 3, 4, 5].map((k) => shardRuns(runs, k, 5));
    expect(shares.flat().map((r) => r.index).sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
    for (const s of shares) expect(s.length === 20 || s.length === 21).toBe(true);
  });

  describe('shard files and merging', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmsim-shard-'));
    const plan = planSweep({ scenarioArg: 'stop-and-copy', axes: [...SMALL, { path: 'link.bandwidth', spec: '1Mbit/s,2Mbit/s,3Mbit/s' }], trials: 2 });
    const record = (index: number): RunRecord => ({
      scenario: 's',
      kind: 'migration',
      variant: 'stop-and-copy',
      policy: 'stop-and-copy',
      seed: plan.jobs[index].seed,
      trial: plan.jobs[index].trial,
      params: plan.points[plan.jobs[index].point].params,
      metrics: { total_time_ms: index + 0.1 + 0.2, odd: index === 1 ? NaN : index === 2 ? Infinity : 1 / 3 },
    });
    const write = (k: number, n: number, over: Partial<ShardHeader> = {}, drop = -1): string => {
      const rows = shardRuns(plan.jobs, k, n)
        .filter((r) => r.index !== drop)
        .map((r) => ({ index: r.index, record: record(r.index) }));
      const header: ShardHeader = { format: SHARD_FORMAT, fingerprint: plan.fingerprint, k, n, runs: rows.length, code: plan.code, definition: plan.definition, ...over };
      const file = join(dir, `${k}-${n}-${Math.random().toString(36).slice(2)}.jsonl`);
      writeFileSync(file, shardText(header, rows));
      return file;
    };
    const load = (files: string[]) => files.map((path) => ({ path, shard: readShard(path) }));

    it('round-trips records exactly, NaN and infinities included, and merges in grid order', () => {
      const files = [write(2, 3), write(3, 3), write(1, 3)];
      const { records, definition } = mergeShards(load(files));
      expect(definition).toEqual(plan.definition);
      expect(records).toEqual(plan.jobs.map((r) => record(r.index)));
      expect(Number.isNaN(records[1].metrics.odd)).toBe(true);
      expect(records[2].metrics.odd).toBe(Infinity);
    });

    it('refuses a missing shard, a repeated shard, another sweep, another N, a partial or truncated file', () => {
      const [a, b, c] = [write(1, 3), write(2, 3), write(3, 3)];
      expect(inputError(() => mergeShards(load([a, c])))).toContain('shard 2/3 missing');
      expect(inputError(() => mergeShards(load([a, b, c, write(2, 3)])))).toContain('shard 2/3 is given twice');
      expect(inputError(() => mergeShards(load([a, b, write(3, 3, { fingerprint: fingerprintOf({ ...plan.definition, seed: 99 }, plan.code), definition: { ...plan.definition, seed: 99 } })])))).toContain('come from different sweeps (base seeds differ)');
      expect(inputError(() => mergeShards(load([a, write(2, 4)])))).toContain('shard counts (3 and 4)');
      expect(inputError(() => load([write(1, 3, { partial: true })]))).toContain('partial output of shard 1/3');
      const cut = write(1, 3);
      writeFileSync(cut, shardText({ format: SHARD_FORMAT, fingerprint: plan.fingerprint, k: 1, n: 3, runs: 2, code: plan.code, definition: plan.definition }, []).slice(0, -3));
      expect(inputError(() => load([cut]))).toContain('not a complete vmsim shard file');
      expect(inputError(() => mergeShards(load([a, b, write(3, 3, {}, 2)])))).toContain('run 2 is missing');
    });

    /** A shard file with one line changed by `edit` (line 1 is the header). */
    const tampered = (line: number, edit: (o: Record<string, any>) => void): string => {
      const file = write(1, 3);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const o = JSON.parse(lines[line - 1]);
      edit(o);
      lines[line - 1] = JSON.stringify(o);
      writeFileSync(file, lines.join('\n') + '\n');
      return file;
    };

    it.each<[string, number, (o: Record<string, any>) => void, string]>([
      ['an edited metric', 2, (o) => (o.record.metrics.total_time_ms = 1), 'this run does not match its checksum'],
      ['an edited seed', 3, (o) => (o.record.seed += 1), 'this run does not match its checksum'],
      ['an edited parameter', 2, (o) => (o.record.params['link.bandwidth_bps'] = 5e6), 'this run does not match its checksum'],
      ['a run without metrics', 2, (o) => delete o.record.metrics, 'a run line is malformed: field record.metrics'],
      ['a run moved to another index', 2, (o) => (o.index = 3), 'this run does not match its checksum'],
      ['a header without a definition', 1, (o) => delete o.definition, 'its header is malformed: field definition'],
      ['a header promising 2^40 runs', 1, (o) => (o.definition.runs = 2 ** 40), 'its header does not match its checksum'],
      ['an edited header', 1, (o) => (o.definition.trials = 5), 'its header does not match its checksum'],
    ])('refuses %s, naming the file and line', (_name, line, edit, detail) => {
      const file = tampered(line, edit);
      const e = inputError(() => readShard(file));
      expect(e).toContain(`${file}, line ${line}: `);
      expect(e).toContain(detail);
    });

    it('a header whose checksum was recomputed still has to match its fingerprint and grid', () => {
      const file = write(1, 3);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      const h = JSON.parse(lines[0]);
      delete h.sha;
      h.definition.runs = 2 ** 40;
      lines[0] = shardText(h, []).split('\n')[0];
      writeFileSync(file, lines.join('\n') + '\n');
      expect(inputError(() => readShard(file))).toContain('promises 1099511627776 runs, but its grid has 3 points of 2 trials');
      rmSync(dir, { recursive: true, force: true });
    });
  });
});
