// The verbs an ISR policy acts through (IsrContext), over the world of an ISR run: where state is,
// the two sites' file-system clients, the benchmark loop. The driver (driver.ts) runs the policy and
// reads the times and counts recorded here.
import { allOf, type Event, type Yieldable } from '../../engine/index.js';
import { InputError, ModelError, messages } from '../../errors.js';
import {
  FsClient, type Bytes, type DesktopWorkload, type Host, type Link, type PageStore, type SendOptions, type StorageServer, type Transfer, type UnitList, type Vm, type WindowProtocol, type World,
} from '../../world/index.js';
import { withBase } from '../shared/context.js';
import { DEMAND, WRITEBACK, type IsrContext } from './contract.js';

export interface IsrSetup {
  kind: 'isr';
  vm: string;
  suspendSite: string;
  resumeSite: string;
  server: string;
  /** Lookaside devices by role; a jukebox is a storage server reached over the LAN. */
  jukebox?: string;
  image_bytes: number;
  memory_bytes: number;
  /** Bytes on the wire per chunk over chunk size (chunks travel compressed). */
  chunk_wire_ratio: number;
  protocol: WindowProtocol;
  /** Request bytes of the content-hash lookup that precedes a lookaside read. */
  workload: DesktopWorkload;
  /** Chunks the session at the suspend site wrote before the user suspended (dirty until written back at suspend). */
  suspend_dirty: UnitList;
  travel_s: number;
  /** 'warm': the resume site's cache tracked the suspend site and lacks only the dirty state. */
  resume_cache: 'cold' | 'warm';
  vmm_resume_s: number;
}

// Content id of the memory image on devices (chunks use their own ids, below 2^31).
const IMAGE_CONTENT = 0xffff_fffe;

const mark = (world: World, name: string): void => {
  if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name });
};

/**
 * Options of one exchange with a server, every field present (unset ones undefined, which the world
 * reads as absent): all of a run's exchanges share one object layout, so the world's fetch, store
 * and transfers read them with monomorphic property loads instead of megamorphic lookups.
 */
function exchange(tag: string, protocol: WindowProtocol | undefined): SendOptions & { request_bytes?: Bytes } {
  return { tag, cap_bps: undefined, window_bytes: undefined, via: undefined, protocol, priority: undefined, request_bytes: undefined };
}

export interface IsrRunState {
  /** Times of the lifecycle's moments (suspend-start, arrival, running, ...), and op_latency. */
  times: Record<string, number>;
  misses: number;
}

/** What the verbs of one ISR context share: where state is, the two sites' clients, the exchanges. */
interface IsrRun {
  world: World;
  setup: IsrSetup;
  policyName: string;
  vm: Vm;
  disk: PageStore;
  A: string;
  B: string;
  server: StorageServer;
  clientA: FsClient;
  clientB: FsClient;
  hostB: Host;
  chunkWire: number;
  state: IsrRunState;
  imageAtB: boolean;
  /** Record a moment of the lifecycle (its time and a mark). */
  at(name: string): void;
  // One exchange function per kind, shared by every chunk (not a closure per request).
  fetchChunkRun(d: Event<Transfer>): void;
  storeChunkA(d: Event<Transfer>): void;
  storeChunkB(d: Event<Transfer>): void;
  opts: Record<'chunk' | 'image' | 'wbImage' | 'jukebox', SendOptions>;
}

export function isrContext(world: World, setup: IsrSetup, policyName: string): { ctx: IsrContext; state: IsrRunState; chunkWire: number } {
  const r = isrRun(world, setup, policyName);
  const ctx = withBase<IsrContext>(world, {
    disk: r.disk,
    suspendSite: r.A,
    resumeSite: r.B,
    ...suspendVerbs(r),
    ...imageVerbs(r),
    ...chunkVerbs(r),
    runBenchmark: (onMiss) => world.sim.process(benchmark(r, onMiss)),
  });
  return { ctx, state: r.state, chunkWire: r.chunkWire };
}

/** The run's shared state, with state placed where it is when the user suspends. */
function isrRun(world: World, setup: IsrSetup, policyName: string): IsrRun {
  const vm = world.vm(setup.vm);
  const disk = vm.disk;
  if (disk === null) throw new ModelError(messages.noDisk(vm.name));
  const A = setup.suspendSite;
  const B = setup.resumeSite;
  const server = world.server(setup.server);
  const clientA = new FsClient(world.sim, `${A}:fs`);
  const clientB = new FsClient(world.sim, `${B}:fs`);
  const hostB = world.host(B);
  const chunkWire = disk.unitBytes * setup.chunk_wire_ratio;

  disk.fill(A);
  if (setup.resume_cache === 'warm') {
    disk.fill(B);
    for (const c of setup.suspend_dirty) disk.setPresent(B, c, false);
  }
  const state: IsrRunState = { times: {}, misses: 0 };
  const chunkOpts = exchange('chunk', setup.protocol);
  const wbOpts = exchange('writeback-chunk', setup.protocol);
  const storeChunkFrom = (site: string) => (d: Event<Transfer>): void => {
    world.store(site, server, chunkWire, wbOpts, d);
  };
  return {
    world, setup, policyName, vm, disk, A, B, server, clientA, clientB, hostB, chunkWire, state,
    imageAtB: false,
    at(name: string): void {
      state.times[name] = world.now;
      mark(world, name);
    },
    fetchChunkRun(d: Event<Transfer>): void {
      world.fetch(B, server, chunkWire, chunkOpts, d);
    },
    storeChunkA: storeChunkFrom(A),
    storeChunkB: storeChunkFrom(B),
    opts: { chunk: chunkOpts, image: exchange('image', setup.protocol), wbImage: exchange('writeback-image', setup.protocol), jukebox: exchange('lookaside-jukebox', undefined) },
  };
}

type SuspendVerbs = Pick<IsrContext, 'suspend' | 'writeImageTo' | 'arrival' | 'missingChunks' | 'recentWrites'>;

/** At the suspend site, and the trip: what state leaves, and what the resume site lacks. */
function suspendVerbs(r: IsrRun): SuspendVerbs {
  const { world, setup, vm, disk, A, B } = r;
  return {
    suspend() {
      return world.sim.process(
        (function* () {
          r.at('suspend-start');
          vm.suspend();
          const jobs: Event<unknown>[] = [r.clientA.submit<Transfer>(DEMAND, (d) => world.store(A, r.server, setup.image_bytes, r.opts.wbImage, d))];
          for (let k = 0; k < setup.suspend_dirty.length; k++) jobs.push(r.clientA.submit<Transfer>(DEMAND, r.storeChunkA));
          yield allOf(world.sim, jobs);
          vm.depart();
          r.at('suspend-done');
        })(),
      );
    },
    writeImageTo(name: string) {
      const dev = world.device(name);
      return world.sim.timeout(dev.writeSeconds(setup.image_bytes)).map(() => dev.add(IMAGE_CONTENT));
    },
    arrival() {
      const t = (r.state.times['suspend-start'] ?? world.now) + setup.travel_s;
      return world.sim.timeout(Math.max(0, t - world.now)).map(() => r.at('arrival'));
    },
    missingChunks() {
      const p = disk.presentAt(B);
      const out: number[] = [];
      for (let i = 0; i < disk.count; i++) if (p[i] === 0) out.push(i);
      return Uint32Array.from(out);
    },
    recentWrites() {
      const seen = new Set<number>();
      const out: number[] = [];
      // suspend_dirty is in write order (operation by operation): read it backwards.
      for (let k = setup.suspend_dirty.length - 1; k >= 0; k--) {
        const c = setup.suspend_dirty[k];
        if (!seen.has(c)) (seen.add(c), out.push(c));
      }
      return Uint32Array.from(out);
    },
  };
}

type ImageVerbs = Pick<IsrContext, 'imageAtResumeSite' | 'fetchImage' | 'readImageFrom' | 'launch'>;

/** The memory image at the resume site, and the launch that needs it. */
function imageVerbs(r: IsrRun): ImageVerbs {
  const { world, setup, vm, B, hostB } = r;
  return {
    imageAtResumeSite: () => r.imageAtB,
    fetchImage(priority = DEMAND) {
      const done = r.clientB.submit<Transfer>(priority, (d) => world.fetch(B, r.server, setup.image_bytes, r.opts.image, d));
      done.then(() => (r.imageAtB = true));
      return done;
    },
    readImageFrom(name: string) {
      const dev = world.device(name);
      if (!dev.holds(IMAGE_CONTENT)) throw new InputError(messages.emptyLookaside(name, 'the memory image'));
      const t = dev.readSeconds(setup.image_bytes) + hostB.cpuSeconds('hash', setup.image_bytes);
      return world.sim.timeout(t).map(() => {
        r.imageAtB = true;
        if (world.observe.active) world.observe.emit({ type: 'lookaside-hit', t: world.now, vm: vm.name, device: name, bytes: setup.image_bytes });
      });
    },
    launch() {
      return world.sim.process(
        (function* () {
          if (!r.imageAtB) throw new ModelError(messages.imageNotThere(vm.name, B));
          r.at('launch-start');
          yield hostB.cpuSeconds('decompress', setup.memory_bytes) + setup.vmm_resume_s;
          vm.resume(B);
          r.at('running');
        })(),
      );
    },
  };
}

type ChunkVerbs = Pick<IsrContext, 'fetchChunks' | 'serveMiss'>;

/** Chunks into the resume site's cache: fetched from the server, or read from a lookaside device. */
function chunkVerbs(r: IsrRun): ChunkVerbs {
  const { world, disk, B, clientB } = r;
  // The chunk is in the cache before anyone waiting on the fetch resumes (callbacks run in order).
  const fetchChunk = (c: number, priority: number): Event<unknown> => {
    const done = clientB.submit<Transfer>(priority, r.fetchChunkRun);
    done.then(() => disk.setPresent(B, c));
    return done;
  };
  const lookasideServe = lookaside(r);
  return {
    fetchChunks(units: UnitList, priority = DEMAND) {
      // In turn: each request is queued when the previous one ends, so other requests made
      // meanwhile interleave in FIFO order, and a 16k-chunk disk costs one pending request.
      // One callback for the whole list: the chunk that just arrived is always units[k - 1].
      const all = world.sim.event<unknown>();
      let k = 0;
      const next = (): void => {
        if (k === units.length) {
          all.succeed(undefined);
          return;
        }
        k++;
        clientB.submit<Transfer>(priority, r.fetchChunkRun).then(arrived);
      };
      // As fetchChunk does it: in the cache before anyone waiting on the fetch resumes.
      const arrived = (): void => {
        disk.setPresent(B, units[k - 1]);
        next();
      };
      next();
      return all;
    },
    serveMiss(c: number, devices: readonly string[], priority = DEMAND) {
      if (devices.length === 0) return fetchChunk(c, priority);
      return clientB.submit(priority, (done) =>
        world.sim.process(lookasideServe(c, devices)).then((p) => (p.error !== null ? done.fail(p.error) : done.succeed(undefined))),
      );
    },
  };
}

/**
 * A miss served through lookaside devices. One generator function per run, not one per miss: the
 * first generator of each new generator function builds its prototype, a slow runtime path.
 */
function lookaside(r: IsrRun): (c: number, devices: readonly string[]) => Generator<Yieldable, void, unknown> {
  const { world, setup, vm, disk, B, server, chunkWire } = r;
  // Fixed for the run: the path to the server (looked up at the first miss) and the time to verify a chunk.
  let serverLink: Link | null | undefined;
  const hashS = r.hostB.cpuSeconds('hash', disk.unitBytes);
  return function* (c: number, devices: readonly string[]): Generator<Yieldable, void, unknown> {
    // The content hash comes from the server (a bodiless round trip), then the devices.
    if (serverLink === undefined) serverLink = world.route(B, server.site);
    const link = serverLink;
    if (link !== null) yield link.sampleLatency() + link.sampleLatency();
    const content = disk.content[c];
    for (const name of devices) {
      if (name === setup.jukebox) {
        const jb = world.server(name);
        if (!holdsOnServer(world, name, content)) continue;
        yield world.fetch(B, jb, chunkWire, r.opts.jukebox);
      } else {
        const dev = world.device(name);
        if (!dev.holds(content)) continue;
        yield dev.readSeconds(chunkWire);
      }
      yield hashS;
      if (world.observe.active) world.observe.emit({ type: 'lookaside-hit', t: world.now, vm: vm.name, device: name, bytes: chunkWire });
      disk.setPresent(B, c);
      return;
    }
    yield world.fetch(B, server, chunkWire, r.opts.chunk);
    disk.setPresent(B, c);
  };
}

/** The benchmark at the resume site: every read the cache cannot serve calls `onMiss`. */
function* benchmark(r: IsrRun, onMiss: (unit: number, background: boolean) => Event<unknown>): Generator<Yieldable, void, any> {
  const { world, setup, disk, B, clientB, state } = r;
  r.at('run-start');
  const decoded = new Uint8Array(disk.count);
  const decodeS = r.hostB.cpuSeconds('decompress', disk.unitBytes);
  let opTime = 0;
  for (const op of setup.workload.ops) {
    yield op.think_s;
    const t0 = world.now;
    for (const c of op.reads) {
      if (!disk.isPresent(B, c)) {
        state.misses++;
        yield onMiss(c, false);
        if (!disk.isPresent(B, c)) throw new ModelError(messages.missNotServed(r.policyName, c, B));
      }
      if (decoded[c] === 0) {
        decoded[c] = 1;
        yield decodeS;
      }
    }
    yield op.compute_s;
    // Coda locks the volume while it ships a mutation to the server: a write waits for
    // the exchange in progress (reads of cached chunks do not).
    if (op.writes.length > 0 && clientB.busy) yield clientB.whenFree();
    for (const c of op.writes) {
      disk.write(c);
      clientB.submit<Transfer>(WRITEBACK, r.storeChunkB);
    }
    opTime += world.now - t0;
    for (const c of op.background) {
      if (!disk.isPresent(B, c)) {
        state.misses++;
        onMiss(c, true);
      }
    }
  }
  state.times.op_latency = opTime;
  r.at('run-end');
}

function holdsOnServer(world: World, name: string, content: number): boolean {
  // A jukebox holds the same content as its device record (registered under the same name).
  return world.devices.has(name) && world.device(name).holds(content);
}
