// A host: CPU rates for the byte-crunching steps of state transfer, disk rates, and a client cache.
// CPU and disk work is modelled as time proportional to bytes; contention between concurrent CPU
// jobs on one host is not modelled (policies here run one pipeline per host at a time).
import type { Bytes, BytesPerSecond, Seconds } from './units.js';

export interface HostSpec {
  name: string;
  cores: number;
  /** Per-core throughputs of CPU work, in bytes of input per second. */
  compress_Bps: BytesPerSecond;
  decompress_Bps: BytesPerSecond;
  hash_Bps: BytesPerSecond;
  disk_read_Bps: BytesPerSecond;
  disk_write_Bps: BytesPerSecond;
  /** Client cache capacity for VM disk chunks. */
  cache_bytes: Bytes;
}

export type CpuOp = 'compress' | 'decompress' | 'hash';
export type DiskOp = 'read' | 'write';

export class Host {
  constructor(readonly spec: HostSpec) {}

  get name(): string {
    return this.spec.name;
  }

  /** Seconds of CPU to process `bytes` with `op`, spread over `cores` (default one). */
  cpuSeconds(op: CpuOp, bytes: Bytes, cores = 1): Seconds {
    const rate = op === 'compress' ? this.spec.compress_Bps : op === 'decompress' ? this.spec.decompress_Bps : this.spec.hash_Bps;
    return bytes / (rate * Math.min(cores, this.spec.cores));
  }

  diskSeconds(op: DiskOp, bytes: Bytes): Seconds {
    return bytes / (op === 'read' ? this.spec.disk_read_Bps : this.spec.disk_write_Bps);
  }
}
