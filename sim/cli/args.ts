// A command's parsed arguments and the helpers that read its options, strictly. Command modules
// import these, never cli.ts (which imports the commands), so no import runs back up.
import { InputError, messages } from '../errors.js';
import { trialsFromText } from '../../scenarios/schema-common.js';

export type Args = Record<string, unknown> & { _: Array<string | number> };

/** A whole number option (`--trials 3`), checked strictly: "3.5", "1e3", "" and "-1" are errors. */
export function intOption(a: Args, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = a[name];
  if (v === undefined) return undefined;
  const text = String(v).trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? `a whole number from ${min} to ${max}` : min === 0 ? 'a whole number' : `a whole number of at least ${min}`;
    throw new InputError(messages.badCliNumber(name, text, range));
  }
  return n;
}

/** `--trials N`: the one rule for a trial count (scenarios/schema-common.ts), read from text as the explorer reads it. */
export const trialsOption = (a: Args): number | undefined => (a.trials === undefined ? undefined : trialsFromText(String(a.trials)));

export const stringOption = (a: Args, name: string): string | undefined => (a[name] === undefined ? undefined : String(a[name]));

export const listOption = (a: Args, name: string): string[] => {
  const v = a[name];
  return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
};
