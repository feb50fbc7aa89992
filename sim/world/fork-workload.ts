// The memory a set of forked clones touches (SnowFlock, EuroSys 2009: clones of one parent run the
// same code on the same data, so they touch largely the same pages). Each clone first-touches
// `working_set` distinct pages of the parent's memory: `shared` of them are common to all clones, the
// rest are private to the clone (disjoint from the shared set and from every other clone's). A page
// is one a clone overwrites before reading it (freshly allocated memory, a buffer refilled) with
// probability `overwrite_share`, a property of the page, the same for every clone. Only first
// touches are modelled: later accesses to a page find it present.
import type { Rng } from '../engine/index.js';
import { ModelError, messages } from '../errors.js';

export interface ForkWorkloadSpec {
  /** Pages of the parent's memory. */
  pages: number;
  clones: number;
  /** Distinct pages each clone touches, and how many of them all clones share. */
  working_set: number;
  shared: number;
  overwrite_share: number;
}

export interface ForkWorkload {
  /** Per clone, the pages it touches, in the order it first touches them. */
  order: Uint32Array[];
  /** 1 for a page its clones overwrite before reading it. */
  overwritten: Uint8Array;
  shared: number;
}

/**
 * Draw the shared set, then each clone's private set, as one partial Fisher-Yates shuffle of the
 * memory (sparse: only drawn positions are stored), so clone k's pages do not depend on how many
 * clones follow it. `pick` draws the sets and overwrite flags; `orderOf(k)` is clone k's own stream.
 */
export function forkWorkload(spec: ForkWorkloadSpec, pick: Rng, orderOf: (clone: number) => Rng): ForkWorkload {
  const priv = spec.working_set - spec.shared;
  const need = spec.shared + spec.clones * priv;
  if (need > spec.pages) throw new ModelError(messages.forkPages(need, spec.pages));
  const swapped = new Map<number, number>();
  const at = (i: number): number => swapped.get(i) ?? i;
  let drawn = 0;
  const draw = (): number => {
    const j = drawn + Math.floor(pick() * (spec.pages - drawn));
    const v = at(j);
    swapped.set(j, at(drawn));
    drawn++;
    return v;
  };
  const overwritten = new Uint8Array(spec.pages);
  const take = (n: number): Uint32Array => {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = draw();
      if (pick() < spec.overwrite_share) overwritten[out[i]] = 1;
    }
    return out;
  };
  const shared = take(spec.shared);
  const order: Uint32Array[] = [];
  for (let k = 0; k < spec.clones; k++) {
    const pages = new Uint32Array(spec.working_set);
    pages.set(shared, 0);
    pages.set(take(priv), spec.shared);
    const rng = orderOf(k);
    for (let i = pages.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = pages[i];
      pages[i] = pages[j];
      pages[j] = t;
    }
    order.push(pages);
  }
  return { order, overwritten, shared: spec.shared };
}
