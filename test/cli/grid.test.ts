// Axis syntax, ranges with units, the cartesian product, and sweep files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { inputError as expectInputError } from '../helpers/errors.js';
import { gridPoints, parseAxis, splitTopLevel } from '../../sim/experiment/grid.js';
import { z } from 'zod';
import { bitRate, byteRate, bytes, duration, fraction, perSecond, unitAt, unitCodec } from '../../sim/fields.js';
import { readSweepFile } from '../../sim/cli/sweep-file.js';
import { mergeAxes } from '../../sim/experiment/sweep-plan.js';
import { resolveDetailPoint } from '../../sim/experiment/detail-point.js';
import { Planned, parseBitRate } from '../../sim/quantity.js';

const inputError = (fn: () => unknown): string => expectInputError(fn).message;

describe('parseAxis', () => {
  it('a single value and a list are taken literally', () => {
    expect(parseAxis('link.bandwidth', '10Mbit/s', 'bps').values).toEqual(['10Mbit/s']);
    expect(parseAxis('policy', 'stop-and-copy, precopy ,postcopy', undefined).values).toEqual(['stop-and-copy', 'precopy', 'postcopy']);
  });

  it('commas inside brackets, braces or quotes do not split', () => {
    expect(splitTopLevel('[{a: 1, b: 2}],[],"x,y"')).toEqual(['[{a: 1, b: 2}]', '[]', '"x,y"']);
    expect(parseAxis('vm.working_set', '[{name: hot, size: 1MiB, rate: 5/s}],[]', undefined).values).toEqual(['[{name: hot, size: 1MiB, rate: 5/s}]', '[]']);
  });

  it('a log range includes both ends exactly and is geometric in between', () => {
    const a = parseAxis('link.bandwidth', '64kbit/s..1Gbit/s:log:40', 'bps');
    expect(a.values).toHaveLength(40);
    expect(a.values[0]).toBe('64000bit/s');
    expect(a.values[39]).toBe('1000000000bit/s');
    const v = a.values.map((t) => parseBitRate(t));
    const ratio = Math.pow(1e9 / 64e3, 1 / 39);
    for (let i = 1; i < v.length; i++) expect(v[i] / v[i - 1]).toBeCloseTo(ratio, 9);
  });

  it('a linear range (":N" or ":lin:N") is evenly spaced; sizes are whole bytes', () => {
    expect(parseAxis('vm.memory', '1MiB..2MiB:3', 'bytes').values).toEqual(['1048576B', '1572864B', '2097152B']);
    expect(parseAxis('vm.memory', '0B..10B:lin:4', 'bytes').values).toEqual(['0B', '3B', '7B', '10B']);
    expect(parseAxis('link.latency', '0ms..30ms:4', 's').values).toEqual(['0s', '0.01s', '0.02s', '0.03s']);
    expect(parseAxis('vm.zero', '0%..50%:3', 'fraction').values).toEqual(['0', '0.25', '0.5']);
    expect(parseAxis('source.compress', '40MB/s..80MB/s:2', 'Bps').values).toEqual(['40000000B/s', '80000000B/s']);
    expect(parseAxis('x.rate', '0/s..100 pages/s:3', 'pages_per_s').values).toEqual(['0/s', '50/s', '100/s']);
    expect(parseAxis('source.cores', '1..4:4', undefined).values).toEqual(['1', '2', '3', '4']);
  });

  it('ranges and values mix in one list, in the order given', () => {
    expect(parseAxis('link.bandwidth', '1Mbit/s,10Mbit/s..30Mbit/s:3', 'bps').values).toEqual(['1Mbit/s', '10000000bit/s', '20000000bit/s', '30000000bit/s']);
  });

  it("a generated point's value is what its text reads as, without float noise: the value is handed over, the text only names it", () => {
    const fields = z.object({ b: bytes('b'), r: bitRate('r'), B: byteRate('B'), d: duration('d'), f: fraction('f'), p: perSecond('pages', 'p') });
    for (const key of ['b', 'r', 'B', 'd', 'f', 'p'] as const) {
      const c = unitCodec(unitAt(fields, key));
      for (const v of [0.1 + 0.2, 1 / 3, 12345.678, 64000, 1.5e-7, 7e20]) {
        if ((key === 'f' && v > 1) || (key === 'b' && v < 1)) continue; // a size below one byte is zero bytes, refused
        const { value, text } = c.point(v);
        expect(value).toBeInstanceOf(Planned);
        // exactly the number the text parses to: outputs cannot tell the two paths apart
        expect(fields.shape[key].parse(value)).toBe(c.parse(text));
        expect(fields.shape[key].parse(value)).toBeCloseTo(key === 'b' ? Math.round(v) : v, 9);
      }
    }
    expect(unitCodec('bps').point(0.1 + 0.2).text).toBe('0.3bit/s');
    expect(unitCodec(undefined).point(0.1 + 0.2)).toEqual({ value: 0.3, text: '0.3' });
  });

  it('a planned point gets the range checks of its field, named by its text; a bare number from a user stays refused', () => {
    const f = z.object({ r: bitRate('r'), f: fraction('f') });
    expect(f.safeParse({ r: unitCodec('bps').point(0).value, f: '0' }).error?.issues[0].message).toContain('"0bit/s"');
    expect(f.safeParse({ r: '1bit/s', f: unitCodec('fraction').point(1.5).value }).error?.issues[0].message).toContain('"1.5"');
    expect(f.safeParse({ r: 64000, f: '0' }).error?.issues[0]).toMatchObject({ code: 'invalid_type', message: expect.stringContaining('expected a quantity with a unit') });
  });

  it('a range reads its ends with the parser of the field it sweeps (one table of units)', () => {
    const fields = z.object({ b: bytes('b'), r: bitRate('r'), B: byteRate('B'), d: duration('d'), f: fraction('f'), p: perSecond('pages', 'p') });
    const texts = { b: '1.5KiB', r: '64 kbit/s', B: '400Mbit/s', d: '20ms', f: '25%', p: '5000 pages/s' };
    const parsed = fields.parse(texts);
    for (const [key, text] of Object.entries(texts)) {
      expect(unitCodec(unitAt(fields, key)).parse(text)).toBe(parsed[key as keyof typeof parsed]);
    }
  });

  it('every unit a shipped scenario field carries has a range codec', () => {
    const units = new Set([...readFileSync('scenarios/scenario.schema.json', 'utf8').matchAll(/"unit": *"([^"]+)"/g)].map((m) => m[1]));
    expect(units.size).toBeGreaterThan(5);
    for (const unit of units) expect(() => unitCodec(unit)).not.toThrow();
    expect(() => unitCodec('furlongs')).toThrow('no range codec for unit "furlongs"');
  });

  it.each([
    ['1Mbit/s..2Mbit/s', 'missing ":N"'],
    ['1Mbit/s..2Mbit/s:1', 'at least 2 points'],
    ['0bit/s..2Mbit/s:log:3', 'both ends greater than zero'],
    ['1MiB..2Mbit/s:3', 'cannot read "1MiB" as a bit rate'],
    ['1Mbit/s,,2Mbit/s', 'an empty value'],
  ])('rejects %j with a clear message', (spec, detail) => {
    const msg = inputError(() => parseAxis('link.bandwidth', spec, 'bps'));
    expect(msg).toContain(`--set link.bandwidth=${spec}: `);
    expect(msg).toContain(detail);
    expect(msg).toContain('LOW..HIGH:log:N');
  });

  it('a range on a field without a unit needs plain numbers', () => {
    expect(inputError(() => parseAxis('policy', 'a..b:3', undefined))).toContain('cannot read "a" as a number');
  });
});

describe('gridPoints', () => {
  it('is the cartesian product with the first axis outermost', () => {
    const pts = gridPoints([parseAxis('policy', 'a,b', undefined), parseAxis('link.bandwidth', '1Mbit/s,2Mbit/s,3Mbit/s', 'bps')]);
    expect(pts.map((p) => p.map((o) => o.text).join(' '))).toEqual(['a 1Mbit/s', 'a 2Mbit/s', 'a 3Mbit/s', 'b 1Mbit/s', 'b 2Mbit/s', 'b 3Mbit/s']);
    expect(gridPoints([])).toEqual([[]]);
  });

  it('refuses a grid too large to be meant', () => {
    const big = parseAxis('x', '0..1000:1001', undefined);
    expect(inputError(() => gridPoints([big, big]))).toContain('1002001 points');
  });
});

describe('sweep files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmsim-sweepfile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('detail_point entries keep their YAML values and resolve once, like --detail-point texts', () => {
    const f = join(dir, 'detail.yaml');
    writeFileSync(f, ['set:', '  link.bandwidth: 1Mbit/s..4Mbit/s:4', '  source.cores: 1..4:4', 'detail_point: { link.bandwidth: 2Mbit/s, source.cores: 3 }'].join('\n'));
    const s = readSweepFile(f);
    expect(s.detail).toEqual([
      { path: 'link.bandwidth', value: '2Mbit/s' },
      { path: 'source.cores', value: 3 },
    ]);
    const def = { axes: [parseAxis('link.bandwidth', '1Mbit/s..4Mbit/s:4', 'bps'), parseAxis('source.cores', '1..4:4', undefined)] };
    const columns = ['link.bandwidth_bps', 'source.cores'];
    expect(resolveDetailPoint(s.detail, def, columns)).toEqual({ 'link.bandwidth_bps': 2e6, 'source.cores': 3 });
    expect(resolveDetailPoint(['link.bandwidth=2Mbit/s', 'source.cores=3'], def, columns)).toEqual({ 'link.bandwidth_bps': 2e6, 'source.cores': 3 });
    // a quantity without its unit is refused, from the file as from the flag
    expect(inputError(() => resolveDetailPoint([{ path: 'link.bandwidth', value: 2000000 }], def, columns))).toContain('--detail-point link.bandwidth=2000000: ');
  });

  it('reads scenario, trials, seed and axes; lists are literal values', () => {
    writeFileSync(join(dir, 'local.yaml'), 'kind: migration\n');
    const f = join(dir, 's.yaml');
    writeFileSync(f, ['scenario: local.yaml', 'trials: 4', 'seed: 9', 'set:', '  policy: [stop-and-copy]', '  link.bandwidth: 1Mbit/s..4Mbit/s:4', '  vm.name: ["a,b", c]', '  source.cores: 2', '  vm.cpus: [1, "2"]'].join('\n'));
    const s = readSweepFile(f);
    expect(s.scenario).toBe(join(dir, 'local.yaml'));
    expect(s.trials).toBe(4);
    expect(s.seed).toBe(9);
    expect(s.axes).toEqual([
      { path: 'policy', spec: 'stop-and-copy', literal: ['stop-and-copy'], given: ['stop-and-copy'] },
      { path: 'link.bandwidth', spec: '1Mbit/s..4Mbit/s:4' },
      { path: 'vm.name', spec: '"a,b",c', literal: ['a,b', 'c'], given: ['a,b', 'c'] },
      { path: 'source.cores', spec: '2' },
      // a YAML number is the value itself; a string is read as --set reads it
      { path: 'vm.cpus', spec: '1,2', literal: ['1', '2'], given: [1, 2] },
    ]);
  });

  it('names the file and the field when it is malformed', () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'trials: 0\n');
    expect(inputError(() => readSweepFile(f))).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: field trials: `));
    writeFileSync(f, 'sets: {}\n');
    expect(inputError(() => readSweepFile(f))).toContain('"sets"');
  });

  it('command-line axes replace the same path in place and append new ones', () => {
    const merged = mergeAxes(
      [
        { path: 'a', spec: '1' },
        { path: 'b', spec: '2' },
      ],
      [
        { path: 'c', spec: '3' },
        { path: 'a', spec: '9' },
      ],
    );
    expect(merged).toEqual([
      { path: 'a', spec: '9' },
      { path: 'b', spec: '2' },
      { path: 'c', spec: '3' },
    ]);
  });
});
