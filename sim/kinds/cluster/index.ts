// Many VMs over a shared network: explicit migrations, evacuations and rebalancings under a
// scheduling policy, each migration run by a migration policy on the migration kind's context.
import { defineKind } from '../kind.js';
import { COST, vmEstimate } from '../shared/cost.js';
import { buildCluster } from './build.js';
import { runCluster } from './driver.js';
import { layoutOf } from './layout.js';
import { ClusterScenario } from './schema.js';

export const cluster = defineKind({
  name: 'cluster',
  schema: ClusterScenario,
  build: buildCluster,
  run: runCluster,
  estimate(s, add) {
    // At most every migrating VM at once (all-at-once): each whole, at its two hosts.
    const l = layoutOf(s, () => {});
    for (const m of l.moves) {
      const t = s.vms[l.vms[m.vm].template];
      if (t.model === 'counted') add('vms[].working_set', COST.site * (2 + t.working_set.length));
      else vmEstimate({ ...t }, 2, add);
    }
    add('hosts, switches, links', (l.hosts.length + l.switches.length + l.links.length) * COST.site);
  },
  facts: (s) => {
    const counted = s.vms.findIndex((v) => v.model === 'counted');
    return { page_bytes: s.vms[0].page_size, migration: s.migration, ...(counted >= 0 ? { counted_template: counted } : {}) };
  },
  bandwidths: '3Gbit/s..100Gbit/s:log:5',
  // The first host template's NIC: every host's, in a cluster of one template.
  bandwidthPath: 'hosts.0.nic',
});
