// Runs a cluster scheduling policy: the background streams start, the scheduler's plan starts the
// migrations, and the run ends when the plan returns. The operation's metrics are sums and extremes
// over the migrations' rows (context.ts) and the links' integrals (links.ts), all measured in the world.
import { runPlan } from '../shared/plan.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import type { Rows } from '../../results/record.js';
import type { World } from '../../world/index.js';
import { clusterContext, type ClusterSetup } from './context.js';
import { LinkMeter, startBackground } from './links.js';

export interface ClusterResult {
  metrics: Record<string, number>;
  tables: { migrations: Rows; links: Rows; operation: Rows };
}

export function runCluster(world: World, setup: ClusterSetup, policy: TransferPolicy<'cluster'>, options: unknown, _rec: Recorder): ClusterResult {
  const meter = new LinkMeter(world, setup.sample_interval_s);
  const backgrounds = startBackground(world, setup.background);
  const state = clusterContext(world, setup);
  try {
    runPlan(world, policy.name, policy.plan(state.ctx, options));
  } finally {
    state.close();
  }
  const rows = state.rows();
  const makespan = rows.reduce((t, r) => Math.max(t, r.end_s as number), 0);
  const links = meter.finish(makespan, backgrounds);
  const sum = (f: (r: Rows[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
  const downtimes = rows.map((r) => r.downtime_ms as number).filter((d) => !Number.isNaN(d));
  const offered = backgrounds.reduce((s, b) => s + b.offeredBytes, 0);
  const lost = backgrounds.reduce((s, b) => s + b.lostBytes, 0);
  const metrics: Record<string, number> = {
    makespan_s: makespan,
    migrations: rows.length,
    converged_migrations: sum((r) => r.converged as number),
    total_downtime_ms: downtimes.reduce((s, d) => s + d, 0),
    worst_downtime_ms: downtimes.length > 0 ? Math.max(...downtimes) : NaN,
    mean_downtime_ms: downtimes.length > 0 ? downtimes.reduce((s, d) => s + d, 0) / downtimes.length : NaN,
    transferred_bytes: sum((r) => r.transferred_bytes as number),
    busiest_link_peak_pct: links.summary?.peak_pct ?? NaN,
    busiest_link_mean_pct: links.summary?.mean_pct ?? NaN,
    background_lost_bytes: lost,
    background_lost_pct: offered > 0 ? (lost / offered) * 100 : NaN,
  };
  // A metric is a number: the busiest link's name is a cell of the one-row operation table.
  const operation: Rows = [{ busiest_link: links.summary?.busiest ?? '', ...metrics }];
  return { metrics, tables: { migrations: rows, links: links.rows, operation } };
}
