// A storage server holding VM state (the ISR prototype used a Coda file server). Every request pays
// a fixed service overhead; data leaves through a throughput limit shared by all its transfers, so
// on a fast network the server, not the link, can be the bottleneck.
import { Resource } from './network.js';
import type { BytesPerSecond, Seconds } from './units.js';

export interface StorageSpec {
  name: string;
  /** The site (host name) the server sits at. */
  site: string;
  request_overhead_s: Seconds;
  throughput_Bps: BytesPerSecond;
}

export class StorageServer {
  readonly throughput: Resource;
  constructor(readonly spec: StorageSpec) {
    this.throughput = new Resource(`${spec.name}:throughput`, spec.throughput_Bps);
  }
  get name(): string {
    return this.spec.name;
  }
  get site(): string {
    return this.spec.site;
  }
}
