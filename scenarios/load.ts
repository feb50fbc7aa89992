// Reading a scenario: find the file (a path, or the name of a shipped scenario), parse YAML or
// JSON, apply --set overrides by dotted path, validate. Every failure is an InputError naming the
// file, the field path and what was expected.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type { z } from 'zod';
import { InputError, messages } from '../sim/errors.js';
import { columnName, schemaAt, unitAt } from '../sim/fields.js';
import { ScenarioSchema, type Scenario } from './schema.js';

/** The package root (works from sources and from dist/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** A path as given, else a shipped scenario: scenarios/NAME.yaml or scenarios/*\/NAME.yaml. */
export function resolveScenario(nameOrPath: string): string {
  if (typeof nameOrPath !== 'string' || nameOrPath.trim() === '') throw new InputError(messages.scenarioMissing());
  if (existsSync(nameOrPath)) return resolve(nameOrPath);
  const root = join(packageRoot(), 'scenarios');
  for (const rel of [`${nameOrPath}.yaml`, `isr/${nameOrPath}.yaml`, `migration/${nameOrPath}.yaml`, `edge/${nameOrPath}.yaml`]) {
    if (existsSync(join(root, rel))) return join(root, rel);
  }
  throw new InputError(messages.fileMissing(nameOrPath));
}

export function readScenarioFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(messages.fileUnreadable(file, (e as Error).message), { file });
  }
  try {
    return YAML.parse(text, { prettyErrors: false });
  } catch (e) {
    throw new InputError(messages.fileSyntax(file, (e as Error).message.split('\n')[0]), { file });
  }
}

export interface Override {
  path: string;
  text: string;
}

/** Split "PATH=VALUE" arguments. */
export function parseSets(args: readonly string[]): Override[] {
  return args.map((arg) => {
    const i = arg.indexOf('=');
    if (i <= 0) throw new InputError(messages.badSet(arg));
    return { path: arg.slice(0, i).trim(), text: arg.slice(i + 1).trim() };
  });
}

/** The schema of the document's own kind (so `vm.image` is checked against an ISR scenario's vm). */
export function schemaFor(raw: unknown): z.ZodType {
  const kind = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).kind : undefined;
  return ScenarioSchema.options.find((o) => o.shape.kind.value === kind) ?? ScenarioSchema;
}

/** Set each override on a copy of the raw document. Values are read as YAML scalars ("5" -> 5). */
export function applyOverrides(raw: unknown, overrides: readonly Override[], file: string): unknown {
  const doc = structuredClone(raw) as Record<string, unknown>;
  const schema = schemaFor(raw);
  for (const { path, text } of overrides) {
    if (schemaAt(schema, path) === undefined) throw new InputError(messages.unknownSetPath(path, file));
    const keys = path.split('.');
    let node: Record<string, unknown> = doc;
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i];
      const next = node[k];
      if (next === undefined || next === null) node[k] = {};
      else if (typeof next !== 'object') {
        // e.g. a netem string: setting one field would silently drop the others.
        throw new InputError(messages.setThroughScalar(path, keys.slice(0, i + 1).join('.'), file));
      }
      node = node[k] as Record<string, unknown>;
    }
    let value: unknown;
    try {
      value = YAML.parse(text);
    } catch {
      value = text;
    }
    node[keys[keys.length - 1]] = value ?? text;
  }
  return doc;
}

/** Validate a raw document; errors name the file and every bad field (up to five). */
export function validateScenario(raw: unknown, file: string): Scenario {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(messages.inField(file, undefined, 'expected a mapping of scenario fields at the top level'), { file });
  }
  return parseOrThrow(ScenarioSchema, raw, file) as Scenario;
}

/** Parse with a zod schema; on failure an InputError naming the file and each bad field path. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, file: string, prefix: string[] = []): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const lines = flatten(r.error.issues as unknown as Issue[], prefix);
  const shown = lines.slice(0, 5).map(({ path, message }) => messages.inField(undefined, path || undefined, message));
  const more = lines.length > 5 ? ` (and ${lines.length - 5} more)` : '';
  throw new InputError(`${file}: ${shown.join('; ')}${more}`, { file, path: lines[0]?.path });
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
  options?: unknown[];
  discriminator?: string;
}

function flatten(issues: Issue[], prefix: PropertyKey[]): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const iss of issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'invalid_union' && iss.discriminator !== undefined) {
      out.push({ path: path.join('.'), message: `expected one of ${(iss.options ?? []).map((o) => `"${String(o)}"`).join(', ')}` });
    } else if (iss.code === 'invalid_union' && iss.errors && iss.errors.length > 0) {
      // Report the branch whose shape matched (its errors are deeper than a type mismatch).
      const deep = iss.errors.filter((b) => !b.every((x) => x.code === 'invalid_type' && x.path.length === 0));
      if (deep.length > 0) out.push(...flatten(deep[0], path));
      else out.push({ path: path.join('.'), message: 'expected a netem-style string or a mapping of fields' });
    } else if (iss.code === 'unrecognized_keys') {
      out.push({ path: path.join('.'), message: `unknown field${iss.keys!.length > 1 ? 's' : ''} ${iss.keys!.map((k) => `"${k}"`).join(', ')}` });
    } else {
      out.push({ path: path.join('.'), message: iss.message.replace(/^Invalid input: /, '') });
    }
  }
  return out;
}

export interface Loaded {
  file: string;
  scenario: Scenario;
  overrides: Override[];
  /** The overridden parameters as output columns (unit in the name) with validated values. */
  params: Record<string, string | number | boolean>;
}

export function loadScenario(nameOrPath: string, sets: readonly string[] = []): Loaded {
  const file = resolveScenario(nameOrPath);
  const overrides = parseSets(sets);
  const raw = applyOverrides(readScenarioFile(file), overrides, file);
  const scenario = validateScenario(raw, file);
  return { file, scenario, overrides, params: paramsOf(scenario, overrides, schemaFor(scenario)) };
}

/** Column name and validated value of each overridden path (e.g. link.bandwidth_bps = 1e8). */
export function paramsOf(scenario: Scenario, overrides: readonly Override[], schema: z.ZodType = ScenarioSchema): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { path, text } of overrides) {
    let v: unknown = scenario;
    for (const k of path.split('.')) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k];
    const value = typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : text;
    out[columnName(path, unitAt(schema, path))] = value;
  }
  return out;
}
