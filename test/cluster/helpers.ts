// Small cluster scenarios written in the test, run through the same path as `vmsim run`.
import { loadScenario } from '../../sim/api.js';
import { InThread, planRun, resolve } from '../../sim/pipeline/index.js';
import type { RunRecord } from '../../sim/results/record.js';

/** Two hosts a and b joined by one link; `vms` VMs of `memory` on a (memory model `model`, default the kind's); no working set (nothing dirties). */
export function twoHosts(o: { vms: number; memory: string; bandwidth: string; latency: string; policy: string; migration?: string; extra?: string; model?: 'pages' | 'counted' }): string {
  return `kind: cluster
name: t
policy: ${o.policy}
migration: ${o.migration ?? '{ policy: stop-and-copy }'}
hosts:
  - { name: a, memory: 1TiB }
  - { name: b, memory: 1TiB }
links:
  - { a: a, b: b, bandwidth: ${o.bandwidth}, latency: ${o.latency} }
vms:
  - { name: "vm{i}", count: ${o.vms}, memory: ${o.memory}, place: { host: a }${o.model !== undefined ? `, model: ${o.model}` : ''} }
${o.extra ?? ''}
operation:
  migrations: [${Array.from({ length: o.vms }, (_, i) => `{ vm: vm${i}, to: b }`).join(', ')}]
`;
}

export function runText(text: string, sets: readonly string[] = []): RunRecord {
  const loaded = loadScenario(text, { file: 't.yaml', set: sets });
  return new InThread().runSync(planRun(resolve(loaded, { trials: 1 })))[0];
}

export function loadText(text: string): unknown {
  return loadScenario(text, { file: 't.yaml' });
}
