// A cluster scenario laid out: templates expanded into hosts and VMs, VMs placed, the network's
// nodes and links listed, and the operation turned into migrations in an order that never puts a
// host over its memory. Pure functions of the scenario, used by its checks (each problem an issue at
// its field) and by the build (which meets no problems: the scenario was checked).
import { messages } from '../../errors.js';
import type { IssueAt } from '../../../scenarios/schema-common.js';
import type { ClusterScenarioT } from './schema.js';

export interface HostEntry {
  name: string;
  /** The host template it came from. */
  template: number;
  nic_bps: number;
  memory_bytes: number;
}

export interface VmEntry {
  name: string;
  template: number;
  host: number;
  memory_bytes: number;
}

export interface LinkEntry {
  name: string;
  a: string;
  b: string;
  bandwidth_bps: number;
  latency_s: number;
}

export interface Move {
  vm: number;
  from: number;
  to: number;
  /** Earliest start, seconds. */
  at_s: number;
}

export interface Layout {
  hosts: HostEntry[];
  hostIndex: Map<string, number>;
  vms: VmEntry[];
  vmIndex: Map<string, number>;
  /** Switches: the topology's and the listed ones. */
  switches: string[];
  links: LinkEntry[];
  /** The operation's migrations, in an order that keeps every host within its memory. */
  moves: Move[];
}

/** Names of a template: "{i}" replaced by 0..count-1, or the name itself. */
export function expandName(name: string, count: number | undefined): string[] {
  if (count === undefined) return [name];
  return Array.from({ length: count }, (_, i) => name.replaceAll('{i}', String(i)));
}

function expandHosts(s: ClusterScenarioT, issue: IssueAt): { hosts: HostEntry[]; hostIndex: Map<string, number> } {
  const hosts: HostEntry[] = [];
  const hostIndex = new Map<string, number>();
  s.hosts.forEach((t, k) => {
    if (t.count === undefined && t.name.includes('{')) issue(['hosts', k, 'name'], t.name, messages.clusterTemplateName(t.name));
    for (const name of expandName(t.name, t.count)) {
      if (hostIndex.has(name)) issue(['hosts', k, 'name'], t.name, messages.clusterNameTwice('host', name));
      hostIndex.set(name, hosts.length);
      hosts.push({ name, template: k, nic_bps: t.nic, memory_bytes: t.memory });
    }
  });
  return { hosts, hostIndex };
}

function expandVms(s: ClusterScenarioT, hosts: HostEntry[], hostIndex: Map<string, number>, issue: IssueAt): { vms: VmEntry[]; vmIndex: Map<string, number> } {
  const vms: VmEntry[] = [];
  const vmIndex = new Map<string, number>();
  let cursor = 0;
  s.vms.forEach((t, k) => {
    if (t.count === undefined && t.name.includes('{')) issue(['vms', k, 'name'], t.name, messages.clusterTemplateName(t.name));
    let fixed = -1;
    if (t.place !== 'round-robin') {
      fixed = hostIndex.get(t.place.host) ?? -1;
      if (fixed < 0) issue(['vms', k, 'place', 'host'], t.place.host, messages.clusterMissingHost(t.place.host, [...hostIndex.keys()]));
    }
    for (const name of expandName(t.name, t.count)) {
      if (vmIndex.has(name)) issue(['vms', k, 'name'], t.name, messages.clusterNameTwice('VM', name));
      const host = fixed >= 0 ? fixed : cursor++ % hosts.length;
      vmIndex.set(name, vms.length);
      vms.push({ name, template: k, host: Math.max(0, host), memory_bytes: t.memory });
    }
  });
  const used = new Float64Array(hosts.length);
  for (const v of vms) used[v.host] += v.memory_bytes;
  const over = new Set<number>();
  hosts.forEach((h, i) => {
    if (used[i] > h.memory_bytes && !over.has(h.template)) {
      over.add(h.template);
      issue(['hosts', h.template, 'memory'], h.memory_bytes, messages.clusterOverMemory(h.name, used[i], h.memory_bytes));
    }
  });
  return { vms, vmIndex };
}

/** The topology's switches and links, then the listed ones. */
function network(s: ClusterScenarioT, hosts: HostEntry[]): { switches: string[]; links: LinkEntry[] } {
  const switches: string[] = [];
  const links: LinkEntry[] = [];
  const t = s.topology;
  if (t !== undefined) {
    const racks = Math.ceil(hosts.length / t.hosts_per_rack);
    switches.push('core');
    for (let r = 0; r < racks; r++) {
      switches.push(`tor${r}`);
      links.push({ name: `tor${r}-core`, a: `tor${r}`, b: 'core', bandwidth_bps: t.uplink, latency_s: t.latency });
    }
    hosts.forEach((h, i) => {
      const tor = `tor${Math.floor(i / t.hosts_per_rack)}`;
      links.push({ name: `${h.name}-${tor}`, a: h.name, b: tor, bandwidth_bps: h.nic_bps, latency_s: t.latency });
    });
  }
  switches.push(...s.switches);
  for (const l of s.links) links.push({ name: l.name ?? `${l.a}-${l.b}`, a: l.a, b: l.b, bandwidth_bps: l.bandwidth, latency_s: l.latency });
  return { switches, links };
}

/** Every link joins known nodes, and every host reaches every other (union-find over the nodes). */
function checkNetwork(s: ClusterScenarioT, hosts: HostEntry[], switches: string[], links: LinkEntry[], issue: IssueAt): void {
  const node = new Map<string, number>();
  hosts.forEach((h, i) => node.set(h.name, i));
  switches.forEach((w) => node.has(w) || node.set(w, node.size));
  const parent = Array.from({ length: node.size }, (_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const names = new Set<string>();
  const listedFrom = links.length - s.links.length;
  links.forEach((l, k) => {
    if (names.has(l.name)) issue(['links', k - listedFrom, 'name'], l.name, messages.clusterNameTwice('link', l.name));
    names.add(l.name);
    const a = node.get(l.a);
    const b = node.get(l.b);
    if (a === undefined) issue(['links', k - listedFrom, 'a'], l.a, messages.clusterBadNode(l.a));
    if (b === undefined) issue(['links', k - listedFrom, 'b'], l.b, messages.clusterBadNode(l.b));
    if (a !== undefined && b !== undefined) parent[root(a)] = root(b);
  });
  for (let i = 1; i < hosts.length; i++) {
    if (root(i) !== root(0)) {
      issue([s.topology === undefined ? 'links' : 'topology'], undefined, messages.clusterNoPath(hosts[0].name, hosts[i].name));
      return;
    }
  }
}

export function layoutOf(s: ClusterScenarioT, issue: IssueAt): Layout {
  const { hosts, hostIndex } = expandHosts(s, issue);
  const { vms, vmIndex } = expandVms(s, hosts, hostIndex, issue);
  const { switches, links } = network(s, hosts);
  checkNetwork(s, hosts, switches, links, issue);
  const l: Layout = { hosts, hostIndex, vms, vmIndex, switches, links, moves: [] };
  l.moves = operationMoves(s, l, issue);
  return l;
}

/** The scenario's cross-field checks: the layout, its problems reported as issues. */
export function checkCluster(s: ClusterScenarioT, issue: IssueAt): void {
  layoutOf(s, issue);
  s.background.forEach((b, k) => {
    for (const f of ['from', 'to'] as const) if (!hostNames(s).has(b[f])) issue(['background', k, f], b[f], messages.clusterMissingHost(b[f], [...hostNames(s)]));
    if ((b.rate === undefined) === (b.trace === undefined)) issue(['background', k, 'rate'], b.rate, messages.clusterRateOrTrace());
  });
}

const namesOf = new WeakMap<ClusterScenarioT, Set<string>>();
function hostNames(s: ClusterScenarioT): Set<string> {
  let n = namesOf.get(s);
  if (n === undefined) namesOf.set(s, (n = new Set(s.hosts.flatMap((t) => expandName(t.name, t.count)))));
  return n;
}

function operationMoves(s: ClusterScenarioT, l: Layout, issue: IssueAt): Move[] {
  const op = s.operation;
  const given = [op.migrations, op.evacuate, op.rebalance].filter((x) => x !== undefined).length;
  if (given !== 1) {
    issue(['operation'], op, messages.clusterOneOperation());
    return [];
  }
  if (op.migrations !== undefined) return ordered(explicitMoves(op.migrations, l, issue), l, ['operation', 'migrations'], issue, false);
  if (op.evacuate !== undefined) return evacuation(op.evacuate, l, issue);
  return ordered(rebalanceMoves(op.rebalance!.placement, l, issue), l, ['operation', 'rebalance', 'placement'], issue, true);
}

function explicitMoves(list: NonNullable<ClusterScenarioT['operation']['migrations']>, l: Layout, issue: IssueAt): Move[] {
  const moves: Move[] = [];
  const seen = new Set<number>();
  list.forEach((m, k) => {
    const vm = l.vmIndex.get(m.vm);
    const to = l.hostIndex.get(m.to);
    if (vm === undefined) issue(['operation', 'migrations', k, 'vm'], m.vm, messages.clusterMissingVm(m.vm));
    if (to === undefined) issue(['operation', 'migrations', k, 'to'], m.to, messages.clusterMissingHost(m.to, [...l.hostIndex.keys()]));
    if (vm === undefined || to === undefined) return;
    if (l.vms[vm].host === to) issue(['operation', 'migrations', k, 'to'], m.to, messages.clusterOwnHost(m.vm, m.to));
    else if (seen.has(vm)) issue(['operation', 'migrations', k, 'vm'], m.vm, messages.clusterMovedTwice(m.vm));
    else moves.push({ vm, from: l.vms[vm].host, to, at_s: m.at });
    seen.add(vm);
  });
  return moves;
}

function rebalanceMoves(placement: Record<string, string>, l: Layout, issue: IssueAt): Move[] {
  const moves: Move[] = [];
  for (const [name, host] of Object.entries(placement)) {
    const vm = l.vmIndex.get(name);
    const to = l.hostIndex.get(host);
    if (vm === undefined) issue(['operation', 'rebalance', 'placement', name], name, messages.clusterMissingVm(name));
    if (to === undefined) issue(['operation', 'rebalance', 'placement', name], host, messages.clusterMissingHost(host, [...l.hostIndex.keys()]));
    if (vm !== undefined && to !== undefined && l.vms[vm].host !== to) moves.push({ vm, from: l.vms[vm].host, to, at_s: 0 });
  }
  return moves;
}

/**
 * An evacuation's migrations: each VM of the evacuated hosts (in placement order) goes to the
 * least-loaded other host (lowest share of its memory in use, counting the VMs sent there so far;
 * ties to the first host) that has room for it.
 */
function evacuation(names: string[], l: Layout, issue: IssueAt): Move[] {
  const out = new Set<number>();
  names.forEach((n, k) => {
    const h = l.hostIndex.get(n);
    if (h === undefined) issue(['operation', 'evacuate', k], n, messages.clusterMissingHost(n, [...l.hostIndex.keys()]));
    else out.add(h);
  });
  const used = usedMemory(l);
  const moves: Move[] = [];
  l.vms.forEach((v, vm) => {
    if (!out.has(v.host)) return;
    let best = -1;
    let bestLoad = Infinity;
    for (let h = 0; h < l.hosts.length; h++) {
      const cap = l.hosts[h].memory_bytes;
      if (out.has(h) || used[h] + v.memory_bytes > cap) continue;
      const load = used[h] / cap;
      if (load < bestLoad) [best, bestLoad] = [h, load];
    }
    if (best < 0) {
      issue(['operation', 'evacuate'], names, messages.clusterNoRoom(v.name, v.memory_bytes));
      return;
    }
    used[best] += v.memory_bytes;
    moves.push({ vm, from: v.host, to: best, at_s: 0 });
  });
  return moves;
}

function usedMemory(l: Layout): Float64Array {
  const used = new Float64Array(l.hosts.length);
  for (const v of l.vms) used[v.host] += v.memory_bytes;
  return used;
}

/**
 * The moves in an order in which each destination has room when its migration starts (sources keep
 * their VM's memory until it has left): passes over the moves left, taking each that fits. What
 * never fits is a cycle, refused. `reorder` returns that order; otherwise the given one (the
 * scheduler waits for room at run time).
 */
function ordered(moves: Move[], l: Layout, path: PropertyKey[], issue: IssueAt, reorder: boolean): Move[] {
  const used = usedMemory(l);
  let left = moves;
  const done: Move[] = [];
  while (left.length > 0) {
    const next: Move[] = [];
    for (const m of left) {
      if (used[m.to] + l.vms[m.vm].memory_bytes <= l.hosts[m.to].memory_bytes) {
        used[m.to] += l.vms[m.vm].memory_bytes;
        used[m.from] -= l.vms[m.vm].memory_bytes;
        done.push(m);
      } else next.push(m);
    }
    if (next.length === left.length) {
      issue(path, undefined, messages.clusterCycle(next.map((m) => `${l.vms[m.vm].name} (${l.hosts[m.from].name} -> ${l.hosts[m.to].name})`)));
      return done;
    }
    left = next;
  }
  return reorder ? done : moves;
}
