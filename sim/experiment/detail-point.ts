// The detail point (`--detail-point PATH=VALUE`, repeatable, or a sweep file's `detail_point: {PATH:
// VALUE}`): the point whose per-run tables the report shows up close. A path must be one of the
// sweep's axes with more than one value; the value is read once, with the field's unit (the unit its
// column carries), and the report takes the nearest value swept. Checked before any run.
import type { ParamValue } from '../results/record.js';
import { InputError, messages } from '../errors.js';
import { unitCodec } from '../fields.js';
import type { SweepDefinition } from './sweep-plan.js';

/** One coordinate of the detail point: `--detail-point PATH=VALUE` as typed, or a sweep file's `detail_point` entry as YAML read it. */
export type DetailChoice = string | { path: string; value: string | number | boolean };

/** Each coordinate's column and value, read once (a unit column's value with its unit's parser). */
export function resolveDetailPoint(choices: readonly DetailChoice[], def: Pick<SweepDefinition, 'axes'>, columns: readonly string[]): Record<string, ParamValue> {
  const swept = def.axes.filter((a) => a.values.length > 1 && a.path !== 'variant' && a.path !== 'policy').map((a) => a.path);
  const out: Record<string, ParamValue> = {};
  for (const choice of choices) {
    const { path, value, text } = typeof choice === 'string' ? split(choice) : { ...choice, text: `${choice.path}=${String(choice.value)}` };
    if (path === '' || value === '') throw new InputError(messages.badDetailPoint(text, 'write PATH=VALUE, e.g. --detail-point link.bandwidth=100Mbit/s', swept));
    if (!swept.includes(path)) throw new InputError(messages.badDetailPoint(text, `${path} is not an axis of this sweep with more than one value`, swept));
    const column = columns.find((c) => c === path || (c.startsWith(`${path}_`) && !c.slice(path.length + 1).includes('.')));
    if (column === undefined) throw new InputError(messages.badDetailPoint(text, `${path} is not a parameter column of this sweep`, swept));
    const unit = column === path ? undefined : column.slice(path.length + 1);
    if (unit === undefined) {
      out[column] = typeof value !== 'string' ? value : value === 'true' ? true : value === 'false' ? false : /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      continue;
    }
    try {
      // a quantity is text with its unit: a bare number is refused with the parser's own message
      out[column] = unitCodec(unit).parse(String(value));
    } catch (e) {
      throw new InputError(messages.badDetailPoint(text, (e as Error).message, swept));
    }
  }
  return out;
}

function split(text: string): { path: string; value: string; text: string } {
  const i = text.indexOf('=');
  return { path: i > 0 ? text.slice(0, i).trim() : '', value: i > 0 ? text.slice(i + 1).trim() : '', text };
}
