// The VM-synthesis part of the scenario language (Satyanarayanan et al., "The Case for VM-based
// Cloudlets", IEEE Pervasive Computing 2009; Wolbach et al., "Transient Customization of Mobile
// Computing Infrastructure" (Kimberley), MobiVirt 2008): a cloudlet holding a base VM, a mobile
// device holding an overlay, the link between them. Every quantity carries a unit.
import { z } from 'zod';
import { bytes, duration, fraction } from '../../fields.js';
import { Common, HostSchema, LinkSchema, crossChecks, type IssueAt } from '../../../scenarios/schema-common.js';

export const SynthesisSection = {
  link: LinkSchema.describe('wireless/access link between the mobile device and the cloudlet'),
  cloudlet: HostSchema.prefault({}).describe('the cloudlet: decompress (per core, output bytes), disk_write (applying the overlay), disk_read (reading the memory image at resume)'),
  vm: z.strictObject({
    disk: bytes('disk image of the base VM held by the cloudlet'),
    memory: bytes('memory image of the base VM held by the cloudlet (read from disk at resume)'),
  }).describe('the base VM the cloudlet holds'),
  overlay: z.strictObject({
    size: bytes('compressed overlay (binary delta of disk and memory against the base) that crosses the link'),
    compress_ratio: fraction('compressed over decompressed size of the overlay'),
    memory_share: fraction('share of the decompressed overlay that is the memory delta (the rest is disk)').prefault('50%'),
  }),
  vmm_resume: duration('fixed time the VMM takes to start the VM once its memory image is read', { allowZero: true }).prefault('0ms'),
};

type SynthesisFields = { vm: { disk: number; memory: number }; overlay: { size: number; compress_ratio: number; memory_share: number } };

/** An overlay is a delta against the base VM: it cannot be larger than the VM it customises. */
export function checkOverlay(s: SynthesisFields, issue: IssueAt): void {
  const { vm: base, overlay } = s;
  const vm = base.disk + base.memory;
  const raw = overlay.size / overlay.compress_ratio;
  if (overlay.size > vm) issue(['overlay', 'size'], overlay.size, `the overlay (${overlay.size} bytes) is larger than the VM it customises (disk + memory = ${vm} bytes)`);
  else if (raw > vm) issue(['overlay', 'size'], overlay.size, `the overlay decompresses to ${Math.round(raw)} bytes (size / compress_ratio), more than the VM it customises (disk + memory = ${vm} bytes)`);
  else {
    if (raw * overlay.memory_share > base.memory) issue(['overlay', 'memory_share'], overlay.memory_share, `the memory delta (${Math.round(raw * overlay.memory_share)} bytes) is larger than the base memory (${base.memory} bytes)`);
    if (raw * (1 - overlay.memory_share) > base.disk) issue(['overlay', 'memory_share'], overlay.memory_share, `the disk delta (${Math.round(raw * (1 - overlay.memory_share))} bytes) is larger than the base disk (${base.disk} bytes)`);
  }
}

export const SynthesisScenario = z
  .strictObject({
    kind: z.literal('synthesis'),
    ...Common,
    ...SynthesisSection,
  })
  .superRefine(crossChecks(checkOverlay));

export type SynthesisScenarioT = z.output<typeof SynthesisScenario>;
