// EdgeVDI strategy (b), remote: the VM stays where it started and the user interacts with it over
// the WAN from wherever they are, paying the WAN round trip on every interaction. Nothing moves.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';

const Options = z.strictObject({});

export const vdiRemote: TransferPolicy<'vdi', z.output<typeof Options>> = {
  name: 'vdi-remote',
  summary: 'EdgeVDI (b): keep the VM where it runs; the user interacts remotely over the WAN',
  kind: 'vdi',
  options: Options,
  *plan() {},
};
