// netem/NISTNet-style link strings: "rate 10mbit delay 20ms jitter 2ms loss 0.1%".
// People paste these from `tc qdisc ... netem` command lines, so rates and times follow tc's
// conventions. Anything tc accepts that the simulator does not model (correlation, Gilbert-Elliott
// loss, reordering, ...) is rejected rather than silently dropped.

import { InputError, messages } from '../sim/errors.js';
import { parseBitRate, parseFraction, parseQuantity, type QuantityKind, type UnitTable } from '../sim/quantity.js';

export interface NetemSpec {
  bandwidth_bps?: number;
  latency_s?: number;
  jitter_s?: number;
  loss?: number;
  packet_overhead_bytes?: number;
}

// tc(8) rate units, matched case-insensitively as tc does. Beware: in tc "bit/kbit/mbit" are bits
// per second but "bps/kbps/mbps" are BYTES per second (so "1mbps" = 8e6 bit/s), unlike the common
// networking usage that parseBitRate follows. IEC prefixes (kibit, mibps) are binary. tc reads a bare
// number as bit/s; we require a unit. Our own "10Mbit/s" forms are also accepted (anything with '/').
const TC_RATE_UNITS: UnitTable = (() => {
  const t: Record<string, number> = { bit: 1, bps: 8 };
  const prefixes = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 1024, mi: 1024 ** 2, gi: 1024 ** 3, ti: 1024 ** 4 };
  for (const [p, f] of Object.entries(prefixes)) Object.assign(t, { [`${p}bit`]: f, [`${p}bps`]: 8 * f });
  return t;
})();

// tc(8) time units (also matched case-insensitively). tc reads a bare number as microseconds; we
// require a unit. "min"/"h" are not tc's but keep the grammar a superset of parseDuration's.
const TC_TIME_UNITS: UnitTable = {
  ns: 1e-9, nsec: 1e-9, nsecs: 1e-9,
  us: 1e-6, usec: 1e-6, usecs: 1e-6, 'µs': 1e-6, 'μs': 1e-6,
  ms: 1e-3, msec: 1e-3, msecs: 1e-3,
  s: 1, sec: 1, secs: 1, min: 60, h: 3600,
};

const TC_RATE: QuantityKind = { kind: 'a rate', examples: '"10mbit", "1mbps" (bytes/s), "10Mbit/s"', units: TC_RATE_UNITS };
const TC_TIME: QuantityKind = { kind: 'a time', examples: '"20ms", "100us", "1s"', units: TC_TIME_UNITS };

const KEYWORDS = new Set(['rate', 'delay', 'jitter', 'loss']);
// netem options that exist in tc but have no counterpart in the model.
const UNMODELLED = new Set([
  'distribution', 'reorder', 'gap', 'duplicate', 'corrupt', 'limit', 'slot', 'ecn', 'seed', 'state', 'gemodel',
]);

const INTEGER = /^-?\d+$/;
const NUMERIC = /^[-\d.]/;
const BOTH_JITTER = 'jitter is given both as "jitter" and as the second "delay" argument';

/** Parse a tc-netem-like string; keywords in any order, each at most once. */
export function parseNetem(text: string): NetemSpec {
  const fail = (detail: string): never => {
    throw new InputError(messages.badNetem(text, detail));
  };
  // Run a quantity parser, putting its complaint inside the netem message.
  const read = (what: string, parse: () => number): number => {
    try {
      return parse();
    } catch (e) {
      if (e instanceof InputError) return fail(`${what}: ${e.message}`);
      throw e;
    }
  };
  const time = (what: string, tok: string) =>
    read(what, () => parseQuantity(tok.toLowerCase(), TC_TIME, { allowZero: true }));

  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) fail('the spec is empty');

  const spec: NetemSpec = {};
  const seen = new Set<string>();
  let i = 0;
  // The next token if it is an argument (not a keyword), consuming it; else undefined.
  const arg = (): string | undefined => {
    const t = tokens[i];
    if (t === undefined || KEYWORDS.has(t) || UNMODELLED.has(t)) return undefined;
    i++;
    return t;
  };
  const required = (kw: string, what: string): string => arg() ?? fail(`"${kw}" needs ${what}`);

  while (i < tokens.length) {
    const kw = tokens[i++];
    if (UNMODELLED.has(kw)) fail(`"${kw}" is not modelled by the simulator`);
    if (!KEYWORDS.has(kw)) fail(`unknown keyword "${kw}"; known: ${[...KEYWORDS].join(', ')}`);
    if (seen.has(kw)) fail(`"${kw}" is given more than once`);
    seen.add(kw);

    switch (kw) {
      case 'rate': {
        const tok = required('rate', 'a rate, e.g. "10mbit"');
        spec.bandwidth_bps = read('rate', () =>
          tok.includes('/') ? parseBitRate(tok) : parseQuantity(tok.toLowerCase(), TC_RATE));
        if (tokens[i] !== undefined && INTEGER.test(tokens[i])) {
          const overhead = Number(tokens[i++]);
          if (overhead < 0) fail(`rate packet overhead must not be negative, got "${tokens[i - 1]}"`);
          spec.packet_overhead_bytes = overhead;
          if (tokens[i] !== undefined && INTEGER.test(tokens[i])) {
            fail(`rate cell size and cell overhead ("${tokens[i]}") are not modelled`);
          }
        }
        break;
      }
      case 'delay': {
        spec.latency_s = time('delay', required('delay', 'a time, e.g. "20ms"'));
        const jitter = arg();
        if (jitter === undefined) break;
        if (spec.jitter_s !== undefined) fail(BOTH_JITTER);
        spec.jitter_s = time('delay jitter', jitter);
        const corr = arg();
        if (corr === undefined) break;
        if (NUMERIC.test(corr)) fail(`delay correlation ("${corr}") is not modelled (remove it)`);
        fail(`unknown keyword "${corr}"`);
        break;
      }
      case 'jitter': {
        if (spec.jitter_s !== undefined) fail(BOTH_JITTER);
        spec.jitter_s = time('jitter', required('jitter', 'a time, e.g. "2ms"'));
        break;
      }
      case 'loss': {
        const next = tokens[i];
        if (next === 'state' || next === 'gemodel') {
          fail(`"loss ${next}" (4-state / Gilbert-Elliott loss) is not modelled; use "loss PERCENT"`);
        }
        if (next === 'random') i++;
        const tok = required('loss', 'a percentage, e.g. "0.1%"');
        // tc reads a bare "0.1" as 0.1 %, but elsewhere a bare number is a fraction: demand the '%'.
        if (!tok.endsWith('%')) fail(`loss "${tok}" needs a '%' sign, e.g. "0.1%"`);
        spec.loss = read('loss', () => parseFraction(tok));
        if (spec.loss >= 1) fail(`loss must be below 100%, got "${tok}"`);
        const corr = arg();
        if (corr !== undefined) {
          if (NUMERIC.test(corr)) fail(`loss correlation ("${corr}") is not modelled (remove it)`);
          fail(`unknown keyword "${corr}"`);
        }
        break;
      }
    }
  }
  return spec;
}
