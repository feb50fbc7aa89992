// Cluster scenario -> World: the hosts and switches as sites, the links between them, multi-hop
// routes by fewest hops (breadth-first, ties to the link listed first), and the driver's setup: the
// laid-out VMs and migrations and the background traffic. No VM is built here: a VM's pages exist
// only while it migrates (context.ts), so the VMs that stay put cost nothing.
import { InputError, messages } from '../../errors.js';
import { Route, World, type Link } from '../../world/index.js';
import { engineLimits, hostSpec } from '../shared/build.js';
import { HostSchema } from '../../../scenarios/schema-common.js';
import type { ClusterSetup } from './context.js';
import { layoutOf } from './layout.js';
import type { ClusterScenarioT } from './schema.js';

export function buildCluster(s: ClusterScenarioT, seed: number): { world: World; setup: ClusterSetup } {
  const layout = layoutOf(s, (path, _input, message) => {
    throw new InputError(messages.inField(undefined, path.join('.'), message));
  });
  const world = new World(seed, engineLimits(s.limits));
  const site = HostSchema.parse({});
  for (const h of layout.hosts) world.addHost(hostSpec(h.name, site));
  for (const w of layout.switches) if (!world.hosts.has(w)) world.addHost(hostSpec(w, site));
  for (const l of layout.links) {
    world.addLink({ name: l.name, a: l.a, b: l.b, bandwidth_bps: l.bandwidth_bps, latency_s: l.latency_s, jitter_s: 0, loss: 0, packet_overhead_bytes: 0, mss_bytes: 1460, schedule: [] });
  }
  world.setRouter(router(world));
  const setup: ClusterSetup = {
    kind: 'cluster',
    layout,
    templates: s.vms,
    sample_interval_s: s.sample_interval,
    migration: s.migration,
    background: s.background.map((b) => ({
      from: b.from,
      to: b.to,
      steps: b.trace?.map((t) => ({ at_s: t.at, rate_Bps: t.rate / 8 })) ?? [{ at_s: 0, rate_Bps: (b.rate ?? 0) / 8 }],
    })),
  };
  return { world, setup };
}

/** Fewest-hop routes over the links, one breadth-first search per source, each route made once. */
function router(world: World): (from: string, to: string) => Route {
  const adjacent = new Map<string, Array<{ link: Link; other: string }>>();
  for (const l of world.links.values()) {
    const { a, b } = l.spec;
    if (!adjacent.has(a)) adjacent.set(a, []);
    if (!adjacent.has(b)) adjacent.set(b, []);
    adjacent.get(a)!.push({ link: l, other: b });
    adjacent.get(b)!.push({ link: l, other: a });
  }
  const trees = new Map<string, Map<string, { link: Link; prev: string }>>();
  const routes = new Map<string, Route>();
  const tree = (from: string): Map<string, { link: Link; prev: string }> => {
    let t = trees.get(from);
    if (t !== undefined) return t;
    t = new Map();
    const queue = [from];
    const seen = new Set([from]);
    for (let k = 0; k < queue.length; k++) {
      for (const { link, other } of adjacent.get(queue[k]) ?? []) {
        if (seen.has(other)) continue;
        seen.add(other);
        t.set(other, { link, prev: queue[k] });
        queue.push(other);
      }
    }
    trees.set(from, t);
    return t;
  };
  return (from, to) => {
    const key = `${from}\u0000${to}`;
    let r = routes.get(key);
    if (r !== undefined) return r;
    const t = tree(from);
    const hops: Link[] = [];
    const sites = [to];
    for (let at = to; at !== from; ) {
      const step = t.get(at);
      if (step === undefined) throw new InputError(messages.clusterNoPath(from, to));
      hops.unshift(step.link);
      sites.unshift(step.prev);
      at = step.prev;
    }
    routes.set(key, (r = new Route(hops, sites)));
    return r;
  };
}
