// Spec builders shared by every scenario kind: scenario fields (base units) -> world specs.
import { LINK_DEFAULTS, type HostSpec, type World } from '../../world/index.js';
import type { HostParams, LinkParams } from '../../../scenarios/schema-common.js';

export function hostSpec(name: string, h: HostParams): HostSpec {
  return {
    name,
    cores: h.cores,
    compress_Bps: h.compress,
    decompress_Bps: h.decompress,
    hash_Bps: h.hash,
    disk_read_Bps: h.disk_read,
    disk_write_Bps: h.disk_write,
    cache_bytes: h.cache,
  };
}

export function addLink(world: World, name: string, a: string, b: string, l: LinkParams): void {
  world.addLink({
    name,
    a,
    b,
    bandwidth_bps: l.bandwidth,
    latency_s: l.latency,
    jitter_s: l.jitter,
    loss: l.loss,
    packet_overhead_bytes: l.packet_overhead,
    mss_bytes: l.mss ?? LINK_DEFAULTS.mss_bytes,
    schedule: l.schedule.map((s) => ({ at_s: s.at, bandwidth_bps: s.bandwidth })),
  });
}


/** The engine's runaway guards from a scenario's `limits`. */
export function engineLimits(l: { max_events: number; max_time: number; max_wall: number }): { maxEvents: number; maxTime: number; maxWall: number } {
  return { maxEvents: l.max_events, maxTime: l.max_time, maxWall: l.max_wall };
}
