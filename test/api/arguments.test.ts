// The library checks its arguments with the CLI's rules and throws the project's typed errors
// (InputError naming the function and the argument), never a raw TypeError or RangeError from deep
// inside (issue 19 item 10). From the sources: nothing here starts a worker thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../sim/cli/node-api.js';
import { InputError } from '../../sim/errors.js';
import { ROOT } from '../helpers/cli.js';

const TEXT = readFileSync(join(ROOT, 'scenarios', 'migration', 'stop-and-copy.yaml'), 'utf8');
const S = api.loadScenario(TEXT, { file: 'stop-and-copy.yaml', set: { 'vm.memory': '512MiB' } });

/** What `fn` threw (sync or async): an InputError whose message matches `text`. */
async function refuses(fn: () => unknown, text: RegExp): Promise<void> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  expect((err as Error).message).toMatch(text);
  expect((err as InputError).exitCode).toBe(2);
}

describe('run() and validate()', () => {
  it('refuse a seed the CLI refuses, and still run a good one', async () => {
    const expected = /^run\(\): seed must be a whole number from 0 to 9007199254740991, got /;
    for (const seed of ['x', -1, 1.5, 2 ** 53 + 2, NaN, Infinity, '', '1e3', null]) await refuses(() => api.run(S, { seed: seed as number }), expected);
    const [byNumber] = api.run(S, { seed: 7 });
    const [byText] = api.run(S, { seed: '7' });
    expect(byNumber.metrics).toEqual(byText.metrics);
    expect(api.run(S, { seed: Number.MAX_SAFE_INTEGER })).toHaveLength(1);
  });

  it('refuse trials out of range or of the wrong type', async () => {
    await refuses(() => api.run(S, { trials: 0 }), /run\(\), field trials: expected a whole number from 1 to 100000, got 0/);
    await refuses(() => api.run(S, { trials: 1.5 }), /got 1\.5/);
    await refuses(() => api.run(S, { trials: '3' as unknown as number }), /run\(\): trials must be a whole number of at least 1, got "3"/);
  });

  it('refuse null and junk for the scenario, the options and each option', async () => {
    for (const fn of ['run', 'validate'] as const) {
      await refuses(() => api[fn](null as never), new RegExp(`^${fn}\\(\\): the scenario must be a scenario from loadScenario\\(\\) or loadScenarioFile\\(\\), got null$`));
      await refuses(() => api[fn]({} as never), /the scenario must be .*, got an object/);
      await refuses(() => api[fn](S, null as never), new RegExp(`^${fn}\\(\\): the options must be an object, got null$`));
      await refuses(() => api[fn](S, { policy: 5 as never }), /policy must be a policy's name, a path or a policy object, got 5/);
      await refuses(() => api[fn](S, { policies: 'precopy' as never }), /policies must be an array of policy objects, got "precopy"/);
    }
    await refuses(() => api.run(S, { trace: 5 as never }), /^run\(\): trace must be a function, got 5$/);
    expect(api.validate(S, {}).policy.name).toBe('stop-and-copy');
  });
});

describe('loadScenario() and withOverrides()', () => {
  it('refuse an object that contains itself, naming where', async () => {
    const doc = { kind: 'migration', name: 'loop', link: { bandwidth: '1Gbit/s' }, vm: { memory: '4MiB' } } as Record<string, unknown>;
    (doc.vm as Record<string, unknown>).parent = doc;
    await refuses(() => api.loadScenario(doc), /^loadScenario\(\): the scenario object contains itself at vm\.parent; a scenario is a tree of plain values$/);
    // A shared (not circular) object is a tree as far as validation goes.
    const same = { policy: 'stop-and-copy' };
    expect(api.loadScenario({ kind: 'migration', name: 'ok', policy: 'stop-and-copy', link: { bandwidth: '1Gbit/s' }, vm: { memory: '4MiB' }, variants: { a: same, b: same } }).scenario.name).toBe('ok');
  });

  it('refuse junk options and a junk scenario', async () => {
    await refuses(() => api.loadScenario(TEXT, null as never), /^loadScenario\(\): the options must be an object, got null$/);
    await refuses(() => api.loadScenario(TEXT, { set: 'vm.memory=1GiB' as never }), /set must be an object of PATH: VALUE or an array of "PATH=VALUE", got "vm.memory=1GiB"/);
    await refuses(() => api.loadScenario(null as never), /expected a mapping of scenario fields/);
    await refuses(() => api.withOverrides(null as never, {}), /^withOverrides\(\): the scenario must be/);
    await refuses(() => api.withOverrides(S, 5 as never), /^withOverrides\(\): set must be/);
  });
});

describe('records, files and sweeps', () => {
  it('runsCsv() and runFiles() take run records only', async () => {
    for (const fn of ['runsCsv', 'runFiles'] as const) {
      await refuses(() => api[fn](null as never), new RegExp(`^${fn}\\(\\): the records must be an array of run records from run\\(\\) or sweep\\(\\), got null$`));
      await refuses(() => api[fn]([{}] as never), /record 0 must be a run record from run\(\) or sweep\(\), got an object/);
    }
    expect(api.runsCsv(api.run(S)).split('\n')[0]).toMatch(/^scenario,variant,policy,/);
  });

  it('loadScenarioFile() and loadPolicyFile() refuse what is not a path', async () => {
    await refuses(() => api.loadScenarioFile(null as never), /^loadScenarioFile\(\): the scenario must be a file path or a shipped scenario name, got null$/);
    await refuses(() => api.loadPolicyFile(null as never), /^loadPolicyFile\(\): the path must be the path of a policy file, got null$/);
    await refuses(() => api.loadPolicyFile(''), /got ""/);
    await refuses(() => api.loadPolicyFile('./x.js', null as never), /^loadPolicyFile\(\): the options must be an object, got null$/);
  });

  it('sweep() refuses bad arguments before any run', async () => {
    await refuses(() => api.sweep(S, { trials: 0 }), /field trials: expected a whole number from 1 to 100000, got 0/);
    await refuses(() => api.sweep(S, { seed: -1 }), /^sweep\(\): seed must be a whole number/);
    await refuses(() => api.sweep(null as never), /^sweep\(\): the scenario must be a shipped name, a file path or a scenario from/);
    await refuses(() => api.sweep(S, null as never), /^sweep\(\): the options must be an object, got null$/);
    await refuses(() => api.sweep(S, { set: 5 as never }), /^sweep\(\): set must be/);
  });

  it('writeRun() and writeSweep() refuse an empty or foreign result, writing nothing', async () => {
    await refuses(() => api.writeSweep('/nonexistent/never', { records: [], definition: {} as never }), /^writeSweep\(\): the result holds no run records; there is nothing to write$/);
    await refuses(() => api.writeSweep('/nonexistent/never', null as never), /^writeSweep\(\): the result must be what sweep\(\) returned/);
    await refuses(() => api.writeSweep('/nonexistent/never', { records: [] } as never), /the result must be what sweep\(\) returned/);
    await refuses(() => api.writeRun('/nonexistent/never', null as never), /^writeRun\(\): the records must be an array/);
    await refuses(() => api.writeRun(null as never, []), /^writeRun\(\): the folder must be a folder path, got null$/);
  });

  it('listPolicies() names the kinds', async () => {
    await refuses(() => api.listPolicies(5 as never), /kind must be one of migration, isr, synthesis, vdi, fork, cluster, got 5/);
    expect(api.listPolicies('migration').length).toBeGreaterThan(0);
  });
});
