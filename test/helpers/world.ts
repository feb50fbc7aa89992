// Tiny fixture builders: a two-site world joined by one link, with defaults that tests override.
import { World, LINK_DEFAULTS, type LinkSpec, type HostSpec } from '../../sim/world/index.js';

export function host(name: string, over: Partial<HostSpec> = {}): HostSpec {
  return {
    name,
    cores: 1,
    compress_Bps: 50e6,
    decompress_Bps: 200e6,
    hash_Bps: 300e6,
    disk_read_Bps: 100e6,
    disk_write_Bps: 80e6,
    cache_bytes: 8e9,
    ...over,
  };
}

export function twoSites(link: Partial<LinkSpec> = {}, seed: number | string = 1): World {
  const w = new World(seed);
  w.addHost(host('A'));
  w.addHost(host('B'));
  w.addLink({ name: 'ab', a: 'A', b: 'B', bandwidth_bps: 8e6, latency_s: 0.01, schedule: [], ...LINK_DEFAULTS, ...link });
  return w;
}
