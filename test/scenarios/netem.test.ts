import { describe, expect, it } from 'vitest';
import { InputError } from '../../sim/errors.js';
import { inputError } from '../helpers/errors.js';
import { parseNetem, type NetemSpec } from '../../scenarios/netem.js';

function expectNetemError(text: string, detail: RegExp): void {
  const err = inputError(() => parseNetem(text));
  expect(err.message).toContain(`"${text}"`);
  expect(err.message).toMatch(detail);
}

/** Compare field by field with toBeCloseTo, and require exactly the same fields. */
function expectSpec(got: NetemSpec, want: NetemSpec): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [k, v] of Object.entries(want)) expect(got[k as keyof NetemSpec]).toBeCloseTo(v as number, 12);
}

describe('parseNetem', () => {
  it.each<[string, NetemSpec]>([
    ['rate 10mbit delay 20ms jitter 2ms loss 0.1%', { bandwidth_bps: 1e7, latency_s: 0.02, jitter_s: 0.002, loss: 0.001 }],
    ['delay 50ms 5ms rate 1mbps', { latency_s: 0.05, jitter_s: 0.005, bandwidth_bps: 8e6 }],
    // tc rate units: *bit = bits/s, *bps = BYTES/s, IEC prefixes binary, case-insensitive.
    ['rate 300bit', { bandwidth_bps: 300 }],
    ['rate 64kbit', { bandwidth_bps: 64e3 }],
    ['rate 10Mbit', { bandwidth_bps: 1e7 }],
    ['rate 1gbit', { bandwidth_bps: 1e9 }],
    ['rate 1tbit', { bandwidth_bps: 1e12 }],
    ['rate 1kibit', { bandwidth_bps: 1024 }],
    ['rate 1mibit', { bandwidth_bps: 1024 ** 2 }],
    ['rate 1gibit', { bandwidth_bps: 1024 ** 3 }],
    ['rate 100bps', { bandwidth_bps: 800 }],
    ['rate 1kbps', { bandwidth_bps: 8e3 }],
    ['rate 1MBps', { bandwidth_bps: 8e6 }],
    ['rate 1gbps', { bandwidth_bps: 8e9 }],
    ['rate 1mibps', { bandwidth_bps: 8 * 1024 ** 2 }],
    // our own forms, recognised by the '/'
    ['rate 10Mbit/s', { bandwidth_bps: 1e7 }],
    ['rate 128MiB/s', { bandwidth_bps: 128 * 1024 ** 2 * 8 }],
    ['rate 10mbit 14', { bandwidth_bps: 1e7, packet_overhead_bytes: 14 }],
    ['rate 10mbit 0 delay 1ms', { bandwidth_bps: 1e7, packet_overhead_bytes: 0, latency_s: 0.001 }],
    ['delay 100us', { latency_s: 1e-4 }],
    ['delay 1s 10msec', { latency_s: 1, jitter_s: 0.01 }],
    ['delay 0ms', { latency_s: 0 }],
    ['jitter 3ms delay 20ms', { jitter_s: 0.003, latency_s: 0.02 }],
    ['loss random 1%', { loss: 0.01 }],
    ['loss 0%', { loss: 0 }],
    ['  loss   25%  rate 1mbit ', { loss: 0.25, bandwidth_bps: 1e6 }],
  ])('%j', (text, want) => expectSpec(parseNetem(text), want));

  it.each<[string, RegExp]>([
    ['', /empty/],
    ['rate', /"rate" needs a rate/],
    ['rate delay 20ms', /"rate" needs a rate/],
    ['rate 0kbit', /greater than zero/],
    ['rate 1000000', /cannot read "1000000"/],
    ['rate 10mbit -4', /overhead must not be negative/],
    ['rate 10mbit 14 64 0', /cell size/],
    ['delay', /"delay" needs a time/],
    ['delay 20', /cannot read "20"/],
    ['delay 20ms 2ms 25%', /correlation .* not modelled/],
    ['delay 20ms 2ms 25%', /"25%"/],
    ['delay 20ms 2ms distribution normal', /"distribution" is not modelled/],
    ['loss gemodel 1%', /not modelled/],
    ['loss state 1% 2%', /not modelled/],
    ['loss 0.1', /needs a '%'/],
    ['loss 100%', /below 100%/],
    ['loss 150%', /at most 1/],
    ['loss 1% 25%', /loss correlation .* not modelled/],
    ['loss random', /"loss" needs a percentage/],
    ['bogus 3', /unknown keyword "bogus"/],
    ['rate 1mbit foo', /unknown keyword "foo"/],
    ['reorder 25%', /"reorder" is not modelled/],
    ['rate 1mbit rate 2mbit', /"rate" is given more than once/],
    ['delay 5ms 1ms jitter 1ms', /jitter is given both/],
    ['jitter 1ms delay 5ms 1ms', /jitter is given both/],
    ['jitter 1ms jitter 2ms', /"jitter" is given more than once/],
    ['delay 5ms delay 6ms', /"delay" is given more than once/],
    ['delay -5ms', /negative/],
  ])('rejects %j', (text, detail) => expectNetemError(text, detail));
});
