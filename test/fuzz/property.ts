// The front door's property, for fast-check: take a shipped scenario of each kind, mutate it (drop,
// duplicate and retype fields, swap units, extreme numbers, random strings, prototype keys), run it
// through the CLI in-process, and require: exit code 0, 2 or 4; no stack trace and no "internal
// error"; no raw escape sequence printed; nothing written on 2 or 4; everything inside the output
// folder on 0. Shared by test/fuzz/fuzz.test.ts (a fixed seed, a few hundred cases) and
// test/fuzz/run.ts (`npm run fuzz -- --runs N`).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { ROOT, vmsim, type CliResult } from '../helpers/cli.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

/** Shipped scenarios made small (the property is about input handling, not about big runs). */
const BASES: Array<{ file: string; shrink: Record<string, Json> }> = [
  { file: 'migration/stop-and-copy.yaml', shrink: { 'vm.memory': '4MiB', 'vm.working_set': [] } },
  { file: 'migration/precopy-qemu.yaml', shrink: { 'vm.memory': '8MiB', 'vm.working_set': [{ name: 'hot', size: '1MiB', rate: '2000 pages/s' }] } },
  { file: 'migration/precopy-xen.yaml', shrink: { 'vm.memory': '8MiB', 'vm.working_set': [{ name: 'hot', size: '1MiB', rate: '2000 pages/s' }] } },
  { file: 'migration/postcopy.yaml', shrink: { 'vm.memory': '8MiB', 'vm.working_set': [{ name: 'hot', size: '1MiB', rate: '2000 pages/s' }] } },
  { file: 'migration/hybrid.yaml', shrink: { 'vm.memory': '8MiB', 'vm.working_set': [{ name: 'hot', size: '1MiB', rate: '2000 pages/s' }] } },
  { file: 'migration/handoff.yaml', shrink: { 'vm.memory': '8MiB', 'vm.disk': { size: '16MiB', modified: '2%' }, 'vm.working_set': [] } },
  { file: 'isr/isr-2005.yaml', shrink: { trials: 1 } },
  { file: 'edge/synthesis.yaml', shrink: {} },
  { file: 'edge/vdi.yaml', shrink: { 'vm.memory': '8MiB', 'vm.working_set': [], duration: '300s' } },
  { file: 'edge/fork.yaml', shrink: { clones: 4, 'vm.memory': '64MiB', 'workload.working_set': '1MiB' } },
];

function setPath(doc: Record<string, Json>, path: string, v: Json): void {
  const keys = path.split('.');
  let node = doc as Record<string, Json>;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, Json>;
  node[keys[keys.length - 1]] = v;
}

export function bases(): Array<{ name: string; doc: Json }> {
  return BASES.map(({ file, shrink }) => {
    const doc = YAML.parse(readFileSync(join(ROOT, 'scenarios', file), 'utf8')) as Record<string, Json>;
    for (const [p, v] of Object.entries(shrink)) setPath(doc, p, v);
    return { name: file, doc };
  });
}

/** Every path into the document (objects, arrays and leaves). */
function paths(doc: Json, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (doc !== null && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...at, k]));
  return out;
}

const get = (doc: Json, p: Path): Json => p.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], doc);

const UNITS = ['B', 'KiB', 'MB', 'GiB', 'TB', 'bit/s', 'Mbit/s', 'kbps', 'Gbps', 'MB/s', 'ns', 'ms', 's', 'min', 'h', '%', 'pages/s', '', 'furlongs'];
const MAGNITUDES = ['0', '-1', '1e-300', '1e300', '1e18', '4294967296', '9007199254740993', '0.5', '1e6', 'NaN', 'Infinity', '1e-9', '2'];
const SPECIAL = ['', ' ', '../../../tmp/x', '..', '/etc/passwd', '=HYPERLINK("http://x")', '@SUM(1)', '\u001b]0;pwned\u0007', '\u001b[2J', 'a\u0000b', '!evil x', '${x}', '<script>x</script>', 'x'.repeat(300)];
const KEYS = ['__proto__', 'constructor', 'prototype', 'extra', 'bandwith', 'Memory', ''];

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, 2 ** 53, 0.1, [], {}),
  fc.integer(),
  fc.double(),
  fc.constantFrom(...SPECIAL),
  fc.string({ maxLength: 12 }),
  fc.tuple(fc.constantFrom(...MAGNITUDES), fc.constantFrom(...UNITS)).map(([m, u]) => `${m}${u}`),
);

/** One mutation of a document, as a function of the paths it can pick from. */
type Mutation = (doc: Json, pick: (n: number) => number) => Json;

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  // drop a field or an element
  fc.constant<Mutation>((doc, pick) => {
    const ps = paths(doc).filter((p) => p.length > 0);
    if (ps.length === 0) return doc;
    const p = ps[pick(ps.length)];
    const parent = get(doc, p.slice(0, -1)) as Record<string | number, Json>;
    if (Array.isArray(parent)) parent.splice(p[p.length - 1] as number, 1);
    else delete parent[p[p.length - 1]];
    return doc;
  }),
  // duplicate: one field's value put at another path
  fc.constant<Mutation>((doc, pick) => {
    const ps = paths(doc).filter((p) => p.length > 0);
    if (ps.length < 2) return doc;
    const from = ps[pick(ps.length)];
    const to = ps[pick(ps.length)];
    if (to.length <= from.length && from.slice(0, to.length).every((k, i) => k === to[i])) return doc;
    (get(doc, to.slice(0, -1)) as Record<string | number, Json>)[to[to.length - 1]] = structuredClone(get(doc, from));
    return doc;
  }),
  // retype or replace a value (random, extreme, special)
  scalar.map<Mutation>((v) => (doc, pick) => {
    const ps = paths(doc).filter((p) => p.length > 0);
    if (ps.length === 0) return v;
    const p = ps[pick(ps.length)];
    (get(doc, p.slice(0, -1)) as Record<string | number, Json>)[p[p.length - 1]] = structuredClone(v);
    return doc;
  }),
  // swap the unit of a quantity, or give it an extreme magnitude
  fc.tuple(fc.constantFrom(...UNITS), fc.constantFrom(...MAGNITUDES), fc.boolean()).map<Mutation>(([unit, mag, swapUnit]) => (doc, pick) => {
    const ps = paths(doc).filter((p) => typeof get(doc, p) === 'string' && /^-?[\d.]/.test(get(doc, p) as string));
    if (ps.length === 0) return doc;
    const p = ps[pick(ps.length)];
    const text = get(doc, p) as string;
    const m = /^(-?[\d.eE+-]+)\s*(.*)$/.exec(text);
    const next = swapUnit ? `${m?.[1] ?? '1'}${unit}` : `${mag}${m?.[2] ?? ''}`;
    (get(doc, p.slice(0, -1)) as Record<string | number, Json>)[p[p.length - 1]] = next;
    return doc;
  }),
  // a new key (prototype keys, typos, empty) in some mapping
  fc.tuple(fc.constantFrom(...KEYS), scalar).map<Mutation>(([key, v]) => (doc, pick) => {
    const ps = paths(doc).filter((p) => { const n = get(doc, p); return n !== null && typeof n === 'object' && !Array.isArray(n); });
    const p = ps[pick(ps.length)];
    Object.defineProperty(get(doc, p), key, { value: structuredClone(v), enumerable: true, writable: true, configurable: true });
    return doc;
  }),
);

export const scenarioCase = fc.record({
  base: fc.nat(BASES.length - 1),
  mutations: fc.array(fc.tuple(mutations, fc.array(fc.nat(), { minLength: 4, maxLength: 4 })), { minLength: 1, maxLength: 3 }),
  command: fc.constantFrom('run', 'run', 'run', 'validate'),
});

export type ScenarioCase = typeof scenarioCase extends fc.Arbitrary<infer T> ? T : never;

/** The mutated scenario's text. */
export function mutated(c: ScenarioCase): string {
  let doc = structuredClone(bases()[c.base].doc);
  for (const [m, seeds] of c.mutations) {
    let i = 0;
    doc = m(doc, (n) => (n <= 0 ? 0 : seeds[i++ % seeds.length] % n));
  }
  return YAML.stringify(doc);
}

/** Files under dir (relative paths). */
function listAll(dir: string, at = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(join(dir, at), { withFileTypes: true })) {
    const rel = at ? `${at}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(`${rel}/`, ...listAll(dir, rel));
    else out.push(rel);
  }
  return out;
}

/** Run one case and check the property; throws (with what was run) when it does not hold. */
export async function check(c: ScenarioCase): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'vmsim-fuzz-'));
  try {
    const file = join(dir, 'scenario.yaml');
    const text = mutated(c);
    writeFileSync(file, text);
    // Bounded so a case costs at most a few seconds: the limits are checked like any field.
    const args = [c.command, file, '--set', 'limits.max_wall=3s', '--set', 'limits.max_memory=256MiB', ...(c.command === 'run' ? ['--out', 'out', '--quiet'] : [])];
    const r: CliResult = await vmsim(args, dir);
    const fail = (why: string): never => {
      throw new Error(`${why}\nexit ${r.code}\nstderr: ${r.stderr}\nscenario:\n${text}`);
    };
    if (![0, 2, 4].includes(r.code ?? -1)) fail('exit code not in {0, 2, 4}');
    if (/\n\s+at |internal error/.test(r.stderr)) fail('a stack trace or an internal error');
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stderr + r.stdout)) fail('a raw control character was printed');
    const files = listAll(dir).filter((f) => f !== 'scenario.yaml');
    if (r.code !== 0 && files.length > 0) fail(`exit ${r.code} but wrote ${files.join(', ')}`);
    if (r.code === 0 && c.command === 'run') {
      const outside = files.filter((f) => !f.startsWith('out/'));
      if (outside.length > 0) fail(`wrote outside the output folder: ${outside.join(', ')}`);
      if (!files.includes('out/runs.csv')) fail('exit 0 without out/runs.csv');
    }
    return r.code!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
