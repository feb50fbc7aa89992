// What a scenario or sweep file may hold (sim/pipeline/bounds.ts), and that parsing what it may hold
// takes time in proportion to its size: the YAML library's own duplicate-key check compared every
// key of a mapping with every other (10,000 variants took 2.6 s, 20,000 took 8.2 s).
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { MAX_DEPTH, MAX_KEYS, MAX_TEXT_BYTES, MAX_VARIANTS, checkBounds } from '../../sim/pipeline/bounds.js';
import { read } from '../../sim/pipeline/index.js';
import { InputError } from '../../sim/errors.js';

const scenario = (variants: number, json: boolean): string => {
  const doc = {
    kind: 'migration',
    name: 'many',
    policy: 'stop-and-copy',
    link: 'rate 10mbit delay 20ms',
    vm: { memory: '1MiB' },
    variants: Object.fromEntries(Array.from({ length: variants }, (_, i) => [`v${i}`, { policy: 'stop-and-copy' }])),
  };
  return json ? JSON.stringify(doc) : YAML.stringify(doc);
};

/** The fastest of two reads (the less disturbed by other work on a shared machine), in ms. */
const fastest = (text: string): number =>
  Math.min(
    ...[0, 1].map(() => {
      const t = performance.now();
      read('s.yaml', text);
      return performance.now() - t;
    }),
  );

const refusal = (text: string): string => {
  try {
    checkBounds(text, 's.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('bounds of a scenario or sweep file', () => {
  it.each([false, true])('parsing grows linearly with the variants (JSON: %s): 5,000 take less than 15 times what 1,000 take (quadratic would be 25)', (json) => {
    const small = fastest(scenario(1_000, json));
    const large = fastest(scenario(5_000, json));
    expect(large / small).toBeLessThan(15);
  });

  it('refuses each bound with the limit named, and accepts what is at the bound', () => {
    expect(refusal('x'.repeat(MAX_TEXT_BYTES + 1))).toBe(`s.yaml: it holds 1 MiB or more; a scenario or sweep file may hold at most 1 MiB (docs/cli.md, "Bad input, limits and exit codes")`);
    const keys = (n: number): string => `kind: migration\nname: x\nx:\n${Array.from({ length: n }, (_, i) => `  k${i}: 1`).join('\n')}\n`;
    expect(checkBounds(keys(MAX_KEYS), 's.yaml')).toBe(keys(MAX_KEYS));
    expect(refusal(keys(MAX_KEYS + 1))).toContain(`the mapping at line 4 has 10,001 keys; a scenario or sweep file may hold at most 10,000 keys per mapping`);
    expect(refusal(`{"kind": "migration", "variants": {${Array.from({ length: MAX_VARIANTS + 1 }, (_, i) => `"v${i}": {}`).join(',')}}}`)).toContain('it has 10,001 variants');
    const nest = (n: number): string => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`;
    expect(checkBounds(nest(MAX_DEPTH - 1), 's.yaml')).toBe(nest(MAX_DEPTH - 1));
    expect(refusal(nest(MAX_DEPTH + 1))).toContain('it nests deeper than 64 levels');
    // So deep that the library's own parser would overflow its stack: still the bound's message.
    expect(refusal(nest(200_000))).toContain('it nests deeper than 64 levels');
  });

  it('a key twice in one mapping is refused in any spelling the document gives it', () => {
    for (const [text, key, at] of [
      ['a: 1\nb: 2\na: 3\n', 'a', 'line 3, column 1'],
      ['{"a": {"x": 1, "x": 2}}', 'x', 'line 1, column 16'],
      ["a: 1\n'a': 2\n", 'a', 'line 2, column 1'],
      ['1: x\n"1": y\n', '1', 'line 2, column 1'],
    ]) {
      expect(() => read('s.yaml', text)).toThrow(`s.yaml is not valid YAML or JSON: the key "${key}" appears twice in one mapping (${at})`);
    }
    expect(read('s.yaml', 'a: {x: 1}\nb: {x: 1}\n').doc).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});
