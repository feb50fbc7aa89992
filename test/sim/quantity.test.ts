import { describe, expect, it } from 'vitest';
import { inputError } from '../helpers/errors.js';
import {
  parseBitRate, parseBytes, parseDuration, parseFraction, parseRate,
} from '../../sim/quantity.js';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

/** Assert fn throws an InputError (exit code 2) whose message quotes the offending text. */
function expectInputError(fn: () => unknown, text: string, also?: RegExp): void {
  const err = inputError(fn);
  expect(err.message).toContain(`"${text}"`);
  if (also) expect(err.message).toMatch(also);
}

describe('parseBytes', () => {
  it.each<[string, number]>([
    ['1B', 1], ['1 B', 1], ['1e6 B', 1e6], ['1kB', 1e3], ['1KB', 1e3], ['41MB', 41e6], ['1.5 GB', 1.5e9],
    ['2TB', 2e12], ['256KiB', 256 * KiB], ['3 MiB', 3 * MiB], ['4 GiB', 4 * GiB], ['1TiB', TiB], ['.5KiB', 512],
    ['  8 KiB  ', 8 * KiB],
  ])('%s → %d', (text, want) => expect(parseBytes(text)).toBe(want));

  it('allows zero only on request', () => {
    expectInputError(() => parseBytes('0B'), '0B', /greater than zero/);
    expect(parseBytes('0B', { allowZero: true })).toBe(0);
  });

  it.each([
    '10 parsecs', '', 'abc', '4096', '10Mbit', 'Infinity B', 'NaN B', '+5MB', '0x10 B', '1,000 B', '5 mb', '1e400 B',
  ])('rejects %j with examples', (text) => expectInputError(() => parseBytes(text), text, /"256KiB", "41MB", "4 GiB"/));

  it('rejects negatives as negative', () => expectInputError(() => parseBytes('-5MB'), '-5MB', /must not be negative/));
});

describe('parseBitRate', () => {
  it.each<[string, number]>([
    ['100Mbit/s', 1e8], ['100 kbit/s', 1e5], ['64kbit/s', 64000], ['64Kbit/s', 64000], ['1Gbit/s', 1e9],
    ['1gbit/s', 1e9], ['10mbit/s', 1e7], ['2Tbit/s', 2e12], ['300bit/s', 300], ['300 b/s', 300], ['5Mb/s', 5e6],
    ['10Mbps', 1e7], ['56kbps', 56000], ['1Gbps', 1e9], ['9600bps', 9600],
    ['1B/s', 8], ['1kB/s', 8000], ['2MB/s', 1.6e7], ['1GB/s', 8e9], ['1KiB/s', 8 * KiB], ['128MiB/s', 128 * MiB * 8],
    ['1 GiB/s', 8 * GiB],
  ])('%s → %d', (text, want) => expect(parseBitRate(text)).toBe(want));

  it.each(['0 bit/s', '0Mbps'])('rejects zero %j', (text) => expectInputError(() => parseBitRate(text), text, /greater than zero/));
  it('allows zero on request', () => expect(parseBitRate('0 bit/s', { allowZero: true })).toBe(0));
  it.each(['10 parsecs', '', 'abc', '100', '10Mbit', '1 MiBit/s', '5 mB/s', 'Infinity bit/s'])(
    'rejects %j', (text) => expectInputError(() => parseBitRate(text), text, /cannot read/));
  it('rejects negatives', () => expectInputError(() => parseBitRate('-1Mbit/s'), '-1Mbit/s', /negative/));
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['20ms', 0.02], ['10s', 10], ['1.5 min', 90], ['2h', 7200], ['100us', 1e-4], ['100µs', 1e-4], ['100μs', 1e-4],
    ['250ns', 2.5e-7], ['1e3 ms', 1],
  ])('%s → %d', (text, want) => expect(parseDuration(text)).toBeCloseTo(want, 12));

  it.each(['10 parsecs', '', 'abc', '20', 'NaN s', 'Infinity s', '5 sec', '1 m'])(
    'rejects %j', (text) => expectInputError(() => parseDuration(text), text, /"20ms"/));
  it('rejects zero and negatives', () => {
    expectInputError(() => parseDuration('0s'), '0s', /greater than zero/);
    expectInputError(() => parseDuration('-1s'), '-1s', /negative/);
    expect(parseDuration('0 ms', { allowZero: true })).toBe(0);
  });
});

describe('parseFraction', () => {
  it.each<[string, number]>([
    ['0.1%', 0.001], ['25%', 0.25], ['100%', 1], ['0%', 0], ['0.25', 0.25], ['1', 1], ['0', 0], ['5 %', 0.05],
  ])('%s → %d', (text, want) => expect(parseFraction(text)).toBeCloseTo(want, 12));

  it('rejects more than 100%', () => {
    expectInputError(() => parseFraction('150%'), '150%', /at most 1/);
    expectInputError(() => parseFraction('1.5'), '1.5', /at most 1/);
  });
  it('rejects zero when asked', () => expectInputError(() => parseFraction('0%', { allowZero: false }), '0%', /zero/));
  it.each(['', 'abc', '10 parsecs', 'NaN%'])('rejects %j', (text) => expectInputError(() => parseFraction(text), text));
  it('rejects negatives', () => expectInputError(() => parseFraction('-5%'), '-5%', /negative/));
});

describe('parseRate', () => {
  it.each<[string, string, number]>([
    ['5000 pages/s', 'pages', 5000], ['5000pages/s', 'pages', 5000], ['1 page/s', 'pages', 1], ['20/s', 'pages', 20],
    ['3 pages/s', 'page', 3], ['0/s', 'pages', 0], ['2.5e3 pages/s', 'pages', 2500],
  ])('%s (%s) → %d', (text, unit, want) => expect(parseRate(text, unit)).toBe(want));

  it.each(['5000 blocks/s', '5000 pages', '5000', '', 'abc', '10 parsecs'])(
    'rejects %j', (text) => expectInputError(() => parseRate(text, 'pages'), text, /pages per second/));
  it('rejects negatives and, on request, zero', () => {
    expectInputError(() => parseRate('-1/s', 'pages'), '-1/s', /negative/);
    expectInputError(() => parseRate('0/s', 'pages', { allowZero: false }), '0/s', /zero/);
  });
});
