// The ISR part of the scenario language: the testbed (client hosts, storage server, lookaside
// devices, links), the VM's state, the benchmark and the lifecycle. Every quantity carries a unit.
import { z } from 'zod';
import { bitRate, byteRate, bytes, duration, fraction } from '../../fields.js';
import { Common, HostSchema, LinkSchema, checkUnits, safeName, crossChecks, type IssueAt } from '../../../scenarios/schema-common.js';

const Server = z.strictObject({
  request_overhead: duration('server time spent on each file request (per chunk fetched or stored)', { allowZero: true }),
  throughput: byteRate('data rate the file system can serve, whatever the network'),
});

const Protocol = z
  .strictObject({
    window: bytes('bytes the bulk-transfer protocol puts in flight per window'),
    rto: duration('retransmission timeout'),
  })
  .describe("the file system's bulk-transfer protocol (Coda's SFTP in the prototype)");

const Device = z.strictObject({
  read: byteRate('read throughput'),
  write: byteRate('write throughput (0B/s for read-only media)', { allowZero: true }).prefault('0B/s'),
  access: duration('fixed cost per read (seek, USB transaction)', { allowZero: true }).prefault('0ms'),
});

const Jukebox = z.strictObject({
  link: LinkSchema.describe('the LAN between the resume site and the jukebox'),
  request_overhead: duration('jukebox time per request', { allowZero: true }).prefault('0ms'),
  throughput: byteRate('jukebox serving rate'),
});

const Workload = z.strictObject({
  operations: z.number().int().min(1).max(1_000_000, 'at most 1000000 operations').describe('timed operations in the benchmark'),
  applications: z.number().int().min(1).max(10_000, 'at most 10000 applications').prefault(5).describe('applications the operations are spread over (at most one per operation)'),
  quick_share: fraction('share of quick-response operations (short think time)'),
  think: duration('think time before a typical operation', { allowZero: true }),
  quick_think: duration('think time before a quick-response operation', { allowZero: true }),
  local_duration: duration('benchmark time with every chunk local and no ISR machinery (T_noisr)'),
  footprint: bytes('distinct disk data the benchmark reads'),
  background_share: fraction('share of first reads issued in the background during think time'),
  launch_share: fraction("share of an application's data its first operation reads").prefault('40%'),
  written: bytes('distinct disk data the benchmark writes (a subset of what it reads)', { allowZero: true }),
  base_share: fraction('share of the data read that still holds the base install (on the DVD)'),
  suspend_at: fraction('share of the benchmark run at the suspend site when the user suspends: the chunks written by then, with the memory image, are the dirty state written back at suspend'),
});

export const IsrSection = {
  link: LinkSchema.describe('network between each client site and the storage server (NISTNet in the prototype)'),
  client: HostSchema.prefault({}),
  server: Server,
  protocol: Protocol,
  vm: z.strictObject({
    name: safeName('the VM\'s name').prefault('vm'),
    memory: bytes('guest memory size'),
    image: bytes('compressed memory image written at suspend'),
    disk: bytes('virtual disk size'),
    chunk: bytes('disk chunk size (one file each on the server)').prefault('256KiB'),
    chunk_wire_ratio: fraction('bytes on the wire per chunk over its size (chunks travel compressed)').prefault('100%'),
    vmm_resume: duration('time the VMM takes to resume once the memory image is decompressed', { allowZero: true }),
  }),
  workload: Workload,
  travel: duration('time between suspending and arriving at the resume site', { allowZero: true }),
  resume_cache: z.enum(['cold', 'warm']).prefault('cold').describe("'warm': the resume site's cache tracked the suspend site"),
  devices: z
    .strictObject({
      dongle: Device.optional().describe('USB flash dongle the user carries (written at suspend)'),
      dvd: Device.optional().describe('read-only DVD with the base install, at the resume site'),
      jukebox: Jukebox.optional().describe('LAN content-addressable server with the same content as the DVD'),
    })
    .prefault({}),
  reproduce: z
    .strictObject({
      policies: z.array(z.string()).min(1).describe('policies `vmsim reproduce` runs'),
      bandwidths: z.array(bitRate('link bandwidth')).min(1).describe('link bandwidths `vmsim reproduce` runs'),
      reference: z.string().describe('reference data to compare against: a relative path (no "..") to a JSON file beside the scenario, or in vmsim\'s scenarios/reference/'),
    })
    .optional()
    .describe('the published experiment this scenario reproduces'),
};

type IsrFields = {
  client: { cache: number };
  vm: { memory: number; image: number; disk: number; chunk: number };
  workload: { operations: number; applications: number; quick_share: number; think: number; quick_think: number; local_duration: number; footprint: number; written: number };
};

/** Checks across fields, made at validation so a sweep finds them before its first run. */
export function checkIsr(s: IsrFields, issue: IssueAt): void {
  const { vm, workload: w } = s;
  if (!checkUnits(issue, ['vm', 'disk'], vm.disk, vm.chunk, 'chunk') || !checkUnits(issue, ['vm', 'memory'], vm.memory, 4096, 'page')) return;
  if (vm.image > vm.memory) issue(['vm', 'image'], vm.image, `the compressed memory image (${vm.image} bytes) is larger than memory (vm.memory, ${vm.memory} bytes)`);
  if (s.client.cache < vm.disk + vm.image) {
    issue(['client', 'cache'], s.client.cache, `the client cache (${s.client.cache} bytes) must hold the whole disk and memory image (vm.disk + vm.image = ${vm.disk + vm.image} bytes); cache eviction is not modelled`);
  }
  const chunks = Math.ceil(vm.disk / vm.chunk);
  const footprint = Math.round(w.footprint / vm.chunk);
  const written = Math.round(w.written / vm.chunk);
  if (footprint > chunks) issue(['workload', 'footprint'], w.footprint, `the benchmark reads ${footprint} chunks of ${vm.chunk} bytes but the disk (vm.disk) has only ${chunks}`);
  else if (written > footprint) issue(['workload', 'written'], w.written, `the benchmark writes ${written} chunks but reads only ${footprint} (workload.footprint); writes go to chunks it has read`);
  if (s.workload.applications > w.operations) issue(['workload', 'applications'], s.workload.applications, `${s.workload.applications} applications for ${w.operations} operations: each application needs an operation (at most workload.operations)`);
  const think = w.operations * (w.quick_share * w.quick_think + (1 - w.quick_share) * w.think);
  if (think >= w.local_duration) {
    issue(['workload', 'local_duration'], w.local_duration, `${w.operations} operations think for ${think} s on average (workload.think, quick_think, quick_share), which leaves no compute time within the local duration (${w.local_duration} s)`);
  }
}

export const IsrScenario = z
  .strictObject({
    kind: z.literal('isr'),
    ...Common,
    ...IsrSection,
  })
  .superRefine(crossChecks(checkIsr));

export type IsrScenarioT = z.output<typeof IsrScenario>;
