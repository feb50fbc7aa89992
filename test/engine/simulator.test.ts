// The clock and the run loop: ordering, cancel, run({until, maxEvents}), peek, step, input checks and
// the runaway guards.
import { describe, expect, it } from 'vitest';
import { Simulator, DEFAULT_LIMITS } from '../../sim/engine/index.js';
import { LimitError, ModelError, VmsimError } from '../../sim/errors.js';

/** Run fn, return what it threw (fails the test if it threw nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an exception');
}

describe('ordering', () => {
  it('runs events in time order and advances now', () => {
    const sim = new Simulator();
    const log: [string, number][] = [];
    sim.schedule(3, () => log.push(['c', sim.now]));
    sim.schedule(1, () => log.push(['a', sim.now]));
    sim.schedule(2.5, () => log.push(['b', sim.now]));
    expect(sim.now).toBe(0);
    sim.run();
    expect(log).toEqual([['a', 1], ['b', 2.5], ['c', 3]]);
    expect(sim.now).toBe(3);
    expect(sim.processed).toBe(3);
  });

  it('runs equal-time events in insertion order', () => {
    const sim = new Simulator();
    const log: string[] = [];
    for (const l of ['a', 'b', 'c', 'd', 'e']) sim.schedule(1, () => log.push(l));
    sim.schedule(0, () => log.push('first'));
    sim.at(1, () => log.push('f'));
    sim.run();
    expect(log).toEqual(['first', 'a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('events scheduled from a callback at the same time run after those already due', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(1, () => {
      log.push('a');
      sim.schedule(0, () => {
        log.push('a1');
        sim.schedule(0, () => log.push('a2'));
      });
      sim.at(1, () => log.push('a3'));
    });
    sim.schedule(1, () => log.push('b'));
    sim.schedule(1, () => log.push('c'));
    sim.schedule(2, () => log.push('d'));
    sim.run();
    expect(log).toEqual(['a', 'b', 'c', 'a1', 'a3', 'a2', 'd']);
  });

  it('a callback rescheduling itself at the same time goes behind the others due then', () => {
    const sim = new Simulator();
    const log: string[] = [];
    let n = 0;
    const self = (): void => {
      log.push(`self${n}@${sim.now}`);
      if (++n < 4) sim.schedule(0, self);
    };
    sim.schedule(1, self);
    sim.schedule(1, () => log.push('x'));
    sim.schedule(1, () => log.push('y'));
    sim.schedule(1.5, () => log.push('z'));
    sim.run();
    expect(log).toEqual(['self0@1', 'x', 'y', 'self1@1', 'self2@1', 'self3@1', 'z']);
  });

  it('a callback rescheduling itself later interleaves correctly with equal-time peers (hold pattern)', () => {
    const sim = new Simulator();
    const log: string[] = [];
    // Three "processes" with period 1, started in order a, b, c: each tick they must keep that order.
    for (const name of ['a', 'b', 'c']) {
      let k = 0;
      const tick = (): void => {
        log.push(`${name}${sim.now}`);
        if (++k < 3) sim.schedule(1, tick);
      };
      sim.schedule(0, tick);
    }
    sim.run();
    expect(log).toEqual(['a0', 'b0', 'c0', 'a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  });

  it('a callback that schedules several events, the first earlier than everything', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(5, () => log.push('late'));
    sim.schedule(1, () => {
      log.push('p');
      sim.schedule(3, () => log.push('p3'));
      sim.schedule(0, () => log.push('p0'));
      sim.schedule(10, () => log.push('p10'));
      sim.schedule(2, () => log.push('p2'));
    });
    sim.run();
    expect(log).toEqual(['p', 'p0', 'p2', 'p3', 'late', 'p10']);
  });

  it('time never runs backwards under a random workload', () => {
    const sim = new Simulator();
    let seed = 42;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const times: number[] = [];
    const handles: ReturnType<Simulator['schedule']>[] = [];
    let budget = 5000;
    const cb = (): void => {
      times.push(sim.now);
      if (budget-- <= 0) return;
      const u = rnd();
      if (u < 0.3) handles.push(sim.schedule(0, cb));
      else if (u < 0.8) handles.push(sim.schedule(rnd() * 3, cb));
      else if (u < 0.9) handles.push(sim.schedule(Math.floor(rnd() * 3), cb), sim.schedule(rnd(), cb));
      else if (handles.length > 0) sim.cancel(handles[Math.floor(rnd() * handles.length)]);
    };
    for (let i = 0; i < 200; i++) handles.push(sim.schedule(rnd() * 10, cb));
    let last = -Infinity;
    let backwards = 0;
    while (sim.step()) {
      if (sim.now < last) backwards++;
      last = sim.now;
    }
    expect(backwards).toBe(0);
    expect(times.length).toBeGreaterThan(2000);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
  });
});

describe('cancel', () => {
  it('a cancelled event never runs', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(1, () => log.push('a'));
    const h = sim.schedule(1, () => log.push('b'));
    sim.schedule(2, () => log.push('c'));
    expect(sim.pending).toBe(3);
    sim.cancel(h);
    sim.cancel(h); // twice is harmless
    expect(sim.pending).toBe(2);
    sim.run();
    expect(log).toEqual(['a', 'c']);
    expect(sim.processed).toBe(2);
  });

  it('a callback can cancel a later event due at the same time', () => {
    const sim = new Simulator();
    const log: string[] = [];
    let hb: ReturnType<Simulator['schedule']> | undefined;
    sim.schedule(1, () => {
      log.push('a');
      sim.cancel(hb!);
    });
    hb = sim.schedule(1, () => log.push('b'));
    sim.schedule(1, () => log.push('c'));
    sim.run();
    expect(log).toEqual(['a', 'c']);
    expect(sim.pending).toBe(0);
  });

  it('cancelling the entry currently running is harmless, also when it then reschedules', () => {
    const sim = new Simulator();
    const log: string[] = [];
    let h: ReturnType<Simulator['schedule']>;
    let n = 0;
    const self = (): void => {
      sim.cancel(h); // the running entry
      log.push(`self@${sim.now} pending=${sim.pending}`); // not decremented twice
      if (++n < 3) h = sim.schedule(1, self);
    };
    h = sim.schedule(1, self);
    sim.schedule(1.5, () => log.push('other'));
    sim.run();
    expect(log).toEqual(['self@1 pending=1', 'other', 'self@2 pending=0', 'self@3 pending=0']);
    expect(sim.pending).toBe(0);
  });

  it('cancelling the running entry after rescheduling does not cancel the new entry', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const first = sim.schedule(1, () => {
      log.push('first');
      sim.schedule(0, () => log.push('second'));
      sim.cancel(first);
    });
    sim.run();
    expect(log).toEqual(['first', 'second']);
  });

  it('cancel then schedule: the new event runs, in its own place in the order', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const h = sim.schedule(1, () => log.push('old'));
    sim.schedule(1, () => log.push('peer'));
    sim.cancel(h);
    sim.schedule(1, () => log.push('new'));
    sim.run();
    expect(log).toEqual(['peer', 'new']);
  });

  it('cancelling an event that already ran does nothing', () => {
    const sim = new Simulator();
    const h = sim.schedule(1, () => {});
    sim.schedule(2, () => {});
    sim.run({ until: 1.5 });
    sim.cancel(h);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(sim.processed).toBe(2);
  });

  it('a handle whose event ran never cancels a later event, even one reusing its storage', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const stale: ReturnType<Simulator['schedule']>[] = [];
    // Each event schedules the next (which takes over the running one's place in the heap), then
    // cancels every handle it holds but the new one's.
    let n = 0;
    const tick = (): void => {
      log.push(`t${n}`);
      if (++n < 5) stale.push(sim.schedule(1, tick));
      for (const h of stale.slice(0, -1)) sim.cancel(h);
    };
    stale.push(sim.schedule(1, tick));
    sim.run();
    expect(log).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(new Set(stale).size).toBe(stale.length);
  });

  it('cancelling every pending event from a callback ends the run', () => {
    const sim = new Simulator();
    const log: number[] = [];
    const hs = [2, 3, 4].map((t) => sim.schedule(t, () => log.push(t)));
    sim.schedule(1, () => hs.forEach((h) => sim.cancel(h)));
    sim.run();
    expect(log).toEqual([]);
    expect(sim.now).toBe(1);
    expect(sim.peek()).toBe(Infinity);
  });
});

describe('schedule with an argument', () => {
  it('calls the function with the argument, in (time, insertion) order like any event', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const say = (word: string): void => {
      log.push(`${word}@${sim.now}`);
    };
    sim.schedule(2, say, 'c');
    sim.schedule(1, say, 'a');
    sim.at(1, say, 'b');
    sim.schedule(1, () => log.push('plain@1'));
    sim.run();
    expect(log).toEqual(['a@1', 'b@1', 'plain@1', 'c@2']);
  });
});

describe('run()', () => {
  it('run({until}) processes events up to until, stops before later ones, sets now = until; a later run continues', () => {
    const sim = new Simulator();
    const log: number[] = [];
    for (const t of [1, 2, 5, 7]) sim.schedule(t, () => log.push(sim.now));
    sim.run({ until: 4 });
    expect(log).toEqual([1, 2]);
    expect(sim.now).toBe(4);
    expect(sim.peek()).toBe(5);
    sim.schedule(0.5, () => log.push(sim.now)); // relative to the new now
    sim.run({ until: 6 });
    expect(log).toEqual([1, 2, 4.5, 5]);
    expect(sim.now).toBe(6);
    sim.run();
    expect(log).toEqual([1, 2, 4.5, 5, 7]);
    expect(sim.now).toBe(7);
  });

  it('run({until}) includes events at exactly until', () => {
    const sim = new Simulator();
    const log: number[] = [];
    sim.schedule(5, () => log.push(5));
    sim.schedule(5, () => log.push(55));
    sim.schedule(6, () => log.push(6));
    sim.run({ until: 5 });
    expect(log).toEqual([5, 55]);
    expect(sim.now).toBe(5);
  });

  it('run({until}) with an empty queue still moves the clock', () => {
    const sim = new Simulator();
    sim.run({ until: 10 });
    expect(sim.now).toBe(10);
    expect(sim.processed).toBe(0);
  });

  it('run({maxEvents}) processes exactly that many more events', () => {
    const sim = new Simulator();
    const log: number[] = [];
    for (let i = 1; i <= 10; i++) sim.schedule(i, () => log.push(i));
    sim.run({ maxEvents: 3 });
    expect(log).toEqual([1, 2, 3]);
    expect(sim.now).toBe(3);
    sim.run({ maxEvents: 2 });
    expect(log).toEqual([1, 2, 3, 4, 5]);
    expect(sim.processed).toBe(5);
    sim.run({ maxEvents: 0 });
    expect(sim.processed).toBe(5);
    // maxEvents reached before until: the clock stays at the last event
    sim.run({ maxEvents: 1, until: 100 });
    expect(sim.now).toBe(6);
    sim.run();
    expect(log).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('peek() gives the next live event time, skipping cancelled ones', () => {
    const sim = new Simulator();
    expect(sim.peek()).toBe(Infinity);
    const a = sim.schedule(1, () => {});
    sim.schedule(2, () => {});
    expect(sim.peek()).toBe(1);
    sim.cancel(a);
    expect(sim.peek()).toBe(2);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(sim.peek()).toBe(Infinity);
  });

  it('peek() from inside a callback sees the next event, and the run carries on correctly', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(1, () => {
      log.push(`a peek=${sim.peek()}`);
      sim.schedule(0, () => log.push('a0'));
      log.push(`a peek=${sim.peek()}`);
    });
    sim.schedule(1, () => {
      log.push(`b peek=${sim.peek()}`);
      sim.schedule(0.5, () => log.push('b.5'));
    });
    sim.schedule(3, () => log.push('c'));
    sim.run();
    expect(log).toEqual(['a peek=1', 'a peek=1', 'b peek=1', 'a0', 'b.5', 'c']);
  });

  it('step() runs one event at a time', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(2, () => log.push('b'));
    sim.schedule(1, () => log.push('a'));
    expect(sim.step()).toBe(true);
    expect(log).toEqual(['a']);
    expect(sim.now).toBe(1);
    expect(sim.step()).toBe(true);
    expect(sim.step()).toBe(false);
    expect(log).toEqual(['a', 'b']);
  });

  it('an exception from a callback propagates out of run() and the run can continue', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(1, () => {
      sim.schedule(0, () => log.push('after'));
      throw new Error('boom');
    });
    sim.schedule(2, () => log.push('later'));
    expect(() => sim.run()).toThrow('boom');
    expect(sim.now).toBe(1);
    sim.run();
    expect(log).toEqual(['after', 'later']);
  });
});

describe('input checks', () => {
  it.each([-1, -1e-9, NaN, -Infinity])('schedule(%s) throws ModelError', (d) => {
    const sim = new Simulator();
    const err = thrown(() => sim.schedule(d, () => {}));
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).exitCode).toBe(3);
    expect(sim.pending).toBe(0);
  });

  it('the messages name the problem', () => {
    const sim = new Simulator();
    expect(() => sim.schedule(-2, () => {})).toThrow('cannot schedule an event -2 s in the past');
    expect(() => sim.schedule(NaN, () => {})).toThrow('delay must be a finite number, got NaN');
  });

  it('at() in the past throws ModelError; at(now) is fine', () => {
    const sim = new Simulator();
    sim.run({ until: 5 });
    expect(thrown(() => sim.at(4, () => {}))).toBeInstanceOf(ModelError);
    const log: number[] = [];
    sim.at(5, () => log.push(sim.now));
    sim.at(7.25, () => log.push(sim.now));
    sim.run();
    expect(log).toEqual([5, 7.25]);
  });

  it('schedule(0) from inside a callback is fine; a negative delay from inside a callback propagates', () => {
    const sim = new Simulator();
    sim.schedule(1, () => sim.schedule(-0.5, () => {}));
    expect(thrown(() => sim.run())).toBeInstanceOf(ModelError);
  });
});

describe('runaway guards', () => {
  it('has sane default limits', () => {
    expect(new Simulator().limits).toEqual(DEFAULT_LIMITS);
    expect(new Simulator({ maxTime: 5 }).limits).toEqual({ ...DEFAULT_LIMITS, maxTime: 5 });
  });

  it('throws LimitError (exit code 4) when processed events exceed maxEvents', () => {
    const sim = new Simulator({ maxEvents: 100 });
    let n = 0;
    const tick = (): void => {
      n++;
      sim.schedule(0.5, tick);
    };
    sim.schedule(0, tick);
    const err = thrown(() => sim.run());
    expect(err).toBeInstanceOf(LimitError);
    expect(err).toBeInstanceOf(VmsimError);
    expect((err as LimitError).exitCode).toBe(4);
    expect((err as LimitError).message).toBe(
      'run stopped: more than 100 events processed (simulated time 50.000 s); raise limits.max_events in the scenario if the run is meant to be this long',
    );
    expect(n).toBe(100); // the 101st never ran
  });

  it('exactly maxEvents events is allowed', () => {
    const sim = new Simulator({ maxEvents: 5 });
    for (let i = 0; i < 5; i++) sim.schedule(i, () => {});
    sim.run();
    expect(sim.processed).toBe(5);
  });

  it('throws LimitError when an event lies beyond maxTime, without running it', () => {
    const sim = new Simulator({ maxTime: 10 });
    const log: number[] = [];
    sim.schedule(10, () => log.push(10)); // exactly maxTime is allowed
    sim.schedule(10.5, () => log.push(10.5));
    const err = thrown(() => sim.run());
    expect(err).toBeInstanceOf(LimitError);
    expect((err as LimitError).exitCode).toBe(4);
    expect((err as LimitError).message).toBe(
      'run stopped: simulated time passed 10 s; raise limits.max_time in the scenario if the run is meant to be this long',
    );
    expect(log).toEqual([10]);
    expect(sim.now).toBe(10);
  });

  it('the maxTime guard also fires from step()', () => {
    const sim = new Simulator({ maxTime: 1 });
    sim.schedule(2, () => {});
    expect(thrown(() => sim.step())).toBeInstanceOf(LimitError);
  });
});
