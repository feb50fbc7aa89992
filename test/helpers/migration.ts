// Run a migration policy on an inline scenario the way the CLI does (validate, build, run), for
// analytic tests of the migration policies.
import { buildScenario } from '../../scenarios/build.js';
import { validateScenario } from '../../scenarios/load.js';
import { getPolicy } from '../../policies/index.js';
import { runOne } from '../../sim/run.js';
import type { RunRecord, TraceEvent } from '../../sim/results/record.js';
import type { World } from '../../sim/world/index.js';

export interface MigrationRun {
  policy: string;
  link?: Record<string, unknown> | string;
  vm?: Record<string, unknown>;
  options?: Record<string, unknown>;
  source?: Record<string, unknown>;
  seed?: number;
  trace?: (e: TraceEvent) => void;
}

export function migrate(o: MigrationRun): { record: RunRecord; world: World; rounds: Array<Record<string, any>> } {
  const scenario = validateScenario(
    {
      kind: 'migration',
      name: 'test',
      policy: o.policy,
      options: o.options ?? {},
      link: o.link ?? { bandwidth: '100Mbit/s', latency: '20ms' },
      vm: { memory: '64MiB', ...o.vm },
      ...(o.source ? { source: o.source } : {}),
    },
    'inline.yaml',
  );
  const policy = getPolicy(o.policy);
  const seed = o.seed ?? 1;
  const { world, setup } = buildScenario(scenario, seed);
  const record = runOne({ scenario: 'test', world, setup, policy, options: policy.options.parse(scenario.options), seed, trial: 0, trace: o.trace });
  return { record, world, rounds: record.tables!.rounds };
}
