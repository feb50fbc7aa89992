// Events: life cycle, Timeout, allOf/anyOf, failures that nobody waits for.
import { describe, expect, it } from 'vitest';
import { Simulator, Event, Timeout, allOf, anyOf } from '../../sim/engine/index.js';
import { ModelError } from '../../sim/errors.js';

describe('Event', () => {
  it('goes pending -> triggered -> processed; callbacks run from the queue, not inside succeed()', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event<number>();
    expect(e.state).toBe('pending');
    e.then((x) => log.push(`cb ${x.value} @${sim.now}`));
    sim.schedule(2, () => {
      e.succeed(42);
      log.push(`after succeed, state=${e.state}`);
    });
    sim.run();
    expect(log).toEqual(['after succeed, state=triggered', 'cb 42 @2']);
    expect(e.state).toBe('processed');
    expect(e.ok).toBe(true);
    expect(e.value).toBe(42);
  });

  it('callbacks run in registration order, interleaved with the queue by insertion order', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    e.then(() => log.push('cb1'));
    e.then(() => log.push('cb2'));
    sim.schedule(1, () => {
      sim.schedule(0, () => log.push('before'));
      e.succeed();
      sim.schedule(0, () => log.push('after'));
    });
    sim.run();
    expect(log).toEqual(['before', 'cb1', 'cb2', 'after']);
  });

  it('then() on a processed event runs the callback soon, from the queue', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event<string>().succeed('v');
    sim.run();
    expect(e.state).toBe('processed');
    sim.schedule(1, () => {
      e.then((x) => log.push(`late ${x.value} @${sim.now}`));
      log.push('registered');
    });
    sim.run();
    expect(log).toEqual(['registered', 'late v @1']);
  });

  it('off() removes a callback', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    const cb = (): void => {
      log.push('cb');
    };
    e.then(cb);
    e.then(() => log.push('other'));
    e.off(cb);
    e.succeed();
    sim.run();
    expect(log).toEqual(['other']);
  });

  it('callbacks run in registration order, thenFirst() ahead of them; off() drops the first registration only', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    const mk = (l: string) => (): void => {
      log.push(l);
    };
    const a = mk('a');
    const b = mk('b');
    e.then(a);
    e.then(b);
    e.then(mk('c'));
    e.then(b);
    e.thenFirst(mk('first'));
    e.thenFirst(mk('very first'));
    e.off(b); // the first b only
    e.off(mk('never registered'));
    e.succeed();
    sim.run();
    expect(log).toEqual(['very first', 'first', 'a', 'c', 'b']);
  });

  it('thenFirst() goes ahead of one, two or three callbacks', () => {
    const sim = new Simulator();
    const log: string[] = [];
    for (const n of [1, 2, 3]) {
      const e = sim.event();
      for (let i = 0; i < n; i++) e.then(() => log.push(`${n}:${i}`));
      e.thenFirst(() => log.push(`${n}:first`));
      e.then(() => log.push(`${n}:last`));
      e.succeed();
    }
    sim.run();
    expect(log).toEqual(['1:first', '1:0', '1:last', '2:first', '2:0', '2:1', '2:last', '3:first', '3:0', '3:1', '3:2', '3:last']);
  });

  it('off() of every callback, in any order, leaves none; a failure then has no waiter', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    const a = (): void => {
      log.push('a');
    };
    const b = (): void => {
      log.push('b');
    };
    e.then(a);
    e.then(b);
    e.off(a); // the second callback moves to the front
    e.then(a); // and a new one goes behind it
    e.off(b);
    e.off(a);
    e.fail(new Error('nobody waits'));
    expect(() => sim.run()).toThrow('nobody waits');
    expect(log).toEqual([]);
  });

  it('thenFirst() on an event without callbacks, and on one already processed, behaves like then()', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    e.thenFirst(() => log.push('only'));
    e.then(() => log.push('second'));
    e.succeed();
    sim.run();
    e.thenFirst(() => log.push(`late @${sim.now}`));
    sim.run();
    expect(log).toEqual(['only', 'second', 'late @0']);
  });

  it('can be triggered only once', () => {
    const sim = new Simulator();
    const e = sim.event().succeed(1);
    expect(() => e.succeed(2)).toThrow(ModelError);
    expect(() => e.fail(new Error('x'))).toThrow('an event can be triggered only once');
    sim.run();
    expect(e.value).toBe(1);
  });

  it('a failure with nobody waiting makes run() throw that error', () => {
    const sim = new Simulator();
    const boom = new Error('boom');
    sim.schedule(3, () => sim.event().fail(boom));
    let caught: unknown;
    try {
      sim.run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBe(boom);
    expect(sim.now).toBe(3);
  });

  it('a failure somebody waits for is handed to them and does not stop the run', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    e.then((x) => log.push(`saw ${x.error?.message} ok=${x.ok}`));
    sim.schedule(1, () => e.fail(new Error('bad')));
    sim.schedule(2, () => log.push('later'));
    sim.run();
    expect(log).toEqual(['saw bad ok=false', 'later']);
    expect(e.defused).toBe(true);
  });
});

describe('Timeout', () => {
  it('fires after its delay with its value', () => {
    const sim = new Simulator();
    const log: [number, unknown][] = [];
    const a = sim.timeout(2, 'two');
    const b = new Timeout(sim, 1, { k: 1 });
    const c = sim.timeout(3);
    for (const t of [a, b, c] as Event<unknown>[]) t.then((x) => log.push([sim.now, x.value]));
    expect(a.state).toBe('triggered');
    sim.run();
    expect(log).toEqual([[1, { k: 1 }], [2, 'two'], [3, undefined]]);
  });

  it('a zero timeout fires at now, after events already due', () => {
    const sim = new Simulator();
    const log: string[] = [];
    sim.schedule(1, () => {
      sim.schedule(0, () => log.push('first'));
      sim.timeout(0, 'z').then((x) => log.push(`timeout ${x.value}`));
    });
    sim.run();
    expect(log).toEqual(['first', 'timeout z']);
  });

  it('a negative delay throws ModelError', () => {
    const sim = new Simulator();
    expect(() => sim.timeout(-1)).toThrow(ModelError);
    expect(() => sim.timeout(NaN)).toThrow(ModelError);
  });

  it('cannot be triggered by hand', () => {
    const sim = new Simulator();
    expect(() => sim.timeout(1).succeed()).toThrow(ModelError);
  });
});

describe('allOf', () => {
  it('succeeds once all succeed, with values in the order given (not the order they fired)', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const all = allOf(sim, [sim.timeout(3, 'a'), sim.timeout(1, 'b'), sim.timeout(2, 'c')]);
    all.then((x) => log.push(`${sim.now}: ${JSON.stringify(x.value)}`));
    sim.run();
    expect(log).toEqual(['3: ["a","b","c"]']);
  });

  it('of nothing succeeds at once with []', () => {
    const sim = new Simulator();
    const all = allOf(sim, []);
    sim.run();
    expect(all.state).toBe('processed');
    expect(all.value).toEqual([]);
    expect(sim.now).toBe(0);
  });

  it('accepts events already processed', () => {
    const sim = new Simulator();
    const a = sim.timeout(1, 1);
    sim.run();
    const all = allOf(sim, [a, sim.timeout(2, 2)]);
    sim.run();
    expect(all.value).toEqual([1, 2]);
    expect(sim.now).toBe(3);
  });

  it('fails with the first failure, at its time; later failures of members are absorbed', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const a = sim.event<number>();
    const b = sim.event<number>();
    const c = sim.timeout(5, 3);
    const all = allOf(sim, [a, b, c]);
    all.then((x) => log.push(`${sim.now}: ${x.ok ? 'ok' : x.error!.message}`));
    sim.schedule(1, () => a.succeed(1));
    sim.schedule(2, () => b.fail(new Error('b broke')));
    sim.run();
    expect(log).toEqual(['2: b broke']);
    expect(all.ok).toBe(false);
  });

  it('a failed allOf nobody waits for surfaces from run()', () => {
    const sim = new Simulator();
    const a = sim.event();
    allOf(sim, [a, sim.timeout(1)]);
    sim.schedule(0.5, () => a.fail(new Error('member failed')));
    expect(() => sim.run()).toThrow('member failed');
  });
});

describe('anyOf', () => {
  it('succeeds with the first event to be processed', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const slow = sim.timeout(3, 'slow');
    const fast = sim.timeout(1, 'fast');
    const any = anyOf(sim, [slow, fast]);
    any.then((x) => log.push(`${sim.now}: ${x.value === fast} ${x.value!.value}`));
    sim.run();
    expect(log).toEqual(['1: true fast']);
    expect(sim.now).toBe(3); // the other timeout still runs
  });

  it('on a tie, the first one processed (insertion order) wins', () => {
    const sim = new Simulator();
    const a = sim.timeout(1, 'a');
    const b = sim.timeout(1, 'b');
    const any = anyOf(sim, [b, a]);
    sim.run();
    expect(any.value).toBe(a);
  });

  it('fails if the first event fails', () => {
    const sim = new Simulator();
    const log: string[] = [];
    const e = sim.event();
    const any = anyOf(sim, [e, sim.timeout(2)]);
    any.then((x) => log.push(`${sim.now}: ${x.error?.message}`));
    sim.schedule(1, () => e.fail(new Error('first failed')));
    sim.run();
    expect(log).toEqual(['1: first failed']);
  });

  it('a failure after the first success is absorbed', () => {
    const sim = new Simulator();
    const e = sim.event();
    const any = anyOf(sim, [sim.timeout(1, 'ok'), e]);
    sim.schedule(2, () => e.fail(new Error('too late')));
    sim.run();
    expect(any.ok).toBe(true);
    expect(any.value!.value).toBe('ok');
  });
});
