import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inputError } from '../helpers/errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, messages } from '../../sim/errors.js';
import type { MigrationScenarioT } from '../../sim/kinds/migration/schema.js';
import { applyOverrides, parseDocument, parseSets, textOverride } from '../../scenarios/load.js';
import { readScenario, shippedFile } from '../helpers/scenarios.js';

const SHIPPED = shippedFile('stop-and-copy');


describe('parseSets', () => {
  it('splits PATH=VALUE at the first "=" and trims both sides', () => {
    expect(parseSets(['link.bandwidth=10Mbit/s', ' vm.name = a=b '])).toEqual([
      { path: 'link.bandwidth', text: '10Mbit/s', value: '10Mbit/s' },
      { path: 'vm.name', text: 'a=b', value: 'a=b' },
    ]);
    expect(parseSets([])).toEqual([]);
  });

  it.each(['novalue', '=x'])('rejects %j', (arg) => {
    const err = inputError(() => parseSets(['trials=2', arg]));
    expect(err.message).toBe(messages.badSet(arg));
  });
});

describe('applyOverrides', () => {
  const raw = { kind: 'migration', trials: 1, link: { bandwidth: '1Gbit/s', latency: '0.5ms' }, vm: { memory: '1GiB' } };

  it('sets nested paths on a copy, leaving the input untouched', () => {
    const before = structuredClone(raw);
    const out = applyOverrides(raw, [
      textOverride('link.bandwidth', '10Mbit/s'),
      textOverride('vm.page_size', '2MiB'),
      textOverride('source.compress', '80MB/s'),
    ], 'f.yaml') as typeof raw & { vm: Record<string, unknown>; source: Record<string, unknown> };
    expect(raw).toEqual(before);
    expect(out).not.toBe(raw);
    expect(out.link).toEqual({ bandwidth: '10Mbit/s', latency: '0.5ms' });
    expect(out.vm).toEqual({ memory: '1GiB', page_size: '2MiB' });
    // A section missing from the document is created.
    expect(out.source).toEqual({ compress: '80MB/s' });
    expect(out.kind).toBe('migration');
  });

  it('reads values as YAML scalars: "5" is the number 5, "true" a boolean, "1GiB" a string', () => {
    const out = applyOverrides(raw, [
      textOverride('trials', '5'),
      textOverride('source.cores', '4'),
      textOverride('vm.name', 'desk'),
    ], 'f.yaml') as Record<string, any>;
    expect(out.trials).toBe(5);
    expect(typeof out.trials).toBe('number');
    expect(out.source.cores).toBe(4);
    expect(out.vm.name).toBe('desk');
  });

  it('a later override of the same path wins', () => {
    const out = applyOverrides(raw, [textOverride('trials', '2'), textOverride('trials', '3')], 'f.yaml') as Record<string, unknown>;
    expect(out.trials).toBe(3);
  });

  it.each(['link.nope', 'nope', 'vm.memory.extra'])('an unknown path %j throws naming the path and the file', (path) => {
    const err = inputError(() => applyOverrides(raw, [textOverride(path, '1')], 'f.yaml'));
    expect(err.message).toBe(messages.unknownSetPath(path, 'f.yaml'));
  });
});

describe('loadScenario with --set', () => {
  it('the shipped scenario loads with the values its file states', () => {
    const { scenario: loadedScenario, params, overrides } = readScenario('stop-and-copy');
    const scenario = loadedScenario as MigrationScenarioT;
    expect(scenario.name).toBe('stop-and-copy');
    expect(scenario.link.bandwidth).toBe(1e9);
    expect(scenario.link.latency).toBeCloseTo(0.0005, 15);
    expect(scenario.vm.memory).toBe(1024 ** 3);
    expect(scenario.vm.zero).toBeCloseTo(0.2, 15);
    expect(params).toEqual({});
    expect(overrides).toEqual([]);
  });

  it('overrides become validated values and unit-named params, in the order given', () => {
    const loaded = readScenario('stop-and-copy', ['link.bandwidth=128Mbit/s', 'vm.memory=512MiB']);
    expect(loaded.params).toEqual({ 'link.bandwidth_bps': 128e6, 'vm.memory_bytes': 536870912 });
    expect(Object.keys(loaded.params)).toEqual(['link.bandwidth_bps', 'vm.memory_bytes']);
    expect((loaded.scenario as MigrationScenarioT).link.bandwidth).toBe(128e6);
    expect((loaded.scenario as MigrationScenarioT).vm.memory).toBe(536870912);
    // Fields that were not overridden keep the file's values.
    expect((loaded.scenario as MigrationScenarioT).link.latency).toBeCloseTo(0.0005, 15);
    expect((loaded.scenario as MigrationScenarioT).vm.working_set.map((g) => g.name)).toEqual(['hot', 'warm']);
    expect(loaded.overrides).toEqual([
      textOverride('link.bandwidth', '128Mbit/s'),
      textOverride('vm.memory', '512MiB'),
    ]);
  });

  it('params of unit-less and fraction fields carry no unit suffix', () => {
    const loaded = readScenario('stop-and-copy', ['trials=3', 'vm.zero=50%', 'link.latency=2ms']);
    expect(loaded.params).toEqual({ trials: 3, 'vm.zero': 0.5, 'link.latency_s': 0.002 });
    expect(loaded.scenario.trials).toBe(3);
  });

  it('a netem string can replace the whole link', () => {
    const loaded = readScenario('stop-and-copy', ['link=rate 1mbit delay 5ms']);
    expect((loaded.scenario as MigrationScenarioT).link.bandwidth).toBeCloseTo(1e6, 6);
    expect((loaded.scenario as MigrationScenarioT).link.latency).toBeCloseTo(0.005, 15);
    expect((loaded.scenario as MigrationScenarioT).link.jitter).toBe(0);
    // A non-scalar result keeps the text the user typed.
    expect(loaded.params).toEqual({ link: 'rate 1mbit delay 5ms' });
  });

  it('a quoted netem string (as typed in a shell that kept the quotes) works too', () => {
    const loaded = readScenario('stop-and-copy', ['link="rate 1mbit delay 5ms"']);
    expect((loaded.scenario as MigrationScenarioT).link.bandwidth).toBeCloseTo(1e6, 6);
    expect((loaded.scenario as MigrationScenarioT).link.latency).toBeCloseTo(0.005, 15);
  });

  it('an unknown path names the resolved file', () => {
    const err = inputError(() => readScenario('stop-and-copy', ['link.bandwdith=1Mbit/s']));
    expect(err.message).toBe(messages.unknownSetPath('link.bandwdith', SHIPPED, 'link.bandwidth'));
  });

  it('an invalid overridden value is reported at its field', () => {
    const err = inputError(() => readScenario('stop-and-copy', ['link.bandwidth=0Mbit/s']));
    expect(err.message).toContain(`${SHIPPED}: field link.bandwidth: `);
    expect(err.message).toContain('greater than zero');
    const err2 = inputError(() => readScenario('stop-and-copy', ['vm.memory=512']));
    expect(err2.message).toContain('field vm.memory: ');
    expect(err2.message).toContain('with a unit');
  });

  describe('with a scenario whose link is a netem string', () => {
    let dir: string;
    let file: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'vmsim-load-'));
      file = join(dir, 'netem.yaml');
      writeFileSync(file, 'kind: migration\nname: n\npolicy: stop-and-copy\nlink: rate 10mbit delay 20ms\nvm:\n  memory: 1MiB\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the file as written', () => {
      expect(parseDocument(readFileSync(file, 'utf8'), file)).toEqual({ kind: 'migration', name: 'n', policy: 'stop-and-copy', link: 'rate 10mbit delay 20ms', vm: { memory: '1MiB' } });
      const s = readScenario(file).scenario;
      expect((s as MigrationScenarioT).link.latency).toBeCloseTo(0.02, 15);
    });

    // Regression test for a bug found in review (now fixed).
    it('--set link.bandwidth on a netem link keeps its delay or is rejected', () => {
      let loaded;
      try {
        loaded = readScenario(file, ['link.bandwidth=1Mbit/s']);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return;
      }
      expect((loaded.scenario as MigrationScenarioT).link.bandwidth).toBe(1e6);
      expect((loaded.scenario as MigrationScenarioT).link.latency).toBeCloseTo(0.02, 15);
    });
  });
});
