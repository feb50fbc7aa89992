// Two small parts of the page's results: which options each compared variant ran with (a policy
// picked by a tick runs with its own defaults unless it is the scenario's own), and the choices of
// the detail-point picker (the values each swept parameter took, as --detail-point texts).
import YAML from 'yaml';
import { escapeHtml as e } from '../../reports/html.js';
import { formatParam, label } from '../../reports/units.js';
import type { ParamValue, RunRecord } from '../results/record.js';
import type { Point } from '../pipeline/index.js';
import type { SweepDefinition } from '../experiment/sweep-plan.js';

export interface RanWith {
  variant: string;
  policy: string;
  /** The options as the policy read them (base units: s, bytes, bit/s, bytes/s), or undefined when they differ between points (an option axis). */
  options: unknown;
  /** Where they came from, in words. */
  from: string;
}

/** Each variant of the plan once, with its options and where they came from. */
export function ranWithOf(points: readonly Pick<Point, 'variant' | 'policy' | 'options'>[], declared: readonly string[], ownPolicy: string): RanWith[] {
  const out = new Map<string, RanWith>();
  for (const p of points) {
    const seen = out.get(p.variant);
    if (seen !== undefined) {
      if (seen.options !== undefined && JSON.stringify(seen.options) !== JSON.stringify(p.options)) seen.options = undefined;
      continue;
    }
    const from = declared.includes(p.variant) ? 'declared in the scenario’s variants' : p.policy === ownPolicy ? 'the scenario’s options' : 'the policy’s own defaults';
    out.set(p.variant, { variant: p.variant, policy: p.policy, options: p.options, from });
  }
  return [...out.values()];
}

const flow = (o: unknown): string => {
  if (o === undefined) return 'varies with the swept option (see runs.csv)';
  if (o === null || typeof o !== 'object' || Object.keys(o).length === 0) return '(none)';
  return YAML.stringify(o, { collectionStyle: 'flow', lineWidth: 0 }).trim();
};

/** What each variant ran with: a list (it reads on a phone as on a wide screen). */
export function ranWithHtml(rows: readonly RanWith[]): string {
  if (rows.length === 0) return '';
  const items = rows.map((r) => `<li><b>${e(r.variant)}</b>${r.variant === r.policy ? '' : ` (policy ${e(r.policy)})`}, ${e(r.from)}: <code>${e(flow(r.options))}</code></li>`).join('\n');
  return `<details id="ran-with" open><summary>What each variant ran with</summary>
<p class="hint">Options as the policy read them, in base units (s, bytes, bit/s, bytes/s). A ticked policy runs with its own defaults unless it is the scenario’s own; to give it other options, add a variant.</p>
<ul class="ran-with">
${items}
</ul></details>`;
}

export interface PickerAxis {
  /** The scenario path (link.bandwidth), as --detail-point names it. */
  path: string;
  label: string;
  values: Array<{ text: string; label: string; chosen: boolean }>;
}

/** The swept parameters with more than one value, each with its values (in sweep order) as --detail-point texts. */
export function detailChoices(records: readonly RunRecord[], def: Pick<SweepDefinition, 'axes'>, chosen: Record<string, ParamValue>): PickerAxis[] {
  const columns = Object.keys(records[0]?.params ?? {});
  const out: PickerAxis[] = [];
  for (const a of def.axes) {
    if (a.values.length < 2 || a.path === 'variant' || a.path === 'policy') continue;
    const column = columns.find((c) => c === a.path || (c.startsWith(`${a.path}_`) && !c.slice(a.path.length + 1).includes('.')));
    if (column === undefined) continue;
    const seen: ParamValue[] = [];
    for (const r of records) {
      const v = r.params[column];
      if (v !== undefined && !seen.some((x) => String(x) === String(v))) seen.push(v);
    }
    // The i-th value in grid order is the axis's i-th text (as --set wrote it, so --detail-point reads it back exactly).
    const texts = seen.length === a.values.length ? a.values : seen.map((v) => formatParam(column, v).replace(/ /g, ''));
    const values = seen.map((v, i) => ({ text: texts[i], label: formatParam(column, v), chosen: String(v) === String(chosen[column]) }));
    out.push({ path: a.path, label: label(column), values });
  }
  return out;
}
