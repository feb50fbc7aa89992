// Named random streams: reproducible, independent per name, insensitive to other streams.
import { describe, expect, it } from 'vitest';
import { RandomStreams, exponential, normal, poisson, uniform, type Rng } from '../../sim/engine/index.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng());
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('RandomStreams', () => {
  it('same seed and name give the same sequence', () => {
    const a = draw(new RandomStreams(42).stream('net'), 100);
    const b = draw(new RandomStreams(42).stream('net'), 100);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(100);
  });

  it('the same name returns the same stream (continuing, not restarting)', () => {
    const rs = new RandomStreams(1);
    const s = rs.stream('disk');
    expect(rs.stream('disk')).toBe(s);
    const first = s();
    const second = rs.stream('disk')();
    expect(draw(new RandomStreams(1).stream('disk'), 2)).toEqual([first, second]);
  });

  it('different names give different sequences', () => {
    const rs = new RandomStreams(42);
    const a = draw(rs.stream('a'), 50);
    const b = draw(rs.stream('b'), 50);
    const ab = draw(rs.stream('ab'), 50);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(ab);
    expect(a.filter((x, i) => x === b[i]).length).toBe(0);
  });

  it('creating and drawing from stream "b" does not change the numbers drawn from stream "a"', () => {
    const alone = draw(new RandomStreams(7).stream('a'), 200);

    const rs = new RandomStreams(7);
    const a = rs.stream('a');
    const got: number[] = [];
    got.push(...draw(a, 50));
    const b = rs.stream('b'); // created mid-way
    for (let i = 0; i < 150; i++) {
      b();
      b();
      got.push(a());
    }
    expect(got).toEqual(alone);

    // ... and creating "b" first changes nothing either
    const rs2 = new RandomStreams(7);
    draw(rs2.stream('b'), 1000);
    expect(draw(rs2.stream('a'), 200)).toEqual(alone);
  });

  it('a different seed gives different numbers', () => {
    const a = draw(new RandomStreams(1).stream('x'), 50);
    const b = draw(new RandomStreams(2).stream('x'), 50);
    expect(a.filter((x, i) => x === b[i]).length).toBe(0);
    const c = draw(new RandomStreams('run-1').stream('x'), 50);
    expect(c).not.toEqual(a);
  });

  it('draws are uniform in [0, 1)', () => {
    const xs = draw(new RandomStreams(3).stream('u'), 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
    // each decile holds ~10%
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const n of bins) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });
});

describe('variates', () => {
  const rng = (): Rng => new RandomStreams(11).stream('v');

  it('exponential has the right mean and is positive', () => {
    const r = rng();
    const xs = Array.from({ length: 20_000 }, () => exponential(r, 2.5));
    expect(xs.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    expect(mean(xs)).toBeGreaterThan(2.4);
    expect(mean(xs)).toBeLessThan(2.6);
  });

  it('uniform stays in [lo, hi)', () => {
    const r = rng();
    const xs = Array.from({ length: 5000 }, () => uniform(r, -3, 5));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...xs)).toBeLessThan(5);
    expect(mean(xs)).toBeCloseTo(1, 0);
  });

  it('normal has the right mean and spread', () => {
    const r = rng();
    const xs = Array.from({ length: 20_000 }, () => normal(r, 10, 2));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(m).toBeGreaterThan(9.95);
    expect(m).toBeLessThan(10.05);
    expect(sd).toBeGreaterThan(1.95);
    expect(sd).toBeLessThan(2.05);
  });

  it('poisson has the right mean for small and large means; 0 for mean <= 0', () => {
    const r = rng();
    const small = Array.from({ length: 10_000 }, () => poisson(r, 3));
    expect(small.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    expect(mean(small)).toBeGreaterThan(2.9);
    expect(mean(small)).toBeLessThan(3.1);
    const large = Array.from({ length: 5000 }, () => poisson(r, 200));
    expect(mean(large)).toBeGreaterThan(198);
    expect(mean(large)).toBeLessThan(202);
    expect(poisson(r, 0)).toBe(0);
    expect(poisson(r, -1)).toBe(0);
  });

  it('variates are reproducible from the seed', () => {
    const a = rng();
    const b = rng();
    expect(Array.from({ length: 20 }, () => exponential(a, 1))).toEqual(Array.from({ length: 20 }, () => exponential(b, 1)));
  });
});
