// VM fork as SnowFlock does it (Lagar-Cavilla et al., "SnowFlock: Rapid Virtual Machine Cloning for
// Cloud Computing", EuroSys 2009): the parent pauses and builds a descriptor (page tables, vCPU and
// device state: about 1 MB per GB of memory), multicasts it, and every clone starts from it at once;
// memory follows on demand. A clone's first touch of a page it lacks traps (memtap), a request goes
// to the parent's memory server, and the page comes back. With `multicast` (mcdist) the server sends
// each page once to the multicast group; a request for a page already in flight joins that
// transmission instead of causing another; with `push_to_all` every clone keeps every page it
// receives (SnowFlock's behaviour: clones of one parent touch largely the same pages), otherwise only
// the clones that asked for it while it was in flight. Without multicast each request is served by
// a unicast. With `avoid_overwrite` (SnowFlock's avoidance heuristics: the guest kernel marks pages
// it is about to overwrite, e.g. freshly allocated ones) such pages are allocated, never fetched.
import { z } from 'zod';
import type { Event } from '../../sim/engine/index.js';
import type { TransferPolicy } from '../../sim/policy.js';

const Options = z.strictObject({
  descriptor_multicast: z.boolean().default(true).describe('multicast the descriptor once to all clones (false: one unicast per clone, through the parent\'s uplink in parallel)'),
  multicast: z.boolean().default(true).describe('serve page requests by multicast, one transmission per page in flight (SnowFlock mcdist); false: a unicast per request'),
  push_to_all: z.boolean().default(true).describe('with multicast, every clone keeps every page it receives (SnowFlock); false: only clones that requested it while in flight'),
  avoid_overwrite: z.boolean().default(true).describe('never fetch a page the clone will overwrite before reading it (SnowFlock avoidance heuristics)'),
});

export const fork: TransferPolicy<'fork', z.output<typeof Options>> = {
  name: 'snowflock',
  summary: 'VM fork (SnowFlock): descriptor multicast, clones start at once, pages on demand by multicast or unicast, overwritten pages never fetched',
  kind: 'fork',
  options: Options,
  *plan(ctx, o) {
    // Pages in flight to the multicast group, with the clones that asked for them.
    const inFlight = new Map<number, Set<string>>();
    const serve = (clone: string, page: number): void => {
      // The page reached the clone (pushed) while its request was on the way: nothing to send.
      if (ctx.has(clone, page)) return;
      if (!o.multicast) {
        ctx.sendPage(page, clone);
        return;
      }
      const asked = inFlight.get(page);
      if (asked !== undefined) {
        asked.add(clone);
        return;
      }
      const keep = new Set([clone]);
      inFlight.set(page, keep);
      ctx.multicastPage(page, o.push_to_all ? null : keep).done.then(() => inFlight.delete(page));
    };
    const onFault =
      (clone: string) =>
      (page: number, overwrite: boolean): Event<unknown> | null => {
        if (o.avoid_overwrite && overwrite) {
          ctx.allocate(clone, page);
          return null;
        }
        const present = ctx.whenPresent(clone, page);
        ctx.request(clone, page).then(() => serve(clone, page));
        return present;
      };

    yield ctx.saveDescriptor();
    // One multicast reaching every clone, or one unicast per clone sharing the parent's uplink.
    const all = o.descriptor_multicast ? ctx.sendDescriptor().done : null;
    const runs = ctx.clones.map((c) => {
      const arrived = all ?? ctx.sendDescriptor(c).done;
      return ctx.spawn(
        (function* () {
          yield arrived;
          yield ctx.startClone(c);
          yield ctx.runWorkload(c, onFault(c));
        })(),
      );
    });
    yield ctx.allOf(runs);
  },
};
