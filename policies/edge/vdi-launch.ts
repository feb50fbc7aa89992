// EdgeVDI strategy (a), launch: when the user arrives at another cloudlet, stop the VM, send its
// image (memory, and the disk if the VM has one) to that cloudlet, and launch it there. The user
// interacts only with a VM at the cloudlet they are attached to, so there is no remote phase: the
// user waits from the arrival until the launch.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';

const Options = z.strictObject({});

export const vdiLaunch: TransferPolicy<'vdi', z.output<typeof Options>> = {
  name: 'vdi-launch',
  summary: 'EdgeVDI (a): on each arrival stop the VM, send its image to the new cloudlet, launch it there',
  kind: 'vdi',
  options: Options,
  *plan(ctx) {
    while ((yield ctx.nextArrival()) !== null) {
      // A later arrival may have come while the last image was on its way: follow the user now.
      const to = ctx.userAt;
      if (to === ctx.vm.site) continue;
      const m = ctx.migration(to);
      m.suspend();
      ctx.mark('round', 1);
      const sends = [m.sendPages(m.vm.memory.all(), { tag: 'image-memory' }).done];
      const disk = m.vm.disk;
      if (disk !== null) sends.push(m.sendBytes(disk.count * disk.unitBytes, { tag: 'image-disk' }).done);
      yield m.allOf(sends);
      yield ctx.launch(to);
    }
  },
};
