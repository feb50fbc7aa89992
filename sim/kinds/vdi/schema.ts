// The EdgeVDI part of the scenario language: a desktop VM following its user through a sequence of
// cloudlets. Cloudlets sit on a WAN (each with its access bandwidth and one-way latency to the WAN
// core); the user reaches the cloudlet it is attached to over a LAN; a mobility trace says when the
// user arrives in each cloudlet's coverage; the user interacts with the VM all along.
import { z } from 'zod';
import { bitRate, bytes, duration } from '../../fields.js';
import { Common, HostSchema, LinkSchema, safeName, crossChecks, type IssueAt } from '../../../scenarios/schema-common.js';
import { MigratingVm } from '../shared/vm-schema.js';

const Cloudlet = z.strictObject({
  name: safeName('the cloudlet\'s name'),
  wan: z.strictObject({
    bandwidth: bitRate("the cloudlet's WAN access bandwidth (a transfer between two cloudlets runs at the smaller of theirs)"),
    latency: duration('one-way latency from the cloudlet to the WAN core (RTT between two cloudlets = 2 x the sum of theirs)', { allowZero: true }),
  }),
});

const Arrival = z.strictObject({
  at: duration("time the user enters the cloudlet's coverage", { allowZero: true }),
  cloudlet: z.string().describe('a cloudlet named in `cloudlets`'),
});

export const VdiSection = {
  cloudlets: z.array(Cloudlet).min(1).describe('the cloudlets the user may pass'),
  cloudlet: HostSchema.prefault({}).describe('hardware of every cloudlet'),
  link: LinkSchema.describe("link between the user's device and the cloudlet it is attached to"),
  trace: z.array(Arrival).min(1).describe('mobility trace: arrivals in time order; the VM starts at the first cloudlet'),
  vm: MigratingVm,
  interaction: z
    .strictObject({
      interval: duration('think time between the end of one interaction and the next request'),
      service: duration('time the VM takes to serve an interaction', { allowZero: true }),
      request: bytes('request bytes (input events)', { allowZero: true }).prefault('1KiB'),
      response: bytes('response bytes (a screen update)', { allowZero: true }).prefault('16KiB'),
      threshold: duration('interaction latency above which an interaction counts as slow (share_over_threshold)').prefault('100ms'),
    })
    .describe("the user's interactions with the desktop, a closed loop"),
  launch: duration('VMM time to start the VM from an image that has arrived (strategy vdi-launch)', { allowZero: true }).prefault('0ms'),
  duration: duration('length of the session from t = 0'),
};

type VdiFields = { cloudlets: Array<{ name: string }>; trace: Array<{ at: number; cloudlet: string }>; duration: number };

/** Names are unique; the trace names known cloudlets and goes forward in time within the session. */
export function checkVdi(s: VdiFields, issue: IssueAt): void {
  const names = new Set<string>();
  s.cloudlets.forEach((c, k) => {
    if (names.has(c.name)) issue(['cloudlets', k, 'name'], c.name, `cloudlet "${c.name}" is named twice`);
    names.add(c.name);
  });
  let last = -Infinity;
  s.trace.forEach((a, k) => {
    if (!names.has(a.cloudlet)) issue(['trace', k, 'cloudlet'], a.cloudlet, `unknown cloudlet "${a.cloudlet}"; known: ${[...names].join(', ')}`);
    if (a.at <= last) issue(['trace', k, 'at'], a.at, `times go backwards: ${a.at} s does not come after ${last} s`);
    if (a.at >= s.duration) issue(['trace', k, 'at'], a.at, `arrival at ${a.at} s is not within the session (duration ${s.duration} s)`);
    last = Math.max(last, a.at);
  });
}

export const VdiScenario = z
  .strictObject({
    kind: z.literal('vdi'),
    ...Common,
    ...VdiSection,
  })
  .superRefine(crossChecks(checkVdi));

export type VdiScenarioT = z.output<typeof VdiScenario>;
