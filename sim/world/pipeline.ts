// The VM-handoff pipeline (Ha et al., "You can teach elephants to dance: agile VM handoff for edge
// computing", SEC 2017): blocks of the VM's memory and disk go through
//   1. dedup: a block that is all zeros, identical to a block of the base memory or base disk image
//      already at the destination, or identical to a block already sent, travels as a reference;
//   2. delta: each remaining block is encoded against its base-image version (xdelta3), leaving
//      `base_delta` of its size (a content property), when a delta stage is configured;
//   3. compression at a chosen mode (algorithm and level).
// Each stage costs CPU per byte on the sender's cores; the pipeline reports the bytes before and after
// each stage as a world event, and what the batch costs in CPU seconds and output bytes (whole bytes).
//
// Compressibility: a content class's compress_ratio is its ratio under a reference compressor, whose
// ratio on a reference corpus is `reference_ratio`. A mode of ratio r on that corpus is taken to
// scale log-ratios in proportion, so a block of class c leaves c.compress_ratio ^ (ln r / ln ref) of its
// size: exactly r for corpus-like content, 1 for incompressible content, never above 1.
import type { Simulator } from '../engine/index.js';
import { BASE_DISK_BASE, UNIQUE_BASE, type PageStore, type UnitList } from './memory.js';
import { IdSet } from './id-set.js';
import type { Observer } from './observe.js';
import type { Bytes, BytesPerSecond, Seconds } from './units.js';

export interface CompressionMode {
  name: string;
  /** Input bytes per second per core; Infinity when the mode costs no CPU. */
  speed_Bps: BytesPerSecond;
  /** Compressed over original size on the reference corpus. */
  ratio: number;
}

export interface PipelineSpec {
  vm: string;
  /** Ratio of the reference compressor on the reference corpus (classes' compress_ratio use it). */
  reference_ratio: number;
  /** Hashing for dedup, input bytes per second per core. */
  hash_Bps: BytesPerSecond;
  /** xdelta3 against the base, input bytes per second per core; null for no delta stage. */
  delta_Bps: BytesPerSecond | null;
  /** Size of a kept block's delta against its base version, over the block size. */
  base_delta: number;
  /** Wire bytes of a reference to a block found elsewhere. */
  reference_bytes: Bytes;
  cores: number;
}

/** What a list of blocks would cost before choosing a mode. */
export interface Profile {
  blocks: number;
  input_bytes: Bytes;
  refs: number;
  /** Bytes entering compression, per content class. */
  class_bytes: Float64Array;
}

export interface Batch {
  store: PageStore;
  units: UnitList;
  mode: number;
  input_bytes: Bytes;
  output_bytes: Bytes;
  cpu_s: Seconds;
}

const KIND_ZERO = 0;
const KIND_BASE_MEMORY = 1;
const KIND_BASE_DISK = 2;
const KIND_SELF = 3;
const KIND_KEPT = 4;

export class Pipeline {
  private readonly sent = new IdSet();

  constructor(
    private readonly sim: Simulator,
    private readonly observe: Observer,
    readonly spec: PipelineSpec,
    readonly modes: readonly CompressionMode[],
  ) {}

  /** Output over compression input for a block of ratio `compressRatio` at mode m. */
  modeRatio(m: number, compressRatio: number): number {
    return Math.pow(compressRatio, Math.log(this.modes[m].ratio) / Math.log(this.spec.reference_ratio));
  }

  /** Classify without side effects (duplicates within the list itself are not looked for). */
  profile(store: PageStore, units: UnitList): Profile {
    const p: Profile = { blocks: units.length, input_bytes: units.length * store.unitBytes, refs: 0, class_bytes: new Float64Array(store.classes.length) };
    const kept = this.keptBytes(store);
    for (let k = 0; k < units.length; k++) {
      const u = units[k];
      const id = store.content[u];
      if (id < UNIQUE_BASE || this.sent.has(id)) p.refs++;
      else p.class_bytes[store.klass[u]] += kept;
    }
    return p;
  }

  /** CPU seconds (on all cores) and output bytes of a profile at mode m. */
  cost(p: Profile, store: PageStore, m: number): { cpu_s: Seconds; output_bytes: Bytes } {
    let out = p.refs * this.spec.reference_bytes;
    let compressIn = 0;
    for (let c = 0; c < p.class_bytes.length; c++) {
      out += p.class_bytes[c] * this.modeRatio(m, store.classes[c].compress_ratio);
      compressIn += p.class_bytes[c];
    }
    const keptBlocks = p.blocks - p.refs;
    return { cpu_s: this.cpuSeconds(p.input_bytes, keptBlocks * store.unitBytes, compressIn, m), output_bytes: out };
  }

  /** Run blocks through the pipeline at mode m: later batches dedup against these. */
  process(store: PageStore, units: UnitList, m: number): Batch {
    const counts = [0, 0, 0, 0, 0];
    const kept = this.keptBytes(store);
    let out = 0;
    let compressIn = 0;
    const ratios = store.classes.map((c) => this.modeRatio(m, c.compress_ratio));
    for (let k = 0; k < units.length; k++) {
      const u = units[k];
      const kind = this.classify(store.content[u]);
      counts[kind]++;
      if (kind === KIND_KEPT) {
        compressIn += kept;
        out += kept * ratios[store.klass[u]];
      } else out += this.spec.reference_bytes;
    }
    const input = units.length * store.unitBytes;
    const keptIn = counts[KIND_KEPT] * store.unitBytes;
    const cpu_s = this.cpuSeconds(input, keptIn, compressIn, m);
    if (this.observe.active) {
      this.observe.emit({
        type: 'pipeline', t: this.sim.now, vm: this.spec.vm, store: store.name, mode: this.modes[m].name, blocks: units.length, input_bytes: input,
        zero: counts[KIND_ZERO], base_memory: counts[KIND_BASE_MEMORY], base_disk: counts[KIND_BASE_DISK], self: counts[KIND_SELF],
        dedup_bytes: keptIn, delta_bytes: compressIn, output_bytes: Math.ceil(out), cpu_s,
      });
    }
    return { store, units, mode: m, input_bytes: input, output_bytes: Math.ceil(out), cpu_s };
  }

  private classify(id: number): number {
    if (id === 0) return KIND_ZERO;
    if (id < BASE_DISK_BASE) return KIND_BASE_MEMORY;
    if (id < UNIQUE_BASE) return KIND_BASE_DISK;
    return this.sent.add(id) ? KIND_KEPT : KIND_SELF;
  }

  private keptBytes(store: PageStore): Bytes {
    return this.spec.delta_Bps === null ? store.unitBytes : store.unitBytes * this.spec.base_delta;
  }

  private cpuSeconds(input: Bytes, keptIn: Bytes, compressIn: Bytes, m: number): Seconds {
    const s = this.spec;
    let t = input / s.hash_Bps;
    if (s.delta_Bps !== null) t += keptIn / s.delta_Bps;
    const speed = this.modes[m].speed_Bps;
    if (speed !== Infinity) t += compressIn / speed;
    return t / s.cores;
  }
}
