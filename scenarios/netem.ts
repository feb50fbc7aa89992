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

// netem options that exist in tc but have no counterpart in the model.
const UNMODELLED = new Set([
  'distribution', 'reorder', 'gap', 'duplicate', 'corrupt', 'limit', 'slot', 'ecn', 'seed', 'state', 'gemodel',
]);

const INTEGER = /^-?\d+$/;
const NUMERIC = /^[-\d.]/;
const BOTH_JITTER = 'jitter is given both as "jitter" and as the second "delay" argument';

/** A netem string being read: its tokens, the position in them, and the spec so far. */
class NetemReader {
  readonly tokens: string[];
  i = 0;
  readonly spec: NetemSpec = {};

  constructor(readonly text: string) {
    this.tokens = text.trim().split(/\s+/).filter(Boolean);
  }

  fail(detail: string): never {
    throw new InputError(messages.badNetem(this.text, detail));
  }

  /** Run a quantity parser, putting its complaint inside the netem message. */
  read(what: string, parse: () => number): number {
    try {
      return parse();
    } catch (e) {
      if (e instanceof InputError) return this.fail(`${what}: ${e.message}`);
      throw e;
    }
  }

  time(what: string, tok: string): number {
    return this.read(what, () => parseQuantity(tok.toLowerCase(), TC_TIME, { allowZero: true }));
  }

  /** The next token if it is an argument (not a keyword), consuming it; else undefined. */
  arg(): string | undefined {
    const t = this.tokens[this.i];
    if (t === undefined || KEYWORDS.has(t) || UNMODELLED.has(t)) return undefined;
    this.i++;
    return t;
  }

  required(kw: string, what: string): string {
    return this.arg() ?? this.fail(`"${kw}" needs ${what}`);
  }

  /** tc takes a correlation after some arguments; the model has none. */
  noCorrelation(kw: string): void {
    const corr = this.arg();
    if (corr === undefined) return;
    if (NUMERIC.test(corr)) this.fail(`${kw} correlation ("${corr}") is not modelled (remove it)`);
    this.fail(`unknown keyword "${corr}"`);
  }
}

function readRate(r: NetemReader): void {
  const tok = r.required('rate', 'a rate, e.g. "10mbit"');
  r.spec.bandwidth_bps = r.read('rate', () => (tok.includes('/') ? parseBitRate(tok) : parseQuantity(tok.toLowerCase(), TC_RATE)));
  const tokens = r.tokens;
  if (tokens[r.i] !== undefined && INTEGER.test(tokens[r.i])) {
    const overhead = Number(tokens[r.i++]);
    if (overhead < 0) r.fail(`rate packet overhead must not be negative, got "${tokens[r.i - 1]}"`);
    r.spec.packet_overhead_bytes = overhead;
    if (tokens[r.i] !== undefined && INTEGER.test(tokens[r.i])) {
      r.fail(`rate cell size and cell overhead ("${tokens[r.i]}") are not modelled`);
    }
  }
}

function readDelay(r: NetemReader): void {
  r.spec.latency_s = r.time('delay', r.required('delay', 'a time, e.g. "20ms"'));
  const jitter = r.arg();
  if (jitter === undefined) return;
  if (r.spec.jitter_s !== undefined) r.fail(BOTH_JITTER);
  r.spec.jitter_s = r.time('delay jitter', jitter);
  r.noCorrelation('delay');
}

function readJitter(r: NetemReader): void {
  if (r.spec.jitter_s !== undefined) r.fail(BOTH_JITTER);
  r.spec.jitter_s = r.time('jitter', r.required('jitter', 'a time, e.g. "2ms"'));
}

function readLoss(r: NetemReader): void {
  const next = r.tokens[r.i];
  if (next === 'state' || next === 'gemodel') {
    r.fail(`"loss ${next}" (4-state / Gilbert-Elliott loss) is not modelled; use "loss PERCENT"`);
  }
  if (next === 'random') r.i++;
  const tok = r.required('loss', 'a percentage, e.g. "0.1%"');
  // tc reads a bare "0.1" as 0.1 %, but elsewhere a bare number is a fraction: demand the '%'.
  if (!tok.endsWith('%')) r.fail(`loss "${tok}" needs a '%' sign, e.g. "0.1%"`);
  const loss = r.read('loss', () => parseFraction(tok));
  r.spec.loss = loss;
  if (loss >= 1) r.fail(`loss must be below 100%, got "${tok}"`);
  r.noCorrelation('loss');
}

/** Each keyword's reader, in the order the "known" list gives them. */
const READERS: Record<string, (r: NetemReader) => void> = { rate: readRate, delay: readDelay, jitter: readJitter, loss: readLoss };
const KEYWORDS = new Set(Object.keys(READERS));

/** Parse a tc-netem-like string; keywords in any order, each at most once. */
export function parseNetem(text: string): NetemSpec {
  const r = new NetemReader(text);
  if (r.tokens.length === 0) r.fail('the spec is empty');
  const seen = new Set<string>();
  while (r.i < r.tokens.length) {
    const kw = r.tokens[r.i++];
    if (UNMODELLED.has(kw)) r.fail(`"${kw}" is not modelled by the simulator`);
    if (!KEYWORDS.has(kw)) r.fail(`unknown keyword "${kw}"; known: ${[...KEYWORDS].join(', ')}`);
    if (seen.has(kw)) r.fail(`"${kw}" is given more than once`);
    seen.add(kw);
    READERS[kw](r);
  }
  return r.spec;
}
