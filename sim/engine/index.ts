export { Simulator, DEFAULT_LIMITS, setInterrupter, type Interrupter, type Limits, type Handle } from './simulator.js';
export { Event, Timeout, allOf, anyOf, type State } from './event.js';
export { Process, Interrupt, type ProcessBody, type Yieldable } from './process.js';
export { RandomStreams, exponential, uniform, normal, poisson, type Rng } from './random.js';
