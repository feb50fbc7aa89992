// Checks of the cluster kind from its mechanisms: migrations that share a link share it max-min
// fairly (with each other and with background traffic), a sequence's makespan is the sum of its
// migrations, a route through switches costs its slowest link and every latency, and each record
// carries the columns the reports read; the analytic ones on both memory models.
import { describe, expect, it } from 'vitest';
import { runText, twoHosts } from './helpers.js';
import { readScenario } from '../helpers/scenarios.js';
import { defaultBandwidthPath } from '../../sim/kinds/index.js';
import { InThread, planRun, resolve } from '../../sim/pipeline/index.js';

const PAGE_WIRE = 4096 + 8; // QEMU's stream: each non-zero page with its 8-byte header
const MIB = 2 ** 20;
const wire = (bytes: number): number => (bytes / 4096) * PAGE_WIRE;
const B = 1e9 / 8; // 1 Gbit/s in bytes per second
const L = 0.001;
/** The analytic checks hold exactly on both memory models (counted is the cluster's default). */
const MODELS = ['counted', 'pages'] as const;

describe.each(MODELS)('cluster: migrations sharing one link (model: %s)', (model) => {
  it('N identical stop-and-copy migrations all at once finish together at N x M / B + latency', () => {
    for (const n of [1, 3, 5]) {
      const r = runText(twoHosts({ vms: n, memory: '64MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'all-at-once', model }));
      const expected = (n * wire(64 * MIB)) / B + L;
      const rows = r.tables!.migrations;
      expect(rows).toHaveLength(n);
      for (const row of rows) {
        expect(row.end_s as number).toBeCloseTo(expected, 9);
        expect(row.downtime_ms as number).toBeCloseTo(expected * 1e3, 6);
        expect(row.converged).toBe(1);
      }
      expect(r.metrics.makespan_s).toBeCloseTo(expected, 9);
      expect(r.metrics.converged_migrations).toBe(n);
      expect(r.metrics.transferred_bytes).toBe(n * wire(64 * MIB));
      expect(r.metrics.busiest_link_peak_pct).toBeCloseTo(100, 9);
    }
  });

  it('a sequence takes the sum of its migrations, each starting when the previous ends', () => {
    const r = runText(twoHosts({ vms: 4, memory: '32MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', model }));
    const rows = r.tables!.migrations;
    const one = wire(32 * MIB) / B + L;
    let t = 0;
    for (const row of rows) {
      expect(row.start_s as number).toBeCloseTo(t, 12);
      expect((row.end_s as number) - (row.start_s as number)).toBeCloseTo(one, 9);
      expect(row.queued_s as number).toBeCloseTo(t, 12);
      t = row.end_s as number;
    }
    const sum = rows.reduce((s, row) => s + (row.total_time_ms as number) / 1e3, 0);
    expect(r.metrics.makespan_s).toBeCloseTo(sum, 9);
    expect(r.metrics.total_downtime_ms).toBeCloseTo(sum * 1e3, 6);
  });

  it('concurrent with one migration per host is the sequence', () => {
    const seq = runText(twoHosts({ vms: 3, memory: '16MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', model }));
    const one = runText(twoHosts({ vms: 3, memory: '16MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'concurrent', model }), ['options.max_per_host=1']);
    expect(one.metrics.makespan_s).toBeCloseTo(seq.metrics.makespan_s, 12);
    const two = runText(twoHosts({ vms: 4, memory: '16MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'concurrent', model }), ['options.max_per_host=2']);
    // Two at a time, two rounds of two sharing the link: 2 x (2 x W / B + L).
    expect(two.metrics.makespan_s).toBeCloseTo(2 * ((2 * wire(16 * MIB)) / B + L), 9);
  });
});

describe.each(MODELS)('cluster: background traffic (model: %s)', (model) => {
  const withBackground = (rate: string) =>
    twoHosts({ vms: 1, memory: '64MiB', bandwidth: '1Gbit/s', latency: '1ms', policy: 'sequential', model, extra: `background:\n  - { from: a, to: b, rate: ${rate} }` });

  it('a migration and a background flow asking for the whole link get half each until the migration ends', () => {
    const r = runText(withBackground('1Gbit/s'));
    const w = wire(64 * MIB);
    expect(r.metrics.makespan_s).toBeCloseTo((2 * w) / B + L, 9);
    // Offered B for the whole makespan, given B/2 while the migration sent and B during its last latency: short by W.
    expect(r.metrics.background_lost_bytes).toBeCloseTo(w, 0);
    const link = r.tables!.links.filter((row) => row.link === 'a-b:a->b');
    expect(link[0]).toMatchObject({ t_s: 0, migration_Bps: B / 2, background_Bps: B / 2, utilisation_pct: 100 });
  });

  it('a background flow asking for less than its fair share gets all of it; the migration takes the rest', () => {
    const r = runText(withBackground('250Mbit/s'));
    expect(r.metrics.makespan_s).toBeCloseTo(wire(64 * MIB) / (0.75 * B) + L, 9);
    expect(r.metrics.background_lost_bytes).toBeCloseTo(0, 3);
    expect(r.metrics.background_lost_pct).toBeCloseTo(0, 9);
  });
});

const twoRacks = (policy: string) => `kind: cluster
name: t
policy: ${policy}
migration: { policy: stop-and-copy }
hosts:
  - { name: "h{i}", count: 4, nic: 10Gbit/s, memory: 64GiB }
topology: { kind: two-tier, hosts_per_rack: 2, uplink: 1Gbit/s, latency: 1ms }
vms:
  - { name: "vm{i}", count: 2, memory: 64MiB, place: { host: h0 } }
operation:
  migrations: [{ vm: vm0, to: h1 }, { vm: vm1, to: h2, at: 1s }]
`;

describe('cluster: routes through switches', () => {
  it('a migration within a rack crosses two NIC links; across racks, the uplinks too, at the slowest link plus every latency', () => {
    const r = runText(twoRacks('all-at-once'));
    const [inRack, across] = r.tables!.migrations;
    expect(inRack.path).toBe('h0-tor0:h0->tor0 h1-tor0:tor0->h1');
    expect(across.path).toBe('h0-tor0:h0->tor0 tor0-core:tor0->core tor1-core:core->tor1 h2-tor1:tor1->h2');
    expect(inRack.end_s as number).toBeCloseTo(wire(64 * MIB) / (10 * B) + 2 * L, 9);
    expect(across.start_s).toBe(1);
    expect(across.end_s as number).toBeCloseTo(1 + wire(64 * MIB) / B + 4 * L, 9);
  });

  it("the explorer's bandwidth axis (hosts.0.nic) sets the NICs of the first host template", () => {
    expect(defaultBandwidthPath('cluster')).toBe('hosts.0.nic');
    const r = runText(twoRacks('all-at-once'), ['hosts.0.nic=1Gbit/s']);
    expect(r.tables!.migrations[0].end_s as number).toBeCloseTo(wire(64 * MIB) / B + 2 * L, 9);
  });

  it('records the columns the reports read', () => {
    const r = runText(twoRacks('sequential'));
    const id = ['scenario', 'variant', 'policy', 'seed', 'trial'];
    expect(Object.keys(r.tables!.migrations[0])).toEqual([
      ...id, 'vm', 'migration_policy', 'from_host', 'to_host', 'path', 'memory_bytes', 'queued_s', 'start_s', 'end_s', 'downtime_start_s', 'downtime_ms',
      'total_time_ms', 'transferred_bytes', 'converged', 'dirty_sync_count', 'guest_lost_s', 'postcopy_blocktime_ms',
    ]);
    expect(Object.keys(r.tables!.links[0])).toEqual([...id, 'link', 't_s', 'capacity_Bps', 'migration_Bps', 'background_Bps', 'utilisation_pct']);
    // The 1 Gbit/s uplink carried vm1 at its full rate; h0's 10 Gbit/s NIC carried both at a tenth of its own.
    expect(r.tables!.operation[0].busiest_link).toBe('tor0-core:tor0->core');
    expect(r.metrics.busiest_link_peak_pct).toBeCloseTo(100, 9);
    for (const k of ['makespan_s', 'migrations', 'converged_migrations', 'total_downtime_ms', 'worst_downtime_ms', 'mean_downtime_ms', 'transferred_bytes', 'busiest_link_peak_pct', 'busiest_link_mean_pct', 'background_lost_bytes', 'background_lost_pct']) {
      expect(r.metrics).toHaveProperty(k);
    }
    expect(r.tables!.migrations[0].migration_policy).toBe('stop-and-copy');
  });
});

describe('cluster: pre-copy of dirtying VMs, in parallel or in turn', () => {
  // Pre-copy keeps each VM's dirty log open for as long as its migration runs: all at once, every
  // migration runs at 1/N of the link for N times as long, so each resends more of its working set.
  const hot = (policy: string) =>
    twoHosts({
      vms: 4,
      memory: '64MiB',
      bandwidth: '1Gbit/s',
      latency: '1ms',
      policy,
      migration: '{ policy: precopy, options: { rules: qemu, max_bandwidth: 1Gbit/s } }',
    }).replace('place: { host: a } }', 'place: { host: a }, working_set: [{ name: hot, size: 16MiB, rate: 2000 pages/s }] }');

  it('all at once sends more bytes and takes no less time than one at a time', () => {
    const seq = runText(hot('sequential')).metrics;
    const all = runText(hot('all-at-once')).metrics;
    expect(seq.converged_migrations).toBe(4);
    expect(all.converged_migrations).toBe(4);
    expect(all.transferred_bytes).toBeGreaterThan(seq.transferred_bytes);
    expect(all.makespan_s).toBeGreaterThanOrEqual(seq.makespan_s * 0.99);
  });
});

describe('cluster: the shipped evacuation', () => {
  it('run one at a time, its makespan is the sum of its migrations (QEMU pre-copy of dirtying VMs)', () => {
    const r = new InThread().runSync(planRun(resolve(readScenario('evacuate-host', ['policy=sequential']), { trials: 1 })))[0];
    const rows = r.tables!.migrations;
    expect(rows.length).toBeGreaterThan(1);
    expect(r.metrics.converged_migrations).toBe(rows.length);
    const sum = rows.reduce((s, row) => s + (row.total_time_ms as number) / 1e3, 0);
    expect(r.metrics.makespan_s).toBeCloseTo(sum, 9);
    expect(r.metrics.background_lost_bytes).toBeGreaterThan(0);
  });
});
