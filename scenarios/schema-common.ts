// Pieces of the scenario language shared by every scenario kind: links, hosts, a VM's memory,
// runaway limits and the fields every scenario has.
import { z } from 'zod';
import { bitRate, byteRate, bytes, duration, fraction, perSecond } from '../sim/fields.js';
import { parseNetem } from './netem.js';

const LinkFields = z.strictObject({
  bandwidth: bitRate('bandwidth of each direction'),
  latency: duration('one-way latency', { allowZero: true }).prefault('0ms'),
  jitter: duration('each transfer draws its latency from latency ± jitter', { allowZero: true }).prefault('0ms'),
  loss: fraction('packet loss probability (lost packets are resent)').prefault('0%'),
  packet_overhead: bytes('header bytes added to every packet', { allowZero: true }).prefault('0B'),
  mss: bytes('payload bytes per packet').prefault('1460B'),
  schedule: z
    .array(z.strictObject({ at: duration('time the step takes effect', { allowZero: true }), bandwidth: bitRate('bandwidth from then on') }))
    .default([])
    .describe('piecewise-constant bandwidth changes'),
});

const NetemLink = z
  .string()
  .transform((text, ctx) => {
    try {
      const n = parseNetem(text);
      if (n.bandwidth_bps === undefined) throw new Error(`netem spec "${text}" needs a rate`);
      return {
        bandwidth: n.bandwidth_bps,
        latency: n.latency_s ?? 0,
        jitter: n.jitter_s ?? 0,
        loss: n.loss ?? 0,
        packet_overhead: n.packet_overhead_bytes ?? 0,
        mss: 1460,
        schedule: [] as { at: number; bandwidth: number }[],
      };
    } catch (e) {
      ctx.issues.push({ code: 'custom', message: (e as Error).message, input: text });
      return z.NEVER;
    }
  })
  .describe('a netem-style string, e.g. "rate 10mbit delay 20ms jitter 2ms loss 0.1%"');

export const LinkSchema = z.union([NetemLink, LinkFields]);
export type LinkParams = z.output<typeof LinkSchema>;

export const HostSchema = z.strictObject({
  cores: z.number().int().min(1).default(1),
  compress: byteRate('compression throughput per core (input bytes)').prefault('40MB/s'),
  decompress: byteRate('decompression throughput per core (output bytes)').prefault('200MB/s'),
  hash: byteRate('hashing throughput per core').prefault('300MB/s'),
  disk_read: byteRate('local disk read throughput').prefault('60MB/s'),
  disk_write: byteRate('local disk write throughput').prefault('50MB/s'),
  cache: bytes('client cache capacity for disk chunks', { allowZero: true }).prefault('8GB'),
});
export type HostParams = z.output<typeof HostSchema>;

const WssGroup = z.strictObject({
  name: z.string(),
  size: bytes('memory covered by this group'),
  rate: perSecond('pages', 'page writes per second over the group (not distinct pages)'),
});

export const VmSchema = z
  .strictObject({
    name: z.string().prefault('vm'),
    memory: bytes('guest memory size'),
    page_size: bytes('memory page size').prefault('4KiB'),
    zero: fraction('share of memory pages that are all zeros').prefault('0%'),
    base: fraction('share of memory pages identical to the base image at the destination').prefault('0%'),
    duplicate: fraction('share of memory pages duplicating another page of the VM').prefault('0%'),
    compress_ratio: fraction('compressed size over original size of a non-zero page').prefault('100%'),
    working_set: z.array(WssGroup).default([]).describe('page groups written at given rates (hot, warm, ...)'),
  })
  .superRefine((vm, ctx) => {
    const ws = vm.working_set.reduce((s, g) => s + g.size, 0);
    if (ws > vm.memory) {
      ctx.issues.push({ code: 'custom', path: ['working_set'], input: vm.working_set, message: `the working set (${ws} bytes) is larger than memory (${vm.memory} bytes)` });
    }
    if (vm.zero + vm.base + vm.duplicate > 1) {
      ctx.issues.push({ code: 'custom', path: ['zero'], input: vm.zero, message: 'zero + base + duplicate shares exceed 100%' });
    }
  });
export type VmParams = z.output<typeof VmSchema>;

export const Limits = z
  .strictObject({
    max_events: z.number().int().min(1).default(50_000_000).describe('events processed before a run is stopped as a runaway'),
    max_time: duration('simulated time after which a run is stopped as a runaway').prefault('1000000s'),
  })
  .prefault({});

export const Common = {
  name: z.string().describe('short name used in outputs'),
  description: z.string().prefault(''),
  seed: z.union([z.number().int(), z.string()]).default(1).describe('base seed; each trial derives its own'),
  trials: z.number().int().min(1).default(1),
  policy: z.string().describe('registered policy name (see `vmsim policies`)'),
  options: z.record(z.string(), z.unknown()).default({}).describe("the policy's options (validated by the policy)"),
  limits: Limits,
};

