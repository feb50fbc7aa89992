// What every policy's context offers, whatever the kind: the clock, waiting, concurrency, seeded
// randomness and named moments. A kind's context (its contract.ts) extends this with its own verbs;
// none hands out the world, so a policy can only act through verbs the driver measures.
import { allOf, anyOf, type Event, type Rng, type Yieldable } from '../../engine/index.js';
import type { World } from '../../world/index.js';

export interface BaseContext {
  /** Simulated seconds. */
  readonly now: number;
  timeout(seconds: number): Event<undefined>;
  allOf(events: readonly Event<unknown>[]): Event<unknown[]>;
  anyOf(events: readonly Event<unknown>[]): Event<Event<unknown>>;
  /** Run a concurrent part of the plan (a background stream); its value when it returns. */
  spawn<R>(body: Generator<Yieldable, R, any>): Event<R>;
  /** A named seeded stream, independent of every other name. */
  random(stream: string): Rng;
  /** Record a named moment (a round boundary, a switch-over) for the results. */
  mark(name: string, value?: number): void;
}

/** A kind's context: its own verbs (`own`, given the members of the base) and the base's over `world`. */
export function withBase<C extends BaseContext>(world: World, own: Omit<C, keyof BaseContext>): C {
  const base: BaseContext = {
    get now() {
      return world.now;
    },
    timeout: (s: number) => world.sim.timeout(s),
    allOf: (events: readonly Event<unknown>[]) => allOf(world.sim, events),
    anyOf: (events: readonly Event<unknown>[]) => anyOf(world.sim, events),
    spawn: <R>(body: Generator<Yieldable, R, any>) => world.sim.process(body),
    random: (name: string) => world.random.stream(`policy:${name}`),
    mark(name: string, value?: number) {
      if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name, value });
    },
  };
  // Descriptors, not values: `now` (and any getter of `own`) stays live.
  return Object.defineProperties(own, Object.getOwnPropertyDescriptors(base)) as C;
}
