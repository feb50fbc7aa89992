// The scenario reference (docs/scenario-reference.md), generated from the zod schema as the JSON
// Schema is, so the docs cannot drift from what `vmsim validate` accepts. It walks the JSON Schema
// zod writes (`z.toJSONSchema`, input side: defaults as a user writes them, units from the field
// builders' `meta({ unit })`) and lists every field with its type, unit, default and description:
// the fields every kind shares once, then each kind's own.
import { z } from 'zod';
import { ScenarioSchema } from './schema.js';

type Json = { [key: string]: unknown };

interface Row {
  path: string;
  type: string;
  unit: string;
  required: boolean;
  default: string;
  description: string;
}

const UNITS: Record<string, string> = {
  bytes: 'bytes (`4KiB`, `1GB`)',
  bps: 'bit/s (`100Mbit/s`)',
  Bps: 'bytes/s (`50MB/s`)',
  s: 'time (`20ms`, `1.5 min`)',
  fraction: 'fraction (`25%`, `0.25`)',
};
// perSecond fields are tagged `<what>_per_s` (pages_per_s: `2000 pages/s`).
const unitText = (unit: string): string => UNITS[unit] ?? (unit.endsWith('_per_s') ? `${unit.slice(0, -6)}/s (\`20 ${unit.slice(0, -6)}/s\`)` : unit);

const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const branches = (s: Json): Json[] => ((s.anyOf ?? s.oneOf ?? []) as Json[]);

/** A short type name for a JSON Schema node, as a reader of a YAML file thinks of it. */
function typeOf(s: Json): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' | ');
  const alts = branches(s);
  if (alts.length > 0) return [...new Set(alts.map(typeOf))].join(' or ');
  if (s.unit !== undefined) return 'quantity';
  if (s.type === 'array') return `list of ${typeOf(obj(s.items) ?? {})}`;
  if (s.type === 'object') return obj(s.properties) ? 'mapping' : 'map';
  if (s.type === 'integer') return bounded('integer', s);
  if (s.type === 'number') return bounded('number', s);
  return typeof s.type === 'string' ? s.type : 'any';
}

/** Bounds that say something (not the safe-integer range zod writes for every integer). */
function bounded(name: string, s: Json): string {
  const lo = (s.minimum ?? s.exclusiveMinimum) as number | undefined;
  const hi = s.maximum as number | undefined;
  const loText = lo === undefined || lo <= -Number.MAX_SAFE_INTEGER ? '' : `${s.exclusiveMinimum !== undefined ? '>' : '>='} ${lo}`;
  const hiText = hi === undefined || hi >= Number.MAX_SAFE_INTEGER ? '' : `<= ${hi}`;
  const range = [loText, hiText].filter((t) => t !== '').join(', ');
  return range === '' ? name : `${name} (${range})`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function describeDefault(v: unknown): string {
  if (v === undefined) return '';
  if (v === '') return '`""`';
  return `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;
}

/** The mappings to descend into below a node: its own properties, an object branch, list items, map values. */
function children(s: Json): { suffix: string; node: Json }[] {
  if (obj(s.properties)) return [{ suffix: '', node: s }];
  const alts = branches(s);
  if (alts.length > 0) return alts.flatMap(children);
  if (s.type === 'array' && obj(s.items)) return children(obj(s.items)!).map((c) => ({ suffix: `[]${c.suffix}`, node: c.node }));
  const values = obj(s.additionalProperties);
  if (s.type === 'object' && values && Object.keys(values).length > 0) return children(values).map((c) => ({ suffix: `.NAME${c.suffix}`, node: c.node }));
  return [];
}

/** Every field below a mapping, depth first in the schema's order. */
function rows(mapping: Json, prefix: string): Row[] {
  const props = obj(mapping.properties) ?? {};
  const required = new Set((mapping.required ?? []) as string[]);
  const out: Row[] = [];
  for (const [name, value] of Object.entries(props)) {
    const s = obj(value) ?? {};
    const unit = (s.unit ?? branches(s).find((b) => b.unit !== undefined)?.unit) as string | undefined;
    const path = prefix + name;
    const description = (s.description ?? branches(s).find((b) => b.description !== undefined)?.description ?? '') as string;
    out.push({ path, type: typeOf(s), unit: unit === undefined ? '' : unitText(unit), required: required.has(name), default: describeDefault(s.default), description });
    for (const c of children(s)) out.push(...rows(c.node, `${path}${c.suffix}.`));
  }
  return out;
}

const HEADER = ['| field | type | unit | default | description |', '|---|---|---|---|---|'];
const line = (r: Row): string =>
  `| \`${r.path}\`${r.required ? ' (required)' : ''} | ${cell(r.type)} | ${cell(r.unit)} | ${cell(r.default)} | ${cell(r.description)} |`;
const same = (a: Row, b: Row): boolean => JSON.stringify(a) === JSON.stringify(b);

/** docs/scenario-reference.md: the fields every kind shares, then each kind's own. */
export function scenarioReference(): string {
  const schema = z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const kinds = branches(schema).map((k) => ({ kind: String((obj(obj(k.properties)?.kind) ?? {}).const), rows: rows(k, '') }));
  // Shared: the same row in every kind, under a parent that is shared too (so a mapping stays whole).
  const shared: Row[] = [];
  for (const r of kinds[0].rows) {
    const parent = r.path.includes('.') ? r.path.slice(0, r.path.lastIndexOf('.')).replace(/(\[\]|\.NAME)$/, '') : undefined;
    const parentShared = parent === undefined || shared.some((o) => o.path === parent);
    if (r.path !== 'kind' && parentShared && kinds.every((k) => k.rows.some((o) => same(o, r)))) shared.push(r);
  }
  const isShared = (r: Row): boolean => shared.some((o) => same(o, r));
  const out = [
    '# Scenario reference',
    '',
    '<!-- Generated from the zod schemas by scenarios/schema-doc.ts: do not edit. Rewrite it with `npm run docs`. -->',
    '',
    'Every field of a scenario file, generated from the zod schema that `vmsim validate` checks against',
    '(`scenarios/schema.ts`), as `vmsim schema` generates the JSON Schema for editors. A quantity is a',
    'string with its unit (a bare number is an error); `NAME` stands for a name you choose (a variant,',
    'a map key) and `[]` for each item of a list. A policy\'s own `options` are described with the',
    'policy in [models.md](models.md) and typed in the editors\' JSON Schema (`vmsim schema`).',
    '',
    `Kinds: ${kinds.map((k) => `[\`${k.kind}\`](#kind-${k.kind})`).join(', ')}.`,
    '',
    '## Fields of every kind',
    '',
    ...HEADER,
    ...shared.map(line),
  ];
  for (const k of kinds) {
    out.push('', `## Kind: ${k.kind}`, '', `\`kind: ${k.kind}\`, with the fields of every kind and these:`, '', ...HEADER);
    out.push(...k.rows.filter((r) => r.path !== 'kind' && !isShared(r)).map(line));
  }
  return out.join('\n') + '\n';
}
