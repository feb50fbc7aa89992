// Scenario fields written as distributions (scenarios/ranges.ts): found and checked when the scenario
// loads, drawn anew in each trial from the trial's seed (apart from the world's streams), carried as
// columns of their own, for every kind; and every way such a field can be refused.
import { describe, expect, it } from 'vitest';
import { run } from '../../sim/api.js';
import { LimitError, messages } from '../../sim/errors.js';
import { planSweep } from '../../sim/experiment/sweep-plan.js';
import { InThread, read } from '../../sim/pipeline/index.js';
import { sweepAxes } from '../../sim/web/experiment.js';
import type { RunRecord } from '../../sim/results/record.js';
import { inputError } from '../helpers/errors.js';
import { readScenario, shippedFile } from '../helpers/scenarios.js';
import { readFileSync } from 'node:fs';
import type { MigrationScenarioT } from '../../sim/kinds/migration/schema.js';

const SMALL = ['vm.memory=uniform(64MiB,128MiB)', 'vm.working_set=[]'];
const MiB = 2 ** 20;

/** A record's metrics without `events`, which counts the engine's work, not the model's outcome. */
const outcome = (r: RunRecord): Record<string, number> => Object.fromEntries(Object.entries(r.metrics).filter(([k]) => k !== 'events'));

describe('a field written as a distribution', () => {
  it('is found when the scenario loads, with its column, and validated at its centre', () => {
    const s = readScenario('stop-and-copy', SMALL);
    expect(s.ranges?.fields.map((f) => [f.name, f.column, f.unit])).toEqual([['vm.memory', 'vm.memory_bytes', 'bytes']]);
    expect((s.scenario as MigrationScenarioT).vm.memory).toBe(96 * MiB);
    // drawn per trial: not a parameter of the point
    expect(s.params).toEqual({ 'vm.working_set': '[]' });
  });

  it('is drawn anew each trial, inside its range; the same seed draws the same values', () => {
    const records = run(readScenario('stop-and-copy', SMALL), { trials: 6, seed: 3 });
    const drawn = records.map((r) => r.drawn!['vm.memory_bytes']);
    expect(new Set(drawn).size).toBe(6);
    expect(drawn.every((v) => v >= 64 * MiB && v <= 128 * MiB && Number.isInteger(v))).toBe(true);
    expect(run(readScenario('stop-and-copy', SMALL), { trials: 6, seed: 3 }).map((r) => r.drawn)).toEqual(records.map((r) => r.drawn));
    expect(run(readScenario('stop-and-copy', SMALL), { trials: 6, seed: 4 }).map((r) => r.drawn)).not.toEqual(records.map((r) => r.drawn));
    // the run used what it drew: a bigger memory takes longer to copy
    const byMemory = [...records].sort((a, b) => a.drawn!['vm.memory_bytes'] - b.drawn!['vm.memory_bytes']);
    expect(byMemory.map((r) => r.metrics.total_time_ms)).toEqual([...byMemory.map((r) => r.metrics.total_time_ms)].sort((a, b) => a - b));
  });

  it('leaves the world its own random numbers: a one-value choice runs exactly as the plain value', () => {
    const plain = run(readScenario('precopy-qemu', ['vm.memory=1GiB']), { trials: 2 });
    const drawn = run(readScenario('precopy-qemu', ['vm.memory=choice(1GiB)']), { trials: 2 });
    expect(drawn.map(outcome)).toEqual(plain.map(outcome));
    expect(drawn.map((r) => r.drawn)).toEqual([{ 'vm.memory_bytes': 2 ** 30 }, { 'vm.memory_bytes': 2 ** 30 }]);
  });

  it("a policy's option may be a distribution too: drawn per trial, a column with its unit", () => {
    const records = run(readScenario('precopy-qemu', ['options.downtime_limit=uniform(10ms,300ms)']), { trials: 3 });
    const limits = records.map((r) => r.drawn!['options.downtime_limit_s']);
    expect(new Set(limits).size).toBe(3);
    expect(limits.every((v) => v >= 0.01 && v <= 0.3)).toBe(true);
    expect(records[0].params).toEqual({});
  });

  it('a draw the scenario as a whole refuses is bad input naming the trial and the draw', () => {
    // the working set (320 MiB) fits the centre (640 MiB), not every draw
    const s = readScenario('precopy-qemu', ['vm.memory=uniform(256MiB,1GiB)']);
    const e = inputError(() => run(s, { trials: 20 }));
    expect(e.message.startsWith(`${shippedFile('precopy-qemu')}: trial `)).toBe(true);
    expect(e.message).toMatch(/yaml: trial \d+ drew vm\.memory=\d+B, which the scenario refuses: field vm\.working_set: the working set \(335544320 bytes\) is larger than memory \(\d+ bytes\)$/);
  });
});

/**
 * Per kind, a field drawn from a distribution: each trial's record equals the record of the same
 * trial with the drawn value set as a plain value, so the draw is what the run used.
 */
describe.each([
  ['isr-2005', 'link.bandwidth', 'uniform(10Mbit/s, 100Mbit/s)', 'link.bandwidth_bps', (v: number) => `${v}bit/s`],
  ['precopy-qemu', 'vm.working_set.0.rate', 'normal(20000 pages/s, 5000 pages/s)', 'vm.working_set.0.rate_pages_per_s', (v: number) => `${v}/s`],
  ['synthesis', 'overlay.size', 'choice(20MB, 50MB, 100MB)', 'overlay.size_bytes', (v: number) => `${v}B`],
  ['vdi', 'interaction.interval', 'uniform(500ms, 2s)', 'interaction.interval_s', (v: number) => `${v}s`],
  ['fork', 'clones', 'uniform(2, 6)', 'clones', (v: number) => String(v)],
])('kind of %s: %s drawn', (scenario, path, dist, column, asText) => {
  it('is a column, differs between trials, and is the value the trial ran with', () => {
    const records = run(readScenario(scenario, [`${path}=${dist}`]), { trials: 3 });
    const drawn = records.map((r) => r.drawn![column]);
    expect(new Set(drawn).size).toBeGreaterThan(1);
    for (const r of records) {
      const same = run(readScenario(scenario, [`${path}=${asText(r.drawn![column])}`]), { trials: r.trial + 1 })[r.trial];
      expect(same.seed).toBe(r.seed);
      expect(outcome(r)).toEqual(outcome(same));
    }
  });
});

describe('a draw over the memory budget', () => {
  it('stops with exit code 4, naming the trial and its draw (the centre fitted)', () => {
    const s = readScenario('stop-and-copy', ['vm.memory=choice(64MiB, 64GiB)', 'vm.working_set=[]', 'limits.max_memory=20MiB']);
    let caught: unknown;
    try {
      run(s, { trials: 4 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(LimitError);
    expect((caught as LimitError).exitCode).toBe(4);
    expect((caught as LimitError).message).toMatch(new RegExp(`^${shippedFile('stop-and-copy')}: trial \\d drew vm\\.memory=68719476736B: refused before starting: the run would hold about`));
  });
});

describe('crossing to a worker', () => {
  it('a plan with drawn fields survives structured cloning (worker threads, the explorer\'s Web Worker) and runs the same', () => {
    const text = readFileSync(shippedFile('precopy-qemu'), 'utf8');
    // the explorer's form: more settings, then the swept parameter
    const axes = sweepAxes({ axisPath: 'link.bandwidth', axisValues: '100Mbit/s..1Gbit/s:log:2', moreSets: 'vm.memory=uniform(512MiB, 1GiB)\noptions.downtime_limit=choice(50ms, 300ms)', trials: '', seed: '', variants: [], policies: [] });
    const plan = planSweep({ scenarioArg: 'x', scenario: read('x.yaml', text), axes, trials: 2 });
    const cloned = { ...plan, points: structuredClone(plan.points) };
    const here = new InThread().runSync(plan);
    expect(new InThread().runSync(cloned)).toEqual(here);
    expect(Object.keys(here[0].drawn!)).toEqual(['vm.memory_bytes', 'options.downtime_limit_s']);
  });
});

describe('refused', () => {
  const refused = (sets: string[], scenario = 'precopy-qemu'): string => inputError(() => readScenario(scenario, sets)).message;
  const file = shippedFile('precopy-qemu');
  const at = (path: string, detail: string, set: string): string => `${file}: field ${path}: ${messages.fromSet(detail, path, set)}`;

  it.each([
    ['vm.memory', 'uniform(5, 1)', messages.distributionValue('uniform(5, 1)', 'its low end', messages.badQuantity('5', 'a size', '"256KiB", "41MB", "4 GiB"'))],
    ['vm.memory', 'uniform(2GiB, 1GiB)', messages.distributionBackwards('uniform(2GiB, 1GiB)')],
    ['vm.memory', 'lognormal(1GiB, 1GiB)', messages.distributionUnknown('lognormal')],
    ['vm.memory', 'uniform(1Gbit/s, 2GiB)', messages.distributionValue('uniform(1Gbit/s, 2GiB)', 'its low end', messages.badQuantity('1Gbit/s', 'a size', '"256KiB", "41MB", "4 GiB"'))],
    ['link.bandwidth', 'normal(1Gbit/s, -1Mbit/s)', messages.distributionNegativeSd('normal(1Gbit/s, -1Mbit/s)')],
    ['vm.zero', 'choice()', messages.distributionEmptyChoice('choice()')],
    ['vm.memory', 'uniform(0B, 2GiB)', messages.distributionOutOfField('uniform(0B, 2GiB)', 'its low end', messages.notPositive('0B', 'a size'))],
    ['link.loss', 'choice(1%, 100%)', messages.distributionOutOfField('choice(1%, 100%)', 'value 2', 'a loss of 100% delivers nothing (every packet is resent forever); give less than 100%')],
    ['source.cores', 'uniform(1.5, 4)', messages.distributionValue('uniform(1.5, 4)', 'its low end', messages.distributionNotWhole('1.5'))],
  ])('%s=%s: bad distribution text, naming the field', (path, text, detail) => {
    expect(refused([`${path}=${text}`])).toBe(at(path, detail, text));
  });

  it.each([
    ['vm.name', 'uniform(1, 2)', messages.distributionFixedField()],
    ['kind', 'choice(1, 2)', messages.distributionFixedField()],
    ['policy', 'choice(precopy, postcopy)', messages.distributionFixedField()],
    ['vm.working_set', 'choice(1, 2)', messages.distributionFixedField()],
    ['vm.working_set.0.pattern', 'choice(1, 2)', messages.distributionFixedField()],
    ['trials', 'uniform(1, 5)', messages.distributionSetting('the trial count')],
  ])('%s=%s: a field that cannot vary per trial says so', (path, text, why) => {
    expect(refused([`${path}=${text}`])).toBe(at(path, messages.distributionNotHere(text, why), text));
  });

  it('a distribution YAML cut at its comma says to quote it', () => {
    const s = read('s.yaml', readFileSync(file, 'utf8').replace('rate: 20000 pages/s', 'rate: uniform(1000/s, 2000/s)'));
    expect(inputError(() => planSweep({ scenarioArg: 's.yaml', scenario: s, axes: [] })).message).toBe(`s.yaml: field vm.working_set.0.rate: ${messages.distributionCut('uniform(1000/s')}`);
  });

  it('a sweep axis over a field that is also a distribution', () => {
    const s = read(file, readFileSync(file, 'utf8').replace('memory: 1GiB', 'memory: uniform(1GiB, 2GiB)'));
    const axis = (spec: string, doc = s) => inputError(() => planSweep({ scenarioArg: 'x', scenario: doc, axes: [{ path: 'vm.memory', spec }] })).message;
    expect(axis('1GiB..4GiB:lin:3')).toContain(messages.distributionOnAxis('vm.memory'));
    const plain = read(file, readFileSync(file, 'utf8'));
    expect(axis('uniform(1GiB,2GiB),4GiB', plain)).toContain(messages.distributionOnAxis('vm.memory'));
    // one value replaces the distribution, as `vmsim run --set` does; one distribution is a fixed value of the grid
    expect(planSweep({ scenarioArg: 'x', scenario: s, axes: [{ path: 'vm.memory', spec: '1GiB' }] }).points[0].ranges).toBeUndefined();
    expect(planSweep({ scenarioArg: 'x', scenario: plain, axes: [{ path: 'vm.memory', spec: 'uniform(1GiB,2GiB)' }, { path: 'link.bandwidth', spec: '1Gbit/s,10Gbit/s' }] }).points.every((p) => p.ranges?.fields[0].column === 'vm.memory_bytes')).toBe(true);
  });
});
