// Distributions (sim/distribution.ts): each one's sample moments over many draws against its own
// (mean, sd within five standard errors of the sample size; choice frequencies within five binomial
// standard errors), the same stream giving the same draws, and every way a text can be wrong.
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../sim/engine/random.js';
import { MAX_REDRAWS, centreOf, describe as describeDist, draw, isCutDistribution, isDistributionText, parseDistribution, type Distribution } from '../../sim/distribution.js';
import { InputError, messages } from '../../sim/errors.js';

const N = 20_000;
const num = (t: string): number => Number(t);

function sample(d: Distribution, seed = 7, valid?: (v: number) => boolean): number[] {
  const rng = new RandomStreams(seed).stream('test');
  return Array.from({ length: N }, () => draw(d, rng, valid));
}

function moments(xs: readonly number[]): { mean: number; sd: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd };
}

/** Sample mean and sd within five standard errors of the distribution's own (sd's error for a normal-ish sample: sd / sqrt(2n)). */
function expectMoments(xs: readonly number[], mean: number, sd: number): void {
  const m = moments(xs);
  expect(Math.abs(m.mean - mean)).toBeLessThan((5 * sd) / Math.sqrt(xs.length));
  expect(Math.abs(m.sd - sd)).toBeLessThan((5 * sd) / Math.sqrt(2 * xs.length));
}

describe('draws', () => {
  it('uniform(a, b): mean (a+b)/2, sd (b-a)/sqrt(12), every draw inside', () => {
    const xs = sample(parseDistribution('uniform(10, 50)', num));
    expectMoments(xs, 30, 40 / Math.sqrt(12));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...xs)).toBeLessThan(50);
  });

  it('uniform on a whole-number field: each of low..high equally often', () => {
    const xs = sample(parseDistribution('uniform(2, 5)', num, true));
    for (const v of [2, 3, 4, 5]) {
      const f = xs.filter((x) => x === v).length / N;
      expect(Math.abs(f - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / N));
    }
    expect(xs.every((x) => Number.isInteger(x) && x >= 2 && x <= 5)).toBe(true);
  });

  it('normal(mean, sd): its mean and sd', () => {
    expectMoments(sample(parseDistribution('normal(100, 5)', num)), 100, 5);
  });

  it('normal truncated to the field: draws outside are drawn again, so none is outside', () => {
    const xs = sample(parseDistribution('normal(0, 1)', num), 3, (v) => v > 0);
    expect(xs.every((x) => x > 0)).toBe(true);
    // the half-normal: mean sqrt(2/pi), sd sqrt(1 - 2/pi)
    expectMoments(xs, Math.sqrt(2 / Math.PI), Math.sqrt(1 - 2 / Math.PI));
  });

  it('a normal whose draws never fall inside the field is refused after MAX_REDRAWS tries', () => {
    const d = parseDistribution('normal(0, 1)', num);
    expect(() => draw(d, new RandomStreams(1).stream('x'), (v) => v > 100)).toThrow(messages.distributionOutsideDomain(MAX_REDRAWS));
  });

  it('choice(...): each value with frequency 1/k, no other value', () => {
    const xs = sample(parseDistribution('choice(1, 2, 4)', num));
    for (const v of [1, 2, 4]) {
      const f = xs.filter((x) => x === v).length / N;
      expect(Math.abs(f - 1 / 3)).toBeLessThan(5 * Math.sqrt((1 / 3) * (2 / 3) / N));
    }
    expect(new Set(xs)).toEqual(new Set([1, 2, 4]));
  });

  it('the same stream gives the same draws; another seed others', () => {
    const d = parseDistribution('uniform(0, 1)', num);
    expect(sample(d, 5).slice(0, 50)).toEqual(sample(d, 5).slice(0, 50));
    expect(sample(d, 6).slice(0, 50)).not.toEqual(sample(d, 5).slice(0, 50));
  });
});

describe('reading a distribution', () => {
  it('reads each value with the field\'s parser and describes it back', () => {
    const parse = (t: string): number => Number(t.replace('x', '')) * 10;
    const d = parseDistribution(' normal( 3x , 1x ) ', parse);
    expect(d).toEqual({ fn: 'normal', mean: 30, sd: 10, int: false });
    expect(describeDist(d, (v) => `${v / 10}x`)).toBe('normal(3x, 1x)');
    expect(centreOf(parseDistribution('uniform(1, 4)', num))).toBe(2.5);
    expect(centreOf(parseDistribution('uniform(1, 4)', num, true))).toBe(3);
    expect(centreOf(parseDistribution('choice(7, 1)', num))).toBe(7);
  });

  it('tells a distribution from other text', () => {
    expect(isDistributionText('uniform(1, 2)')).toBe(true);
    expect(isDistributionText('choice(1s)')).toBe(true);
    expect(isDistributionText('rate 10mbit delay 20ms')).toBe(false);
    expect(isDistributionText('beta(1, 2)')).toBe(false);
    expect(isDistributionText(5)).toBe(false);
    expect(isCutDistribution('uniform(1s')).toBe(true);
    expect(isCutDistribution('uniform(1s, 2s)')).toBe(false);
  });

  it.each([
    ['uniform(5, 1)', messages.distributionBackwards('uniform(5, 1)')],
    ['triangular(1, 2, 3)', messages.distributionUnknown('triangular')],
    ['normal(1, -1)', messages.distributionNegativeSd('normal(1, -1)')],
    ['choice()', messages.distributionEmptyChoice('choice()')],
    ['uniform(1)', messages.distributionArity('uniform(1)', 'uniform', 'low, high', 1)],
    ['normal(1, 2, 3)', messages.distributionArity('normal(1, 2, 3)', 'normal', 'mean, sd', 3)],
    ['choice(1,,2)', messages.distributionEmptyValue('choice(1,,2)')],
    ['uniform(1, x)', messages.distributionValue('uniform(1, x)', 'its high end', 'not a number')],
    ['uniform(1.5, 3)', messages.distributionValue('uniform(1.5, 3)', 'its low end', messages.distributionNotWhole('1.5'))],
  ])('%s is refused: %s', (text, message) => {
    const parse = (t: string): number => {
      if (!/^-?[\d.]+$/.test(t)) throw new InputError('not a number');
      return Number(t);
    };
    expect(() => parseDistribution(text, parse, text === 'uniform(1.5, 3)')).toThrow(new InputError(message));
  });
});
