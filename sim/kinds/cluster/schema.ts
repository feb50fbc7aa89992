// The cluster part of the scenario language: hosts (templates with counts), the network joining them
// (a two-tier topology and/or explicit links through switches), VMs placed on hosts (a migrating VM's
// fields, templates with counts), background traffic, and one operation (explicit migrations, an
// evacuation of hosts, or a rebalancing to a target placement).
import { z } from 'zod';
import { bitRate, bytes, duration } from '../../fields.js';
import { Common, crossChecks } from '../../../scenarios/schema-common.js';
import { messages } from '../../errors.js';
import { MigratingVm, countedPatterns } from '../shared/vm-schema.js';
import { checkCluster } from './layout.js';

const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9._{}-]{0,63}$/;
const templateName = (what: string) =>
  z
    .string()
    .regex(TEMPLATE_NAME, 'expected a short name (letters, digits, ".", "_", "-"), where {i} stands for the index 0, 1, ... of a template with a count')
    .describe(what);
const count = z.number().int().min(1).max(1_000_000).optional().describe('how many of these: "{i}" in the name becomes 0, 1, ..., count-1');

const HostTemplate = z.strictObject({
  name: templateName('the host\'s name, or a template such as "h{i}" with count'),
  count,
  nic: bitRate('bandwidth of the host\'s link to its switch (each direction)').prefault('10Gbit/s'),
  memory: bytes('memory for VMs'),
});

const Topology = z
  .strictObject({
    kind: z.literal('two-tier').describe('racks of hosts (in host order) under top-of-rack switches tor0, tor1, ..., each ToR joined to one core switch'),
    hosts_per_rack: z.number().int().min(1).describe('hosts under each top-of-rack switch'),
    uplink: bitRate('bandwidth of each ToR-to-core link (each direction)'),
    latency: duration('one-way latency of each link (host-ToR and ToR-core)', { allowZero: true }).prefault('50us'),
  })
  .describe('a generated network: host h of rack r joins tor{r} over a link at its nic bandwidth');

const LinkSpec = z.strictObject({
  name: templateName('the link\'s name (default a-b)').optional(),
  a: z.string().describe('a host or switch'),
  b: z.string().describe('a host or switch'),
  bandwidth: bitRate('bandwidth (each direction)'),
  latency: duration('one-way latency', { allowZero: true }).prefault('0s'),
});

const Place = z
  .union([z.literal('round-robin'), z.strictObject({ host: z.string().describe('the host the VMs start on') })])
  .default('round-robin')
  .describe('where the VMs start: round-robin over the hosts in order (continuing across templates), or {host: NAME}');

const VmTemplate = MigratingVm.safeExtend({
  name: templateName('the VM\'s name, or a template such as "vm{i}" with count').prefault('vm'),
  count,
  place: Place,
  // Counted by default: a migration's cost does not grow with memory or write rate, so thousands of
  // VMs of many GiB migrate in seconds (agreement with pages: test/models/agreement.test.ts).
  model: z
    .enum(['pages', 'counted'])
    .default('counted')
    .describe("memory model while the VM migrates: 'counted' (the default: counts of pages per state and group; random and zipf groups; stop-and-copy, QEMU pre-copy and post-copy) or 'pages' (every page: sequential and trace groups, every migration policy)"),
}).superRefine(countedPatterns(messages.clusterCountedPattern, ['sequential', 'trace']));

const TraceStep = z.strictObject({ at: duration('time the rate takes effect', { allowZero: true }), rate: bitRate('offered rate from then on', { allowZero: true }) });

const Background = z.strictObject({
  from: z.string().describe('the sending host'),
  to: z.string().describe('the receiving host'),
  rate: bitRate('constant offered rate').optional(),
  trace: z.array(TraceStep).optional().describe('offered rate over time, (at, rate) steps, instead of rate'),
});

const MigrationSpec = z.strictObject({
  vm: z.string().describe('the VM to migrate'),
  to: z.string().describe('its destination host'),
  at: duration('the earliest time the migration may start', { allowZero: true }).prefault('0s'),
});

const Operation = z
  .strictObject({
    migrations: z.array(MigrationSpec).optional().describe('explicit migrations'),
    evacuate: z.array(z.string()).min(1).optional().describe('hosts to empty: each VM goes to the least-loaded other host (lowest share of its memory in use) with room, VMs in placement order'),
    rebalance: z
      .strictObject({ placement: z.record(z.string(), z.string()).describe('VM -> the host it should end on (VMs not listed stay)') })
      .optional()
      .describe('move VMs to a target placement, in an order that never puts a host over its memory'),
  })
  .describe('what to do: one of migrations, evacuate, rebalance');

const MigrationChoice = z
  .strictObject({
    policy: z.string().describe('a migration policy (vmsim policies: kind migration)'),
    options: z.record(z.string(), z.unknown()).default({}).describe("the migration policy's options"),
  })
  .prefault({ policy: 'precopy', options: { rules: 'qemu' } })
  .describe("the migration policy each migration runs, with its options (a scheduler's options.migration overrides it)");

const ClusterFields = z.strictObject({
  kind: z.literal('cluster'),
  ...Common,
  sample_interval: duration('least spacing of a link\'s rows in the utilisation time series (links.csv)').prefault('1s'),
  migration: MigrationChoice,
  hosts: z.array(HostTemplate).min(1).describe('the hosts: templates with counts, e.g. {name: "h{i}", count: 40, nic: 10Gbit/s, memory: 256GiB}'),
  topology: Topology.optional(),
  switches: z.array(z.string()).default([]).describe('names of switches that explicit links join'),
  links: z.array(LinkSpec).default([]).describe('explicit links between hosts and switches (beside or instead of a topology)'),
  vms: z.array(VmTemplate).min(1).describe('the VMs: templates with counts, e.g. {name: "vm{i}", count: 400, memory: 4GiB, place: round-robin}'),
  background: z.array(Background).default([]).describe('traffic between hosts that competes with migrations'),
  operation: Operation,
});

export const ClusterScenario = ClusterFields.superRefine(crossChecks(checkCluster));

export type ClusterScenarioT = z.output<typeof ClusterFields>;
export type HostTemplateT = z.output<typeof HostTemplate>;
export type VmTemplateT = z.output<typeof VmTemplate>;
