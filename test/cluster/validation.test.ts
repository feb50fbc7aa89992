// Bad cluster scenarios exit 2 with a message naming the field: a VM on a missing host, a migration to
// the VM's own host, a host over its memory, hosts without a path between them, a rebalancing whose
// moves cannot be ordered within memory, an unknown migration policy.
import { describe, expect, it } from 'vitest';
import { inputError } from '../helpers/errors.js';
import { loadText, runText, twoHosts } from './helpers.js';
import { loadScenario, validate } from '../../sim/api.js';

const base = (o: { hosts?: string; links?: string; vms?: string; operation?: string; migration?: string } = {}) => `kind: cluster
name: t
policy: sequential
migration: ${o.migration ?? '{ policy: stop-and-copy }'}
hosts:
${o.hosts ?? '  - { name: "h{i}", count: 3, memory: 4GiB }'}
${o.links ?? 'topology: { kind: two-tier, hosts_per_rack: 2, uplink: 10Gbit/s }'}
vms:
${o.vms ?? '  - { name: "vm{i}", count: 3, memory: 1GiB }'}
operation:
${o.operation ?? '  migrations: [{ vm: vm0, to: h1 }]'}
`;

const fails = (text: string) => inputError(() => loadText(text)).message;

describe('cluster: validation', () => {
  it('accepts a good scenario', () => {
    expect(() => loadText(base())).not.toThrow();
  });

  it('refuses a VM placed on a missing host', () => {
    expect(fails(base({ vms: '  - { name: vm0, memory: 1GiB, place: { host: h9 } }' }))).toMatch(/vms\.0\.place\.host.*no host "h9"/s);
  });

  it('refuses a migration to the VM\'s own host', () => {
    // Round-robin puts vm0 on h0.
    expect(fails(base({ operation: '  migrations: [{ vm: vm0, to: h0 }]' }))).toMatch(/operation\.migrations\.0\.to.*already on host h0/s);
  });

  it('refuses a host over its memory', () => {
    expect(fails(base({ vms: '  - { name: "vm{i}", count: 2, memory: 3GiB, place: { host: h1 } }' }))).toMatch(/hosts\.0\.memory.*host h1 holds 6442450944 bytes/s);
  });

  it('refuses hosts without a path between them', () => {
    const text = base({ hosts: '  - { name: a, memory: 4GiB }\n  - { name: b, memory: 4GiB }\n  - { name: c, memory: 4GiB }', links: 'links: [{ a: a, b: b, bandwidth: 1Gbit/s }]', vms: '  - { name: vm0, memory: 1GiB, place: { host: a } }', operation: '  migrations: [{ vm: vm0, to: b }]' });
    expect(fails(text)).toMatch(/links.*no path between hosts a and c/s);
  });

  it('refuses a rebalancing whose moves form a cycle on full hosts', () => {
    const text = base({
      hosts: '  - { name: "h{i}", count: 2, memory: 2GiB }',
      vms: '  - { name: x, memory: 2GiB, place: { host: h0 } }\n  - { name: y, memory: 2GiB, place: { host: h1 } }',
      operation: '  rebalance: { placement: { x: h1, y: h0 } }',
    });
    expect(fails(text)).toMatch(/operation\.rebalance\.placement.*cannot be ordered.*x \(h0 -> h1\), y \(h1 -> h0\)/s);
  });

  it('orders a rebalancing that fits: the move that makes room goes first', () => {
    // h1 is full until y leaves for h2; the placement lists x first.
    const text = base({
      hosts: '  - { name: "h{i}", count: 3, memory: 2GiB }',
      vms: '  - { name: x, memory: 2GiB, place: { host: h0 } }\n  - { name: y, memory: 2GiB, place: { host: h1 } }',
      operation: '  rebalance: { placement: { x: h1, y: h2 } }',
    });
    const rows = runText(text).tables!.migrations;
    expect(rows.map((r) => r.vm)).toEqual(['y', 'x']);
    expect(rows[1].start_s as number).toBeGreaterThanOrEqual(rows[0].end_s as number);
  });

  it('schedulers in any order start first what has room: largest-first cannot stall a rebalancing', () => {
    // x (2 GiB) can go to h1 only once y has left it; largest first would take x first.
    const text = base({
      hosts: '  - { name: "h{i}", count: 3, memory: 2GiB }',
      vms: '  - { name: x, memory: 2GiB, place: { host: h0 } }\n  - { name: y, memory: 1GiB, place: { host: h1 } }',
      operation: '  rebalance: { placement: { x: h1, y: h2 } }',
    });
    for (const sets of [['options.order=largest-first'], ['policy=concurrent', 'options.order=largest-first', 'options.max_per_host=1']]) {
      const rows = runText(text, sets).tables!.migrations;
      const at = Object.fromEntries(rows.map((r) => [r.vm, r]));
      expect(at.x.start_s as number).toBeGreaterThanOrEqual(at.y.end_s as number);
      expect(rows.every((r) => r.converged === 1)).toBe(true);
    }
  });

  it('refuses an unknown migration policy, naming the field', () => {
    const e = inputError(() => runText(twoHosts({ vms: 1, memory: '4MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', migration: '{ policy: teleport }' })));
    expect(e.message).toMatch(/migration\.policy.*unknown migration policy "teleport" \(migration policies: stop-and-copy, precopy/s);
    // Before any run, as `vmsim validate` checks: the scheduler's check reads the scenario's migration.
    const text = twoHosts({ vms: 1, memory: '4MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', migration: '{ policy: precopy, options: { rules: qemu, downtime: 1s } }' });
    expect(inputError(() => validate(loadScenario(text, { file: 't.yaml' }))).message).toMatch(/field migration\.options.*downtime/s);
    const o = inputError(() => runText(twoHosts({ vms: 1, memory: '4MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential' }), ['options.migration={policy: teleport}']));
    expect(o.message).toMatch(/options\.migration\.policy.*unknown migration policy "teleport"/s);
  });

  it('refuses a VM migrated twice and an operation that is not exactly one', () => {
    expect(fails(base({ operation: '  migrations: [{ vm: vm0, to: h1 }, { vm: vm0, to: h2 }]' }))).toMatch(/operation\.migrations\.1\.vm.*migrated twice/s);
    expect(fails(base({ operation: '  evacuate: [h0]\n  migrations: []' }))).toMatch(/operation.*exactly one of migrations, evacuate, rebalance/s);
  });
});

describe('cluster: the counted memory model (the default)', () => {
  const one = (migration: string, sets: readonly string[] = []) => () => runText(twoHosts({ vms: 1, memory: '4MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', migration }), sets);

  it('is the default: a VM template without model runs counted, and model: pages is accepted', () => {
    const text = base();
    expect((loadScenario(text, { file: 't.yaml' }).scenario as { vms: Array<{ model: string }> }).vms[0].model).toBe('counted');
    expect((loadScenario(text, { file: 't.yaml', set: ['vms.0.model=pages'] }).scenario as { vms: Array<{ model: string }> }).vms[0].model).toBe('pages');
  });

  it('refuses a migration policy that reads page identities, naming migration.policy and vms.N.model; model: pages runs it', () => {
    const hybrid = '{ policy: hybrid }';
    expect(inputError(one(hybrid)).message).toMatch(/migration\.policy.*migration policy hybrid reads page identities.*vms\.0\.model: pages/s);
    expect(inputError(one('{ policy: precopy, options: { rules: xen } }')).message).toMatch(/migration\.options\.rules.*rules: xen.*vms\.0\.model: pages/s);
    expect(inputError(one('{ policy: precopy }', ['options.migration={policy: hybrid}'])).message).toMatch(/options\.migration\.policy.*hybrid reads page identities/s);
    // Before any run, as `vmsim validate` checks.
    const text = twoHosts({ vms: 1, memory: '4MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', migration: hybrid });
    expect(inputError(() => validate(loadScenario(text, { file: 't.yaml' }))).message).toMatch(/migration\.policy/);
    expect(one(hybrid, ['vms.0.model=pages'])().metrics.converged_migrations).toBe(1);
  });

  it('refuses a sequential or trace working set, naming the field and suggesting model: pages', () => {
    const seq = (model: string) => base({ vms: `  - { name: "vm{i}", count: 3, memory: 1GiB, working_set: [{ name: s, size: 16MiB, rate: 100 pages/s, pattern: sequential }]${model} }` });
    expect(fails(seq(''))).toMatch(/vms\.0\.working_set\.0\.pattern.*a sequential group needs model: pages/s);
    expect(() => loadText(seq(', model: pages'))).not.toThrow();
  });
});

describe('cluster: evacuation', () => {
  it('sends each VM to the least-loaded other host with room', () => {
    // h0: vm0, vm3 (1 GiB each); h1: vm1; h2: vm2 + a 2 GiB VM. Least loaded after vm0 goes to h1: h1 (2/4) vs h2 (3/4) -> h1 again.
    const text = base({
      vms: '  - { name: "vm{i}", count: 4, memory: 1GiB }\n  - { name: big, memory: 2GiB, place: { host: h2 } }',
      operation: '  evacuate: [h0]',
    });
    const rows = runText(text).tables!.migrations;
    expect(rows.map((r) => [r.vm, r.to_host])).toEqual([
      ['vm0', 'h1'],
      ['vm3', 'h1'],
    ]);
  });
});
