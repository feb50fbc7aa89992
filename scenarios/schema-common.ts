// Pieces of the scenario language shared by every scenario kind: links, hosts, a VM's memory,
// runaway limits and the fields every scenario has.
import { z } from 'zod';
import { bitRate, byteRate, bytes, duration, fraction, perSecond } from '../sim/fields.js';
import { parseNetem } from './netem.js';
import { InputError, messages } from '../sim/errors.js';

/** Short names of people, files, devices: they become folder names, CSV cells and column names. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const safeName = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `required: ${what}` : `expected ${what} as text, got ${JSON.stringify(iss.input)}`) })
    .regex(SAFE_NAME, `expected a short name: letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters (it names output folders, columns and CSV cells)`)
    .describe(what);

/**
 * Pages or chunks one store can hold: content ids below 2^30 name base-image units
 * (sim/world/memory.ts), so a store's units must number fewer than that.
 */
export const MAX_UNITS = 2 ** 30 - 1;

/** Trials of one run or sweep point: more is a typo (100000 for 10), and would hold every record in memory. */
export const MAX_TRIALS = 100_000;

/**
 * The one rule for a trial count, wherever it is given (a scenario's or sweep file's field, --trials,
 * the explorer's field, the API): a whole number from 1 to MAX_TRIALS. Each door words its message.
 */
export function isTrialCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_TRIALS;
}

/** A trial count typed as text (`--trials`, the explorer's field): digits only ("3.5", "1e3", "-1" are errors), then the rule. */
export function trialsFromText(text: string): number {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!isTrialCount(n)) throw new InputError(messages.badCliNumber('trials', t, `a whole number from 1 to ${MAX_TRIALS}`));
  return n;
}

/** Report a size that would need more units than the model holds, with the largest size accepted. */
export function checkUnits(
  issue: (path: PropertyKey[], input: unknown, message: string) => void,
  path: PropertyKey[],
  bytes: number,
  unitBytes: number,
  unit: string,
): boolean {
  const units = Math.ceil(bytes / unitBytes);
  if (units <= MAX_UNITS) return true;
  issue(path, bytes, `${bytes} bytes would be ${units} ${unit}s of ${unitBytes} bytes; the model holds at most ${MAX_UNITS} ${unit}s, so at most ${MAX_UNITS * unitBytes} bytes at this ${unit} size`);
  return false;
}

const LinkFields = z.strictObject({
  bandwidth: bitRate('bandwidth of each direction'),
  latency: duration('one-way latency', { allowZero: true }).prefault('0ms'),
  jitter: duration('each transfer draws its latency from latency ± jitter', { allowZero: true }).prefault('0ms'),
  loss: fraction('packet loss probability, below 100% (lost packets are resent)')
    .refine((v) => v < 1, 'a loss of 100% delivers nothing (every packet is resent forever); give less than 100%')
    .prefault('0%'),
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
  cores: z.number().int().min(1).max(1024, 'at most 1024 cores').default(1).describe('CPU cores (each a server of the handoff pipeline and decompression)'),
  compress: byteRate('compression throughput per core (input bytes)').prefault('40MB/s'),
  decompress: byteRate('decompression throughput per core (output bytes)').prefault('200MB/s'),
  hash: byteRate('hashing throughput per core').prefault('300MB/s'),
  disk_read: byteRate('local disk read throughput').prefault('60MB/s'),
  disk_write: byteRate('local disk write throughput').prefault('50MB/s'),
  cache: bytes('client cache capacity for disk chunks', { allowZero: true }).prefault('8GB'),
});
export type HostParams = z.output<typeof HostSchema>;

const RateStep = z.strictObject({
  at: duration('guest time the rate takes effect', { allowZero: true }),
  rate: perSecond('pages', 'page writes per second over the group from then on'),
});

const TraceWrite = z.strictObject({
  at: duration('guest time of the write', { allowZero: true }),
  page: z.number().int().min(0).describe('page number written (0 = first page of memory)'),
});

const WssGroup = z.strictObject({
  name: safeName('the group\'s name'),
  size: bytes('memory covered by this group').optional(),
  offset: bytes('where the group starts in guest memory (default: right after the previous group, the first at 0)', { allowZero: true }).optional(),
  rate: perSecond('pages', 'page writes per second over the group (not distinct pages)').optional(),
  pattern: z
    .enum(['random', 'sequential', 'zipf'])
    .optional()
    .describe('which pages the writes hit: random (uniform Poisson), sequential (one writer cycling through the group in address order), zipf (needs zipf); default zipf if zipf is given, else random'),
  cursor: bytes('sequential: where in the group (offset from its start) the writer is when the run starts', { allowZero: true }).optional(),
  zipf: z.number().positive().optional().describe('Zipf exponent s: the k-th page of the group gets a share k^-s of its writes (omit for uniform)'),
  schedule: z.array(RateStep).optional().describe('dirty-rate samples over (guest) time: the rate changes at each step'),
  writes: z.array(TraceWrite).optional().describe('a trace of (time, page) writes replayed as given, instead of size and rate'),
});

const ContentClassSchema = z.strictObject({
  name: safeName('the content class\'s name'),
  share: fraction('share of the non-zero pages in this class'),
  compress_ratio: fraction('compressed size over original size of a page of this class (reference compressor: gzip -6)'),
});

const DiskSchema = z.strictObject({
  size: bytes('virtual disk size'),
  block: bytes('disk block (chunk) size').prefault('4KiB'),
  modified: fraction('share of disk blocks that differ from the base disk image').prefault('0%'),
  zero: fraction('share of modified blocks that are all zeros').prefault('0%'),
  base: fraction('share of modified blocks identical to another block of the base disk image (a copied file)').prefault('0%'),
  duplicate: fraction('share of modified blocks duplicating another block of the VM').prefault('0%'),
});

const LayoutRegion = z.strictObject({
  offset: bytes('first byte of the region in guest memory', { allowZero: true }),
  size: bytes('length of the region'),
  content: z
    .enum(['zero', 'nonzero', 'base', 'base_disk'])
    .describe('what every page of the region holds: all zeros, content of its own, the base memory image page at the same address, or a block of the base disk image'),
});

const CONTENT_SHARES = ['zero', 'base', 'base_disk', 'duplicate'] as const;

export const VmSchema = z
  .strictObject({
    name: safeName('the VM\'s name').prefault('vm'),
    memory: bytes('guest memory size'),
    page_size: bytes('memory page size').prefault('4KiB'),
    zero: fraction('share of memory pages that are all zeros').prefault('0%'),
    base: fraction('share of memory pages identical to the base memory image at the destination').prefault('0%'),
    base_disk: fraction('share of memory pages identical to a block of the base disk image at the destination (page cache)').prefault('0%'),
    duplicate: fraction('share of memory pages duplicating another page of the VM').prefault('0%'),
    compress_ratio: fraction('compressed size over original size of a non-zero page (reference compressor: gzip -6)').prefault('100%'),
    classes: z.array(ContentClassSchema).default([]).describe('content classes with their own compressibility; the rest of the non-zero pages use compress_ratio'),
    write_delta: fraction("encoded size of a rewritten page's change against its previous content (XBZRLE), over the page size").prefault('100%'),
    base_delta: fraction('size of a delta (xdelta3) of a modified block against its base-image version, over the block size').prefault('100%'),
    disk: DiskSchema.optional().describe('virtual disk, for handoff: blocks that differ from a base disk image at the destination'),
    layout: z
      .array(LayoutRegion)
      .default([])
      .describe('content regions in address order (e.g. a kernel, free memory, firmware at the end); pages outside them follow the zero, base, base_disk and duplicate shares'),
    working_set: z.array(WssGroup).default([]).describe('page groups written at given rates and access patterns (hot, warm, ...), or write traces'),
  })
  .superRefine((vm, ctx) => {
    const issue = (path: PropertyKey[], input: unknown, message: string) => ctx.issues.push({ code: 'custom', path, input, message });
    if (!checkUnits(issue, ['memory'], vm.memory, vm.page_size, 'page')) return;
    if (vm.disk !== undefined && !checkUnits(issue, ['disk', 'size'], vm.disk.size, vm.disk.block, 'block')) return;
    const pages = Math.ceil(vm.memory / vm.page_size);
    let ws = 0;
    const aligned = (path: PropertyKey[], value: number): void => {
      if (value % vm.page_size !== 0) issue(path, value, `${value} bytes is not a whole number of ${vm.page_size}-byte pages`);
    };
    let end = 0;
    vm.layout.forEach((r, k) => {
      aligned(['layout', k, 'offset'], r.offset);
      aligned(['layout', k, 'size'], r.size);
      if (r.offset < end) issue(['layout', k, 'offset'], r.offset, `regions must be in address order without overlap: this one starts before the previous one ends (${end} bytes)`);
      if (r.offset + r.size > vm.memory) issue(['layout', k, 'size'], r.size, `the region ends at ${r.offset + r.size} bytes, beyond memory (${vm.memory} bytes)`);
      end = r.offset + r.size;
    });
    const placed: Array<{ k: number; from: number; to: number }> = [];
    const explicit = vm.working_set.some((g) => g.offset !== undefined);
    let next = 0;
    vm.working_set.forEach((g, k) => {
      if (g.writes !== undefined) {
        for (const f of ['size', 'rate', 'zipf', 'schedule', 'offset', 'pattern', 'cursor'] as const) {
          if (g[f] !== undefined) issue(['working_set', k, f], g[f], `a trace group (with writes) takes no ${f}`);
        }
        let last = -Infinity;
        g.writes.forEach((w, j) => {
          if (w.at < last) issue(['working_set', k, 'writes', j, 'at'], w.at, `times go backwards: ${w.at} s comes after ${last} s`);
          if (w.page >= pages) issue(['working_set', k, 'writes', j, 'page'], w.page, `page ${w.page} is beyond memory (${pages} pages)`);
          last = Math.max(last, w.at);
        });
        return;
      }
      if (g.size === undefined) issue(['working_set', k, 'size'], undefined, 'required: the memory this group covers, e.g. "64MiB" (or give writes for a trace group)');
      if (g.rate === undefined) issue(['working_set', k, 'rate'], undefined, 'required: page writes per second, e.g. "5000 pages/s"');
      ws += g.size ?? 0;
      const pattern = g.pattern ?? (g.zipf !== undefined ? 'zipf' : 'random');
      if (pattern === 'zipf' && g.zipf === undefined) issue(['working_set', k, 'zipf'], undefined, 'required with pattern zipf: the exponent s, e.g. 1.0');
      if (pattern !== 'zipf' && g.zipf !== undefined) issue(['working_set', k, 'zipf'], g.zipf, `a ${pattern} group takes no zipf exponent`);
      if (pattern !== 'sequential' && g.cursor !== undefined) issue(['working_set', k, 'cursor'], g.cursor, `only a sequential group has a cursor (this one is ${pattern})`);
      if (g.cursor !== undefined && g.size !== undefined && g.cursor >= g.size) issue(['working_set', k, 'cursor'], g.cursor, `the cursor must lie inside the group (below ${g.size} bytes)`);
      if (g.offset !== undefined) aligned(['working_set', k, 'offset'], g.offset);
      const from = g.offset ?? next;
      const to = from + (g.size ?? 0);
      next = to;
      // Without offsets groups follow one another and the whole-set check below says it better.
      if (explicit && g.size !== undefined && to > vm.memory) issue(['working_set', k, g.offset === undefined ? 'size' : 'offset'], g.offset ?? g.size, `the group ends at ${to} bytes, beyond memory (${vm.memory} bytes)`);
      const clash = placed.find((p) => from < p.to && p.from < to);
      if (clash !== undefined) issue(['working_set', k, 'offset'], g.offset, `overlaps group ${clash.k} (${vm.working_set[clash.k].name})`);
      placed.push({ k, from, to });
      let last = -Infinity;
      (g.schedule ?? []).forEach((step, j) => {
        if (step.at <= last) issue(['working_set', k, 'schedule', j, 'at'], step.at, `times go backwards: ${step.at} s does not come after ${last} s`);
        last = Math.max(last, step.at);
      });
    });
    if (ws > vm.memory) {
      issue(['working_set'], vm.working_set, `the working set (${ws} bytes) is larger than memory (${vm.memory} bytes)`);
    }
    if (CONTENT_SHARES.reduce((sum, f) => sum + vm[f], 0) > 1 + 1e-12) {
      issue(['zero'], vm.zero, 'zero + base + base_disk + duplicate shares exceed 100%');
    }
    if (vm.classes.reduce((s, c) => s + c.share, 0) > 1 + 1e-12) issue(['classes'], vm.classes, 'class shares exceed 100%');
    if (vm.classes.length > 254) issue(['classes'], vm.classes, 'at most 254 content classes');
    const d = vm.disk;
    if (d !== undefined && d.zero + d.base + d.duplicate > 1 + 1e-12) issue(['disk', 'zero'], d.zero, 'zero + base + duplicate shares exceed 100%');
  });
export type VmParams = z.output<typeof VmSchema>;

export const Limits = z
  .strictObject({
    max_events: z.number().int().min(1).default(50_000_000).describe('events processed before a run is stopped as a runaway (exit 4)'),
    max_time: duration('simulated time after which a run is stopped as a runaway (exit 4)').prefault('1000000s'),
    max_wall: duration('wall-clock time one run may take before it is stopped (exit 4); no shipped scenario takes a second').prefault('30s'),
    max_memory: bytes('model state a run may hold (pages, chunks, clones, traces), estimated before it starts; more is refused (exit 4)').prefault('2GiB'),
  })
  .prefault({})
  .describe('runaway guards: a run that would exceed one stops with exit code 4 and says which');

/** A named policy with its options: what experiments compare (`--set variant=a,b,c`). */
export const VariantSchema = z.strictObject({
  policy: z.string().describe('registered policy name (see `vmsim policies`) or a policy file (./my-policy.js)'),
  options: z.record(z.string(), z.unknown()).default({}).describe("the policy's options (validated by the policy)"),
  description: z.string().optional().describe('what this variant stands for (shown in reports)'),
});

export const Common = {
  name: safeName('short name used in outputs (the default output folder is out/NAME)'),
  description: z.string().prefault(''),
  seed: z.union([z.number().int(), z.string()]).default(1).describe('base seed; each trial derives its own'),
  trials: z.number().int().min(1).max(MAX_TRIALS, `at most ${MAX_TRIALS} trials`).default(1).describe('seeded trials of the run'),
  policy: z.string().describe('registered policy name (see `vmsim policies`) or a policy file (./my-policy.js)'),
  options: z.record(z.string(), z.unknown()).default({}).describe("the policy's options (validated by the policy)"),
  variants: z
    .record(safeName('a variant name'), VariantSchema)
    .optional()
    .describe('named policies with their options, e.g. precopy-50ms: {policy: precopy, options: {downtime_limit: 50ms}}; run one with --set variant=NAME, compare several with --set variant=A,B in a sweep'),
  variant: safeName('a name declared in `variants`').optional().describe('the variant to run instead of policy and options (a sweep axis: --set variant=A,B,C)'),
  limits: Limits,
};

/** Where a kind's cross-field check reports a problem: the field's path, its value, what is wrong. */
export type IssueAt = (path: PropertyKey[], input: unknown, message: string) => void;

/** A kind's cross-field checks as a zod refinement: each problem an issue at its field. */
export function crossChecks<S>(check: (s: S, issue: IssueAt) => void): (s: S, ctx: z.RefinementCtx<S>) => void {
  return (s, ctx) => check(s, (path, input, message) => ctx.issues.push({ code: 'custom', path, input, message }));
}
