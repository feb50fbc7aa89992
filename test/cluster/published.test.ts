// A published multi-VM measurement reproduced from its stated setup: the 10 concurrent KVM live
// migrations of instance random.1 of Kherbache's mVM accuracy experiment (three measured runs in
// scenarios/reference/mvm-random1.json), simulated by scenarios/cluster/mvm-random1.yaml with the
// model's own mechanisms and constants (nothing fitted). Each migration's duration is compared with
// the median of the three runs, and the makespan with the runs' median makespan.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadScenarioFile } from '../../sim/cli/node-api.js';
import { run } from '../../sim/api.js';
import type { RunRecord } from '../../sim/results/record.js';
import { ROOT } from '../helpers/cli.js';

interface Measured { vm: string; from: string; to: string; bandwidth_Mbps: number; start_s: number; end_s: number }
const REF = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'reference', 'mvm-random1.json'), 'utf8')) as {
  setup: { link_bandwidth_Mbps: Record<string, number>; vm_memory_GiB: Record<string, number>; host_memory_GiB: number };
  runs: Array<{ run: number; migrations: Measured[] }>;
};
const FILE = join(ROOT, 'scenarios', 'cluster', 'mvm-random1.yaml');
/** Its scheduler: a policy file, so the run needs the build (it imports the package by its name). */
const POLICY_FILE = './as-planned.mjs';
const DOC = YAML.parse(readFileSync(FILE, 'utf8')) as {
  policy: string;
  hosts: Array<{ memory: string }>;
  links: Array<{ a: string; b: string; bandwidth: string }>;
  vms: Array<{ name: string; memory: string; place: { host: string } }>;
  options: { after: Record<string, string[]> };
  operation: { migrations: Array<{ vm: string; to: string }> };
};

/** Each migration's duration as simulated may miss its measured median by at most this share. */
const TOLERANCE = 0.1;
/** The makespan (first start to last end), against the median of the three runs. */
const MAKESPAN_TOLERANCE = 0.12;

/**
 * Migrations the model is known to miss, each checked to still miss (update when the model improves)
 * and printed as an "EXPECTED MISS" line. `simulated_s` is the simulated duration.
 */
const EXPECTED_MISSES: ReadonlyArray<{ vm: string; simulated_s: number; reason: string }> = [
  {
    vm: 'vm7',
    simulated_s: 27.0,
    reason:
      '3 GiB over the two 1 Gbit/s links, alone on them: the model sends at the line rate (25 s of pages plus the hot set) but ' +
      'the runs took 29-34 s, while the two 2 GiB VMs over the same links were within 10%. Its source node3 was receiving two ' +
      'other migrations at 1 Gbit/s at the same time; the links are full duplex in the model, and nothing else on a host ' +
      '(its CPU, its NIC) is shared between migrations (docs/cluster.md, What is not modelled)',
  },
  {
    vm: 'vm8',
    simulated_s: 57.5,
    reason:
      'node0 -> node3 at 500 Mbit/s, sharing node3\'s 1 Gbit/s link with vm5 (node1 -> node3, also 500 Mbit/s): fluid max-min ' +
      'sharing gives each exactly 500 Mbit/s, so both take 57.5 s, but vm8 took 65-80 s and was the slower of the two in ' +
      'every run (vm5: 56-78 s). Two TCP streams filling a 1 GbE link get less than its line rate and unequal shares; the ' +
      'network is fluid, with no TCP dynamics',
  },
];

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const duration = (m: Measured): number => m.end_s - m.start_s;
const measuredOf = (vm: string): number[] => REF.runs.map((r) => duration(r.migrations.find((m) => m.vm === vm)!));
const makespanOf = (ms: readonly Measured[]): number => Math.max(...ms.map((m) => m.end_s)) - Math.min(...ms.map((m) => m.start_s));
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

let record: RunRecord;
const simulated = (vm: string): number => {
  const row = record.tables!.migrations.find((r) => r.vm === vm)!;
  return (row.end_s as number) - (row.start_s as number);
};

beforeAll(async () => {
  const s = await loadScenarioFile(FILE);
  record = run(s, { trials: 1 })[0];
}, 120_000);

describe('mvm-random1: the scenario is the stated setup', () => {
  it('hosts, links, VM sizes, placement and moves are those of the reference', () => {
    expect(DOC.policy).toBe(POLICY_FILE);
    expect(DOC.hosts[0].memory).toBe(`${REF.setup.host_memory_GiB}GiB`);
    for (const l of DOC.links) expect(l.bandwidth).toBe(`${REF.setup.link_bandwidth_Mbps[l.a]}Mbit/s`);
    for (const v of DOC.vms) expect(v.memory).toBe(`${REF.setup.vm_memory_GiB[v.name]}GiB`);
    for (const r of REF.runs) {
      for (const m of r.migrations) {
        expect(DOC.vms.find((v) => v.name === m.vm)!.place.host).toBe(m.from);
        expect(DOC.operation.migrations.find((x) => x.vm === m.vm)!.to).toBe(m.to);
        // libvirt's speed was the slower of the two links: the links alone set each migration's rate
        expect(m.bandwidth_Mbps).toBe(Math.min(REF.setup.link_bandwidth_Mbps[m.from], REF.setup.link_bandwidth_Mbps[m.to]));
      }
    }
    expect(DOC.operation.migrations).toHaveLength(REF.runs[0].migrations.length);
  });

  it('the precedences (options.after) are those the runs show: each started within 1 s of the end of the last it waits for', () => {
    for (const r of REF.runs) {
      const of = (vm: string) => r.migrations.find((m) => m.vm === vm)!;
      const t0 = Math.min(...r.migrations.map((m) => m.start_s));
      for (const m of r.migrations) {
        const deps = DOC.options.after[m.vm] ?? [];
        const ready = deps.length === 0 ? t0 : Math.max(...deps.map((d) => of(d).end_s));
        expect(m.start_s - ready, `run ${r.run} ${m.vm}`).toBeGreaterThanOrEqual(0);
        expect(m.start_s - ready, `run ${r.run} ${m.vm}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('every migration converges, as every measured one did', () => {
    expect(record.metrics.converged_migrations).toBe(10);
  });
});

describe('mvm-random1: simulated against measured (median of 3 runs)', () => {
  const vms = REF.runs[0].migrations.map((m) => m.vm);
  for (const vm of vms) {
    const miss = EXPECTED_MISSES.find((x) => x.vm === vm);
    const name = miss ? `${vm}: expected miss (> ${TOLERANCE * 100}%)` : `${vm}: duration within ${TOLERANCE * 100}% of the measured median`;
    it(name, () => {
      const meas = median(measuredOf(vm));
      const sim = simulated(vm);
      const err = sim / meas - 1;
      console.info(`${vm}: simulated ${sim.toFixed(1)} s, measured ${measuredOf(vm).join(' / ')} s (median ${meas}), error ${pct(err)}`);
      if (miss) {
        expect(Math.abs(err)).toBeGreaterThan(TOLERANCE);
        expect(sim).toBeCloseTo(miss.simulated_s, 0);
        console.info(`EXPECTED MISS ${vm}: ${pct(err)}; ${miss.reason}`);
      } else {
        expect(Math.abs(err)).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  }

  it(`makespan within ${MAKESPAN_TOLERANCE * 100}% of the measured median`, () => {
    const meas = REF.runs.map((r) => makespanOf(r.migrations));
    const sim = record.metrics.makespan_s as number;
    const err = sim / median(meas) - 1;
    console.info(`makespan: simulated ${sim.toFixed(1)} s, measured ${meas.join(' / ')} s (median ${median(meas)}), error ${pct(err)}`);
    expect(Math.abs(err)).toBeLessThanOrEqual(MAKESPAN_TOLERANCE);
  });
});
