// The experiment form as a sweep or a reproduction: the same axes, trials and seed the CLI takes,
// in the order its command line gives them, so the command shown under the form reruns exactly what
// the page ran. Every check and message is the CLI's (sim/errors.ts).
import { InputError, messages } from '../errors.js';
import { parseSets } from '../../scenarios/load.js';
import { trialsFromText } from '../../scenarios/schema-common.js';
import { mergeAxes, shellQuote, sweepCommand, type AxisText } from '../experiment/sweep-plan.js';

export interface Form {
  axisPath: string;
  axisValues: string;
  /** One PATH=VALUE or PATH=AXIS a line; blank lines and # comments are skipped. */
  moreSets: string;
  trials: string;
  seed: string;
  variants: readonly string[];
  policies: readonly string[];
}

/** The `--set` lines of "More settings". */
export function moreSetLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** A whole number field, read as strictly as the CLI reads --trials and --seed; undefined when empty. */
export function wholeNumber(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InputError(messages.badCliNumber(flag, t, max < Number.MAX_SAFE_INTEGER ? `a whole number from ${min} to ${max}` : 'a whole number'));
  }
  return n;
}

/** The form's trials and seed, read as strictly as the CLI reads --trials and --seed (undefined when empty). */
export function runsOf(form: Pick<Form, 'trials' | 'seed'>): { trials?: number; seed?: number } {
  return { trials: form.trials.trim() === '' ? undefined : trialsFromText(form.trials), seed: wholeNumber('seed', form.seed, 0) };
}

/** The sweep's axes, as `vmsim sweep --set` would take them in this order. */
export function sweepAxes(form: Form): AxisText[] {
  const args: AxisText[] = parseSets(moreSetLines(form.moreSets)).map((o) => ({ path: o.path, spec: o.text }));
  const values = form.axisValues.trim();
  if (values !== '') {
    const path = form.axisPath.trim();
    if (path === '') throw new InputError(messages.badSet(`=${values}`));
    args.push({ path, spec: values });
  }
  if (form.variants.length > 0 && form.policies.length > 0) throw new InputError(messages.compareBoth());
  if (form.variants.length > 0) args.push({ path: 'variant', spec: form.variants.join(',') });
  if (form.policies.length > 0) args.push({ path: 'policy', spec: form.policies.join(',') });
  // A path given twice: the later replaces the earlier in place, as on the command line.
  return mergeAxes([], args);
}

export interface Defaults {
  trials: number;
  seed: number | string;
}

/** `vmsim sweep FILE --set ... --trials N --seed S` for the form as it stands. */
export function sweepCommandOf(file: string, form: Form, d: Defaults): string {
  const { trials = d.trials, seed = d.seed } = runsOf(form);
  return sweepCommand({ scenarioArg: file, axes: sweepAxes(form), trials, seed });
}

/** `vmsim reproduce FILE --set ... --trials N --seed S`, as the reproduction's report writes it. */
export function reproduceCommandOf(file: string, form: Form, d: Defaults): string {
  const { trials = d.trials, seed = d.seed } = runsOf(form);
  return ['vmsim reproduce', shellQuote(file), ...moreSetLines(form.moreSets).map((o) => `--set ${shellQuote(o)}`), `--trials ${trials}`, `--seed ${shellQuote(String(seed))}`].join(' ');
}
