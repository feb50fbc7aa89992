// What events and processes need of the simulator: scheduling, cancelling, and somewhere to report a
// failure nobody waited for. The simulator implements it and builds events and processes on it, so
// they depend on this interface rather than on the simulator (no import circle in the engine).
import type { Handle } from './queue.js';

export interface Scheduler {
  /** Call `fn` (with `arg`) after `delay` seconds; ties run in scheduling order. */
  schedule(delay: number, fn: () => void): Handle;
  schedule<A>(delay: number, fn: (arg: A) => void, arg: A): Handle;
  cancel(h: Handle): void;
  /** Called by events that failed with nobody waiting. */
  reportUnhandled(err: Error): void;
}
