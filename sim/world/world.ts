// The world: hosts, links, storage servers, lookaside devices and VMs, registered by name, plus the
// verbs that move bytes between them. It knows nothing of policies.
import { Simulator, RandomStreams, Event, type Limits } from '../engine/index.js';
import { InputError, ModelError, messages } from '../errors.js';
import { Network, type Resource } from './network.js';
import { Link, type LinkSpec } from './link.js';
import type { Route } from './route.js';
import { Host, type HostSpec, type CpuOp } from './host.js';
import { StorageServer, type StorageSpec } from './storage.js';
import { LookasideDevice, type DeviceSpec } from './lookaside.js';
import { Observer } from './observe.js';
import { Transfer, type SendOptions } from './transfer.js';
import type { Vm } from './vm.js';
import { withRetransmissions } from './protocol.js';
import type { Bytes } from './units.js';

// The resources a server's data crosses besides the link (allocated once when there are no others).
const serverVia = new WeakMap<StorageServer, readonly Resource[]>();
function viaServer(server: StorageServer, extra: readonly Resource[] | undefined): readonly Resource[] {
  if (extra !== undefined && extra.length > 0) return [server.throughput, ...extra];
  let v = serverVia.get(server);
  if (v === undefined) serverVia.set(server, (v = [server.throughput]));
  return v;
}

function lookup<T>(map: Map<string, T>, what: string, name: string): T {
  const v = map.get(name);
  if (v === undefined) throw new InputError(messages.unknownName(what, name, [...map.keys()]));
  return v;
}

export class World {
  readonly sim: Simulator;
  readonly random: RandomStreams;
  readonly network: Network;
  readonly observe = new Observer();
  readonly hosts = new Map<string, Host>();
  readonly links = new Map<string, Link>();
  readonly servers = new Map<string, StorageServer>();
  readonly devices = new Map<string, LookasideDevice>();
  readonly vms = new Map<string, Vm>();
  /** Multi-hop routing between distinct sites (a cluster's topology); without it, routes are single links. */
  private router: ((from: string, to: string) => Route) | null = null;

  constructor(seed: number | string, limits: Partial<Limits> = {}) {
    this.sim = new Simulator(limits);
    this.random = new RandomStreams(seed);
    this.network = new Network(this.sim);
  }

  get now(): number {
    return this.sim.now;
  }

  addHost(spec: HostSpec): Host {
    const h = new Host(spec);
    this.hosts.set(spec.name, h);
    return h;
  }

  addLink(spec: LinkSpec): Link {
    for (const end of [spec.a, spec.b]) this.host(end);
    const link = new Link(spec, this.random.stream(`link:${spec.name}`));
    this.links.set(spec.name, link);
    for (const step of spec.schedule) {
      this.sim.at(step.at_s, () => {
        link.bandwidth_bps = step.bandwidth_bps;
        this.network.setCapacity(link.ab, step.bandwidth_bps / 8);
        this.network.setCapacity(link.ba, step.bandwidth_bps / 8);
      });
    }
    return link;
  }

  addServer(spec: StorageSpec): StorageServer {
    this.host(spec.site);
    const s = new StorageServer(spec);
    this.servers.set(spec.name, s);
    return s;
  }

  addDevice(spec: DeviceSpec): LookasideDevice {
    const d = new LookasideDevice(spec);
    this.devices.set(spec.name, d);
    return d;
  }

  addVm(vm: Vm): Vm {
    this.host(vm.site);
    this.vms.set(vm.name, vm);
    return vm;
  }

  host(name: string): Host {
    return lookup(this.hosts, 'host', name);
  }
  link(name: string): Link {
    return lookup(this.links, 'link', name);
  }
  server(name: string): StorageServer {
    return lookup(this.servers, 'storage server', name);
  }
  device(name: string): LookasideDevice {
    return lookup(this.devices, 'lookaside device', name);
  }
  vm(name: string): Vm {
    return lookup(this.vms, 'VM', name);
  }

  /** The link joining two sites; null for the same site. Routes are single links. */
  route(from: string, to: string): Link | null {
    if (from === to) return null;
    for (const l of this.links.values()) if (l.joins(from, to)) return l;
    throw new ModelError(messages.noLink(from, to));
  }

  /** Route sends between distinct sites over multi-hop paths (sim/world/route.ts) instead of single links. */
  setRouter(router: (from: string, to: string) => Route): void {
    this.router = router;
  }

  /** What a send from one site to another crosses: a link, a multi-hop route, or nothing (the same site). */
  path(from: string, to: string): Link | Route | null {
    return this.router === null || from === to ? this.route(from, to) : this.router(from, to);
  }

  /** Start sending `bytes` from one site to another (`done`: a pending event to use as its done). */
  send(from: string, to: string, bytes: Bytes, opts: SendOptions = {}, done?: Event<Transfer>): Transfer {
    const path = this.path(from, to);
    return new Transfer(this.sim, this.network, this.observe, path, from, to, bytes, opts, done);
  }

  /**
   * A request/response exchange with a storage server: the request crosses the link, the server
   * spends its per-request overhead, and the response comes back through the server's throughput
   * limit. Costs RTT + overhead + response transfer. The event's value is the response transfer.
   */
  fetch(client: string, server: StorageServer, responseBytes: Bytes, opts: SendOptions & { request_bytes?: Bytes } = {}, done?: Event<Transfer>): Event<Transfer> {
    const out = done ?? new Event<Transfer>(this.sim);
    const link = this.route(client, server.site);
    const tag = opts.tag ?? 'fetch';
    const respOpts: SendOptions = { tag, via: viaServer(server, opts.via), cap_bps: opts.cap_bps, window_bytes: opts.window_bytes, protocol: opts.protocol };
    const respond = (): void => {
      this.send(server.site, client, responseBytes, respOpts, out);
    };
    const req = opts.request_bytes ?? 0;
    if (req > 0) {
      this.send(client, server.site, req, { tag: `${tag}:request` }).done.then(() => {
        if (server.spec.request_overhead_s > 0) this.sim.schedule(server.spec.request_overhead_s, respond);
        else respond();
      });
    } else {
      // A bodiless request costs one latency; no flow needed. One hold covers it and the overhead.
      this.sim.schedule((link === null ? 0 : link.sampleLatency()) + server.spec.request_overhead_s, respond);
    }
    return out;
  }

  /**
   * The reverse exchange: `bytes` go from the client through the server's throughput limit, the
   * server spends its per-request overhead, and a bodiless reply comes back (one latency).
   */
  store(client: string, server: StorageServer, bytes: Bytes, opts: SendOptions = {}, done?: Event<Transfer>): Event<Transfer> {
    const out = done ?? new Event<Transfer>(this.sim);
    const link = this.route(client, server.site);
    const t = this.send(client, server.site, bytes, { tag: opts.tag ?? 'store', via: viaServer(server, opts.via), cap_bps: opts.cap_bps, window_bytes: opts.window_bytes, protocol: opts.protocol });
    t.done.then(() => out.succeedAfter(server.spec.request_overhead_s + (link === null ? 0 : link.sampleLatency()), t));
    return out;
  }

  /**
   * Seconds the fetches of `sizes` (one request each, in turn) take on an otherwise idle path
   * without jitter: what fetch() would take, asked as a what-if question (e.g. the shortest travel
   * time that lets a proactive policy move some state).
   */
  idleFetchSeconds(client: string, server: StorageServer, sizes: ArrayLike<Bytes>, opts: SendOptions = {}): number {
    const link = this.route(client, server.site);
    if (link === null) return sizes.length * server.spec.request_overhead_s;
    const lat = link.spec.latency_s;
    let rate = Math.min(link.bandwidth_bps / 8, server.throughput.capacity);
    if (opts.cap_bps !== undefined) rate = Math.min(rate, opts.cap_bps / 8);
    if (opts.window_bytes !== undefined && link.rtt_s > 0) rate = Math.min(rate, opts.window_bytes / link.rtt_s);
    let total = 0;
    for (let i = 0; i < sizes.length; i++) {
      const wire = withRetransmissions(link.wireBytes(sizes[i]), opts.protocol, link.bandwidth_bps, link.rtt_s);
      total += 2 * lat + server.spec.request_overhead_s + wire / rate;
    }
    return total;
  }

  /** CPU work on a host: an event after the time it takes. */
  cpu(host: string, op: CpuOp, bytes: Bytes, cores = 1): Event<undefined> {
    const seconds = this.host(host).cpuSeconds(op, bytes, cores);
    if (this.observe.active) this.observe.emit({ type: 'cpu', t: this.sim.now, host, op, bytes, seconds });
    return this.sim.timeout(seconds);
  }

  /** Run until nothing is left to happen (or a limit fires). */
  run(until?: number): void {
    this.sim.run(until === undefined ? {} : { until });
  }
}
