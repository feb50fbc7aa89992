import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputError } from '../helpers/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { validateScenario } from '../../scenarios/load.js';
import { readScenario } from '../helpers/scenarios.js';
import type { MigrationScenarioT } from '../../sim/kinds/migration/schema.js';

const FILE = 'inline.yaml';

/** The smallest valid migration scenario; tests spread their changes over it. */
function minimal(): Record<string, unknown> {
  return {
    kind: 'migration',
    name: 'mini',
    policy: 'stop-and-copy',
    link: { bandwidth: '100Mbit/s' },
    vm: { memory: '64MiB' },
  };
}


/** validateScenario must fail naming the file and the field path, with `detail` in the message. */
function expectFieldError(raw: unknown, path: string, ...details: Array<string | RegExp>): InputError {
  const err = inputError(() => validateScenario(raw, FILE));
  expect(err.message.startsWith(`${FILE}: `)).toBe(true);
  expect(err.message).toContain(path === '' ? `${FILE}: ` : `field ${path}: `);
  expect(err.where).toEqual({ file: FILE, path });
  for (const d of details) {
    if (typeof d === 'string') expect(err.message).toContain(d);
    else expect(err.message).toMatch(d);
  }
  return err;
}

describe('validateScenario: defaults in base units', () => {
  it('fills every default of a minimal migration scenario', () => {
    const s = validateScenario(minimal(), FILE);
    expect(s.kind).toBe('migration');
    expect(s).toMatchObject({ name: 'mini', description: '', seed: 1, trials: 1, policy: 'stop-and-copy', options: {} });
    expect(s.limits).toEqual({ max_events: 50_000_000, max_time: 1_000_000, max_wall: 30, max_memory: 2 * 1024 ** 3 });
    expect((s as MigrationScenarioT).link).toEqual({
      bandwidth: 1e8,
      latency: 0,
      jitter: 0,
      loss: 0,
      packet_overhead: 0,
      mss: 1460,
      schedule: [],
    });
    expect((s as MigrationScenarioT).vm).toEqual({
      name: 'vm',
      memory: 64 * 1024 * 1024,
      page_size: 4096,
      zero: 0,
      base: 0,
      base_disk: 0,
      duplicate: 0,
      compress_ratio: 1,
      classes: [],
      write_delta: 1,
      base_delta: 1,
      layout: [],
      working_set: [],
      dirty_tracking_cost: 0,
    });
    expect((s as MigrationScenarioT).sample_interval).toBe(0.1);
    const host = {
      cores: 1,
      compress: 40e6,
      decompress: 200e6,
      hash: 300e6,
      disk_read: 60e6,
      disk_write: 50e6,
      cache: 8e9,
    };
    expect((s as MigrationScenarioT).source).toEqual(host);
    expect((s as MigrationScenarioT).destination).toEqual(host);
  });

  it('converts given quantities to bytes, bit/s, bytes/s, seconds and fractions', () => {
    const s = validateScenario(
      {
        ...minimal(),
        link: { bandwidth: '1Gbit/s', latency: '0.5ms', jitter: '100us', loss: '1%', packet_overhead: '40B', mss: '1KiB', schedule: [{ at: '2s', bandwidth: '10Mbit/s' }] },
        vm: { memory: '1GiB', page_size: '2MiB', zero: '20%', compress_ratio: '0.5', working_set: [{ name: 'hot', size: '64MiB', rate: '20000 pages/s' }] },
        source: { cores: 4, compress: '80MB/s', cache: '1GB' },
      },
      FILE,
    );
    if (s.kind !== 'migration') throw new Error('unreachable');
    expect(s.link.bandwidth).toBe(1e9);
    expect(s.link.latency).toBeCloseTo(0.0005, 15);
    expect(s.link.jitter).toBeCloseTo(0.0001, 15);
    expect(s.link.loss).toBeCloseTo(0.01, 15);
    expect(s.link.packet_overhead).toBe(40);
    expect(s.link.mss).toBe(1024);
    expect(s.link.schedule).toEqual([{ at: 2, bandwidth: 1e7 }]);
    expect(s.vm.memory).toBe(1024 ** 3);
    expect(s.vm.page_size).toBe(2 * 1024 ** 2);
    expect(s.vm.zero).toBeCloseTo(0.2, 15);
    expect(s.vm.compress_ratio).toBe(0.5);
    expect(s.vm.working_set).toEqual([{ name: 'hot', size: 64 * 1024 ** 2, rate: 20000 }]);
    expect(s.source.cores).toBe(4);
    expect(s.source.compress).toBe(80e6);
    expect(s.source.cache).toBe(1e9);
    // Unset source fields and the whole destination keep their defaults.
    expect(s.source.decompress).toBe(200e6);
    expect(s.destination.compress).toBe(40e6);
  });

  it('reads a netem link string into bandwidth, latency, jitter and loss', () => {
    const s = validateScenario({ ...minimal(), link: 'rate 10mbit delay 20ms jitter 2ms loss 0.1%' }, FILE);
    expect((s as MigrationScenarioT).link.bandwidth).toBeCloseTo(1e7, 6);
    expect((s as MigrationScenarioT).link.latency).toBeCloseTo(0.02, 15);
    expect((s as MigrationScenarioT).link.jitter).toBeCloseTo(0.002, 15);
    expect((s as MigrationScenarioT).link.loss).toBeCloseTo(0.001, 15);
    expect((s as MigrationScenarioT).link.packet_overhead).toBe(0);
    expect((s as MigrationScenarioT).link.mss).toBe(1460);
    expect((s as MigrationScenarioT).link.schedule).toEqual([]);
  });
});

describe('validateScenario: errors name the file and the field path', () => {
  it('a wrong unit in vm.memory', () => {
    expectFieldError({ ...minimal(), vm: { memory: '64 furlongs' } }, 'vm.memory', 'cannot read "64 furlongs" as a size');
  });

  it('zero bandwidth', () => {
    expectFieldError({ ...minimal(), link: { bandwidth: '0Mbit/s' } }, 'link.bandwidth', 'greater than zero', '"0Mbit/s"');
  });

  it('zero bandwidth in a schedule step names the step', () => {
    expectFieldError(
      { ...minimal(), link: { bandwidth: '1Mbit/s', schedule: [{ at: '1s', bandwidth: '0bit/s' }] } },
      'link.schedule.0.bandwidth',
      'greater than zero',
    );
  });

  it('an unknown field inside a section and at the top level', () => {
    expectFieldError({ ...minimal(), vm: { memory: '64MiB', memroy: '1GiB' } }, 'vm', 'unknown field "memroy"');
    expectFieldError({ ...minimal(), polcy: 'x' }, '', 'unknown field "polcy"');
  });

  it('an unknown field in a link mapping is reported, not hidden behind the netem alternative', () => {
    const err = expectFieldError({ ...minimal(), link: { bandwidth: '1Mbit/s', delay: '5ms' } }, 'link', 'unknown field "delay"');
    expect(err.message).not.toContain('netem');
  });

  it('a missing required field (vm.memory)', () => {
    expectFieldError({ ...minimal(), vm: { page_size: '4KiB' } }, 'vm.memory');
  });

  it('a working set larger than memory', () => {
    expectFieldError(
      { ...minimal(), vm: { memory: '1MiB', working_set: [{ name: 'hot', size: '2MiB', rate: '10 pages/s' }] } },
      'vm.working_set',
      'larger than memory',
      '2097152',
      '1048576',
    );
  });

  it('a bare number where a quantity is expected says a unit is expected', () => {
    expectFieldError({ ...minimal(), vm: { memory: 4096 } }, 'vm.memory', 'with a unit');
    expectFieldError({ ...minimal(), link: { bandwidth: '1Mbit/s', latency: 5 } }, 'link.latency', 'with a unit');
    // A bare number in a string is just as ambiguous.
    expectFieldError({ ...minimal(), vm: { memory: '4096' } }, 'vm.memory', 'with a unit');
  });

  it('a netem string without a rate', () => {
    expectFieldError({ ...minimal(), link: 'delay 20ms' }, 'link', 'needs a rate');
  });

  it('a document that is not a mapping', () => {
    for (const raw of [[1, 2], 'just text', null, 42]) {
      const err = inputError(() => validateScenario(raw, FILE));
      expect(err.message).toBe(`${FILE}: expected a mapping of scenario fields at the top level`);
      expect(err.where).toEqual({ file: FILE });
    }
  });

  // Regression test for a bug found in review (now fixed).
  it('an unknown or missing kind names the known kinds, not netem strings', () => {
    const { kind: _kind, ...noKind } = minimal();
    for (const raw of [{ ...minimal(), kind: 'teleport' }, noKind]) {
      const err = expectFieldError(raw, 'kind', '"migration", "isr"');
      expect(err.message).not.toContain('netem');
    }
  });
});

describe('loadScenario: errors in a file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vmsim-schema-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a valid YAML file', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, 'kind: migration\nname: ok\npolicy: stop-and-copy\nlink: rate 1mbit delay 5ms\nvm:\n  memory: 1MiB\n');
    const loaded = readScenario(file);
    expect(loaded.file).toBe(file);
    expect(loaded.scenario.name).toBe('ok');
    expect((loaded.scenario as MigrationScenarioT).link.bandwidth).toBeCloseTo(1e6, 6);
    expect((loaded.scenario as MigrationScenarioT).link.latency).toBeCloseTo(0.005, 15);
    expect(loaded.params).toEqual({});
  });

  it('a validation error names the file path on disk', () => {
    const file = join(dir, 'zero-bw.yaml');
    writeFileSync(file, 'kind: migration\nname: z\npolicy: stop-and-copy\nlink: { bandwidth: 0Mbit/s }\nvm: { memory: 1MiB }\n');
    const err = inputError(() => readScenario(file));
    expect(err.message).toContain(`${file}: field link.bandwidth: `);
    expect(err.message).toContain('greater than zero');
  });

  it('a YAML syntax error', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'kind: migration\nname: [unclosed\n');
    const err = inputError(() => readScenario(file));
    expect(err.message.startsWith(`${file} is not valid YAML or JSON: `)).toBe(true);
    // One line: the parser's first line only, no code frame.
    expect(err.message).not.toContain('\n');
    expect(err.where).toEqual({ file });
  });

  it('a YAML document that is a list, not a mapping', () => {
    const file = join(dir, 'list.yaml');
    writeFileSync(file, '- kind: migration\n- name: x\n');
    const err = inputError(() => readScenario(file));
    expect(err.message).toBe(`${file}: expected a mapping of scenario fields at the top level`);
  });
});
