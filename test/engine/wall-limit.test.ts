// limits.max_wall is a bound whatever an event costs: the loop reads the clock about every 10 ms
// of events, and in Node the watchdog (sim/cli/watchdog.ts) stops an event that never returns.
import { afterEach, describe, expect, it } from 'vitest';
import { Simulator, setInterrupter } from '../../sim/engine/index.js';
import { LimitError } from '../../sim/errors.js';

/** Keep the CPU busy for `ms` milliseconds (an expensive event). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Run sim to its end; what it threw and how long it took (ms). */
function timed(sim: Simulator): { error: unknown; ms: number } {
  const t0 = performance.now();
  try {
    sim.run();
    return { error: undefined, ms: performance.now() - t0 };
  } catch (e) {
    return { error: e, ms: performance.now() - t0 };
  }
}

describe('limits.max_wall', () => {
  afterEach(() => setInterrupter(undefined));

  it('stops a run of expensive events soon after the limit, not 4096 events later', () => {
    setInterrupter(undefined);
    const sim = new Simulator({ maxWall: 0.2 });
    const tick = (): void => {
      spin(5);
      sim.schedule(1, tick);
    };
    sim.schedule(0, tick);
    const { error, ms } = timed(sim);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as Error).message).toMatch(/more than 0\.2 s of wall-clock time \(limits\.max_wall\)/);
    // 4096 events of 5 ms would be 20 s: the check adapts to the events' cost. Counted in events
    // (each takes at least 5 ms of wall time), as the test's own wall time depends on the machine's
    // load: at most 40 events fill the 200 ms, and the clock is read about every 10 ms (2 events)
    // after that; a busy machine can stretch the cost estimate by a few events, never by thousands.
    expect(ms).toBeGreaterThanOrEqual(200);
    expect(sim.processed).toBeLessThanOrEqual(40 + 20);
  });

  it('with the watchdog installed, stops one event that never returns', async () => {
    await import('../../sim/cli/watchdog.js');
    const sim = new Simulator({ maxWall: 0.2 });
    sim.schedule(1, () => {
      for (;;);
    });
    const { error, ms } = timed(sim);
    expect(error).toBeInstanceOf(LimitError);
    expect((error as Error).message).toMatch(/limits\.max_wall/);
    expect((error as Error).message).toMatch(/reached 1\.000 s of simulated time after 1 events/);
    // It stops (the watchdog fires 300 ms past the limit; the bench, not this test, times it): a
    // loose bound that a busy machine cannot break, which a run that never stops does.
    expect(ms).toBeLessThan(200 + 10_000);
  });

  it('the watchdog changes nothing for a run within its limit, and lets errors through', async () => {
    await import('../../sim/cli/watchdog.js');
    const sim = new Simulator({ maxWall: 60 });
    let n = 0;
    const tick = (): void => {
      if (++n < 10_000) sim.schedule(0.5, tick);
    };
    sim.schedule(0, tick);
    sim.run();
    expect(n).toBe(10_000);
    expect(sim.now).toBe(0.5 * 9_999);
    const failing = new Simulator({ maxWall: 60 });
    failing.schedule(1, () => {
      throw new RangeError('boom');
    });
    expect(() => failing.run()).toThrow(RangeError);
  });
});
