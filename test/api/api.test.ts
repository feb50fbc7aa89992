// The public API, imported as users import it ('vmsim' and 'vmsim/core', through package.json's
// exports): what a script gets is what the CLI gives, byte for byte, and bad input is the same
// one-paragraph error as at the front door.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, ROOT, requireDist, vmsim } from '../helpers/cli.js';
import { STOP_AND_COPY_BODY, policyDir, policyModule, removePolicyDirs } from '../helpers/policies.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });

type Api = typeof import('../../sim/cli/node-api.js');
type Core = typeof import('../../sim/api.js');
let api: Api;
let core: Core;
const TMP = mkdtempSync(join(tmpdir(), 'vmsim-api-'));
beforeAll(async () => {
  requireDist();
  // By the package's own name: resolved through package.json "exports", as a user's import is.
  const name = 'vmsim';
  api = (await import(name)) as Api;
  core = (await import(`${name}/core`)) as Core;
});
afterAll(() => {
  rmSync(TMP, { recursive: true, force: true });
  removePolicyDirs();
});

const SC_TEXT = readFileSync(join(ROOT, 'scenarios', 'migration', 'stop-and-copy.yaml'), 'utf8');
const SMALL = { 'vm.memory': '8MiB', 'vm.working_set': [] };

describe('vmsim/core: platform-neutral, text and objects in, records out', () => {
  it('loads, overrides and runs a scenario: the same runs.csv as `vmsim run`', async () => {
    const s = core.withOverrides(core.loadScenario(SC_TEXT, { file: 'sc.yaml' }), SMALL);
    expect(s.scenario.kind).toBe('migration');
    expect(s.params).toEqual({ 'vm.memory_bytes': 8 * 2 ** 20, 'vm.working_set': '[]' });
    const records = core.run(s, { trials: 2, seed: 7 });
    expect(records.map((r) => [r.policy, r.trial])).toEqual([
      ['stop-and-copy', 0],
      ['stop-and-copy', 1],
    ]);
    const files = core.runFiles(records);
    expect(files.map((f) => f.name)).toEqual(['runs.csv', 'rounds.csv', 'remaining.csv']);
    const out = join(TMP, 'cli');
    const r = await vmsim(['run', 'stop-and-copy', '--set', 'vm.memory=8MiB', '--set', 'vm.working_set=[]', '--trials', '2', '--seed', '7', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of files) expect(f.content).toBe(readFileSync(join(out, f.name), 'utf8'));
  });

  it('an object shaped like a scenario file is the same scenario as its text', () => {
    const fromText = core.loadScenario(SC_TEXT, { set: SMALL });
    const fromObject = core.loadScenario(
      { kind: 'migration', name: 'stop-and-copy', description: 'Stop-and-copy migration of a 1 GiB VM over 1 Gbit/s with 0.5 ms latency', seed: 1, policy: 'stop-and-copy', options: { device_state: '0B' }, link: { bandwidth: '1Gbit/s', latency: '0.5ms' }, vm: { name: 'vm', memory: '1GiB', page_size: '4KiB', zero: '20%' } },
      { set: SMALL },
    );
    expect(fromObject.scenario).toEqual(fromText.scenario);
    expect(core.run(fromObject)).toEqual(core.run(fromText));
  });

  it('a policy object written with definePolicy runs, named in its records; validate() shows the parsed options', () => {
    const mine = core.definePolicy({
      name: 'mine',
      summary: 'stop-and-copy with a pause first',
      kind: 'migration',
      options: core.z.strictObject({ pause: core.duration('time before the VM stops').prefault('1s') }),
      *plan(ctx, opts) {
        yield opts.pause;
        ctx.suspend();
        yield ctx.sendPages(ctx.vm.memory.all()).done;
        ctx.resume();
      },
    });
    const s = core.loadScenario(SC_TEXT, { set: { ...SMALL, options: '{}' } });
    expect(core.validate(s, { policy: mine }).options).toEqual({ pause: 1 });
    const [rec] = core.run(s, { policy: mine });
    const [plain] = core.run(s);
    expect(rec.policy).toBe('mine');
    expect(rec.metrics.total_time_ms).toBeCloseTo(plain.metrics.total_time_ms + 1000, 6);
  });

  it('bad input is an InputError naming where: the scenario field, the policy field, a name clash', () => {
    const bad = (f: () => unknown): InstanceType<Core['InputError']> => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(core.InputError);
        return e as InstanceType<Core['InputError']>;
      }
      throw new Error('no error');
    };
    expect(bad(() => core.loadScenario(SC_TEXT, { file: 'x.yaml', set: { 'link.bandwidth': '0bit/s' } })).message).toContain('x.yaml: field link.bandwidth');
    expect(bad(() => core.loadScenario({ kind: 'migration', name: 'x' })).message).toContain('scenario: field policy: missing (required; expected string)');
    const s = core.loadScenario(SC_TEXT, { set: SMALL });
    const notAPolicy = { name: 'x', kind: 'migration', summary: 's', options: {}, *plan() {} };
    expect(bad(() => core.run(s, { policy: notAPolicy as never })).message).toContain('the policy "x" given to the API, field options: expected a zod schema');
    const clash = { ...notAPolicy, name: 'precopy', options: core.z.strictObject({}) };
    expect(bad(() => core.run(s, { policies: [clash as never] })).message).toContain('field name: the policy is named "precopy", as a built-in policy is');
    expect(bad(() => core.run(s, { trials: 0 })).message).toContain('run(), field trials');
    expect(bad(() => core.run(core.withOverrides(s, { policy: './mine.js' }))).message).toContain('"./mine.js" is a policy file, and it was not loaded');
  });

  it('a policy object that throws is a PolicyError (exit code 3) naming the policy', () => {
    const boom = core.definePolicy({ name: 'boom', summary: 's', kind: 'migration', options: core.z.strictObject({}), *plan() { yield 2; throw new Error('lost'); } });
    const s = core.loadScenario(SC_TEXT, { set: { ...SMALL, options: '{}' } });
    try {
      core.run(s, { policy: boom });
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(core.PolicyError);
      expect((e as Error).message).toBe('policy "boom" failed at simulated time 2 s: lost');
      expect((e as InstanceType<Core['PolicyError']>).exitCode).toBe(3);
    }
  });

  it('lists the built-in policies and the scenario kinds', () => {
    expect(core.scenarioKinds).toEqual(['migration', 'isr', 'synthesis', 'vdi', 'fork', 'cluster']);
    expect(core.listPolicies('isr').map((p) => p.name)).toEqual(['baseline', 'fully-proactive', 'demand-fetch', 'dongle-lka', 'dvd-lka', 'jukebox-lka', 'lookaside']);
    expect(core.listPolicies().length).toBe(20);
    for (const p of core.listPolicies()) expect(core.checkPolicy(p, p.name)).toBe(p);
  });
});

describe('vmsim (Node): files, sweeps on worker threads, the standard outputs', () => {
  it('loadScenarioFile: a shipped name with the policy file it names; writeRun writes what `vmsim run` writes', async () => {
    const s = await api.loadScenarioFile('precopy-max-rounds', { set: { 'options.max_rounds': 2 } });
    const records = api.run(s);
    expect(records[0].policy).toBe('precopy-max-rounds');
    const a = join(TMP, 'write-run');
    expect(api.writeRun(a, records).map((f) => f.slice(a.length + 1))).toEqual(['runs.csv', 'rounds.csv', 'remaining.csv']);
    const b = join(TMP, 'cli-run');
    const r = await vmsim(['run', 'precopy-max-rounds', '--set', 'options.max_rounds=2', '--out', b, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    for (const f of readdirSync(b)) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
  });

  it('sweep(): a policy file on two worker threads and the same policy as an object in this thread give the same records; writeSweep writes the sweep outputs', async () => {
    const d = policyDir({ 'mine.js': policyModule('mine', 'migration', STOP_AND_COPY_BODY) });
    const s = api.loadScenario(SC_TEXT, { set: { ...SMALL, options: '{}' } });
    const set = { 'link.bandwidth': '10Mbit/s..1Gbit/s:log:3', policy: ['stop-and-copy', 'mine'] };
    const onThreads = await api.sweep(s, { set, policies: ['mine.js'], workers: 2, trials: 2, cwd: d });
    const mine = await api.loadPolicyFile('mine.js', { cwd: d });
    const inThread = await api.sweep(s, { set, policies: [mine], trials: 2, cwd: d });
    expect(onThreads.records).toHaveLength(3 * 2 * 2);
    expect(inThread.records).toEqual(onThreads.records);
    // The first axis is outermost: each bandwidth, then each policy, then each trial.
    expect(onThreads.records.map((r) => r.policy)).toEqual(Array(3).fill(['stop-and-copy', 'stop-and-copy', 'mine', 'mine']).flat());
    const out = join(TMP, 'write-sweep');
    const written = await api.writeSweep(out, onThreads);
    expect(written.map((f) => f.slice(out.length + 1))).toEqual(expect.arrayContaining(['runs.csv', 'aggregate.csv', 'report.html']));
    expect(existsSync(join(out, 'charts'))).toBe(true);
  });

  it('bad files: a missing scenario or policy file is an InputError naming it', async () => {
    await expect(api.loadScenarioFile('no-such.yaml', { cwd: TMP })).rejects.toThrow('no scenario file "no-such.yaml"');
    await expect(api.loadPolicyFile('none.js', { cwd: TMP })).rejects.toThrow(`cannot read ${join(TMP, 'none.js')}: no such policy file`);
    await expect(api.sweep('stop-and-copy', { set: { policy: './none.js' }, cwd: TMP })).rejects.toThrow('no such policy file');
  });
});
