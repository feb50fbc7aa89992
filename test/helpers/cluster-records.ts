// Hand-made records of the cluster kind, in the shapes its driver writes (docs/cluster.md): the
// operation's metrics, a `migrations` table (a row per migration) and a `links` table (utilisation
// over time). Plain arithmetic, no simulation: report tests know every number in them.
import type { RunRecord, Rows } from '../../sim/results/record.js';

export interface ClusterFixture {
  /** Migrations in the operation. */
  vms: number;
  /** At most this many run at once (each takes `seconds`). */
  concurrent: number;
  /** How long each migration takes, s. */
  seconds: number;
  variant: string;
  migrationPolicy: string;
  params?: Record<string, string | number | boolean>;
  trial?: number;
  /** Migrations (by index) that do not converge. */
  failed?: readonly number[];
  /** Links carrying the migrations: the first `links` of rack0-up, rack1-up, core, ... */
  links?: number;
}

const LINKS = ['rack0-up', 'rack1-up', 'core', 'rack2-up', 'rack3-up', 'rack4-up', 'rack5-up', 'rack6-up'];
const GiB = 2 ** 30;
const CAPACITY_BPS = 1.25e9;

/** The migrations table: VM i starts when a slot frees ((i / concurrent) x seconds), queued since 0. */
export function migrationRows(f: ClusterFixture): Rows {
  return Array.from({ length: f.vms }, (_, i) => {
    const start = Math.floor(i / f.concurrent) * f.seconds;
    const failed = f.failed?.includes(i) ?? false;
    const end = start + f.seconds;
    const downtime = failed ? NaN : 40 + (i % 7) * 10;
    return {
      vm: `vm${i}`,
      migration_policy: f.migrationPolicy,
      from_host: `h${i % 3}`,
      to_host: `h${3 + (i % 5)}`,
      path: `h${i % 3}>rack0-up>core>rack1-up>h${3 + (i % 5)}`,
      memory_bytes: (4 + (i % 4)) * GiB,
      queued_s: start,
      start_s: start,
      end_s: end,
      downtime_start_s: failed ? NaN : end - downtime / 1e3,
      downtime_ms: downtime,
      total_time_ms: failed ? NaN : f.seconds * 1e3,
      transferred_bytes: (4 + (i % 4)) * GiB * 1.1,
      converged: failed ? 0 : 1,
      dirty_sync_count: 3 + (i % 4),
      guest_lost_s: 0.1 * (1 + (i % 3)),
      postcopy_blocktime_ms: 0,
    };
  });
}

/** The links table: each link's rates change when a batch of migrations starts, background steady. */
export function linkRows(f: ClusterFixture): Rows {
  const batches = Math.ceil(f.vms / f.concurrent);
  const rows: Rows = [];
  LINKS.slice(0, f.links ?? 4).forEach((link, k) => {
    const background = 0.1 * CAPACITY_BPS * (1 + k);
    for (let b = 0; b <= batches; b++) {
      const migration = b === batches ? 0 : Math.max(0, CAPACITY_BPS - background) * (1 - 0.15 * k);
      const bg = b === batches ? background : Math.min(background, CAPACITY_BPS - migration);
      rows.push({ link, t_s: b * f.seconds, capacity_Bps: CAPACITY_BPS, migration_Bps: migration, background_Bps: bg, utilisation_pct: (100 * (migration + bg)) / CAPACITY_BPS });
    }
  });
  return rows;
}

/** One run of the cluster kind, its metrics derived from its two tables. */
export function clusterRecord(f: ClusterFixture): RunRecord {
  const migrations = migrationRows(f);
  const links = linkRows(f);
  const done = migrations.filter((m) => m.converged === 1);
  const downtimes = done.map((m) => m.downtime_ms as number);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const max = (xs: number[]): number => xs.reduce((m, x) => Math.max(m, x), -Infinity);
  const peak = max(links.filter((l) => l.link === 'rack0-up').map((l) => l.utilisation_pct as number));
  const trial = f.trial ?? 0;
  return {
    scenario: 'evacuate-host',
    kind: 'cluster',
    variant: f.variant,
    policy: f.variant.split('-')[0],
    seed: 100 + trial,
    trial,
    params: f.params ?? {},
    metrics: {
      makespan_s: max(migrations.map((m) => m.end_s as number)),
      migrations: f.vms,
      converged_migrations: done.length,
      total_downtime_ms: sum(downtimes),
      worst_downtime_ms: max(downtimes),
      mean_downtime_ms: sum(downtimes) / downtimes.length,
      transferred_bytes: sum(migrations.map((m) => m.transferred_bytes as number)),
      busiest_link_peak_pct: peak,
      busiest_link_mean_pct: peak * 0.8,
      background_lost_bytes: 1e9 * f.concurrent,
      background_lost_pct: 5 * f.concurrent,
    },
    tables: { migrations, links },
  };
}
