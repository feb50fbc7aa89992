// Policies from the user's own files: `--policy-file ./mine.js`, `policy: ./mine.js` in a scenario
// or a variant, `--set policy=./mine.js,precopy`. A file is an ES module whose default export is a
// policy; it is imported here (the only place user code enters), checked like a built-in policy
// (sim/user-policy.ts) and added to the invocation's PolicySet under its own name and under the
// text that named it. Sweep workers load the same files.
//
// Code runs only when asked (docs/security.md): a file is imported only after the scenario (and the
// sweep, its axes and their values) validated without it, only when a run uses it (never for a
// variant that is not run, never by `vmsim validate`), and a scenario or sweep file may name only
// code in its own folder tree (checked on the real path, so a link cannot lead out of it). The
// command line (--policy-file, --policy, --set policy=) and the API name code from anywhere: that
// is the user asking.
//
// A path in a scenario or sweep file is read from that file's folder; on the command line (and in
// the API's options) from the current folder.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, VmsimError, messages } from '../errors.js';
import type { TransferPolicy } from '../policy.js';
import { PolicySet } from '../policy-set.js';
import { checkPolicy, isPolicyPath } from '../user-policy.js';
import { parseAxis } from '../experiment/grid.js';
import { unitAt } from '../fields.js';
import { readText, resolveScenario } from './io/files.js';
import { checkRegular } from './io/read.js';
import { schemaFor, textOverride, type Override } from '../../scenarios/load.js';
import { load, read, type Loaded } from '../pipeline/index.js';

const MODULE = ['.js', '.mjs', '.cjs'];
const TYPESCRIPT = ['.ts', '.mts', '.cts'];

/** sha256 of each policy file's content as it was loaded, by absolute path (shards record them). */
const hashes = new Map<string, string>();

/** The sha256 of a loaded policy file's content (read when it was loaded). */
export function policyFileHash(file: string): string | undefined {
  return hashes.get(file);
}

/** Check that a policy file exists, is a regular file and is a module by its extension, without reading it. */
export function checkPolicyPath(file: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new InputError(messages.fileUnreadable(file, 'no such policy file'), { file });
  }
  if (!st.isDirectory()) checkRegular(file, 'policy file');
  if (!st.isFile()) throw new InputError(messages.fileUnreadable(file, st.isDirectory() ? 'it is a folder, not a policy file' : 'not a regular file'), { file });
  if (!MODULE.includes(extname(file).toLowerCase()) && !TYPESCRIPT.includes(extname(file).toLowerCase())) throw new InputError(messages.policyFileType(file), { file });
}

/** Import a policy file (an absolute path) and check its default export: its code runs here. */
export async function loadPolicyFile(file: string): Promise<TransferPolicy> {
  checkPolicyPath(file);
  const ext = extname(file).toLowerCase();
  hashes.set(file, createHash('sha256').update(readFileSync(file)).digest('hex'));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw loadError(e, file, ext);
  }
  if (mod.default === undefined) throw new InputError(messages.noPolicyExport(file, Object.keys(mod).filter((k) => k !== 'default')), { file });
  return checkPolicy(mod.default, file);
}

function loadError(e: unknown, file: string, ext: string): InputError {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && TYPESCRIPT.includes(ext)) return new InputError(messages.policyFileTypeScript(file, process.versions.node), { file });
  if (/\b(module|require|exports) is not defined\b/.test(err.message)) return new InputError(messages.policyFileCommonJs(file, err.message), { file });
  let detail = err instanceof VmsimError ? err.message : `${err.name}: ${err.message.split('\n')[0]}`;
  if (code === 'ERR_MODULE_NOT_FOUND' && /['"]vmsim['"]/.test(err.message)) detail += ' (install vmsim where the file can find it: npm install vmsim, or npm link vmsim, in its folder; docs/cli.md: Using vmsim outside its clone)';
  else if (!(err instanceof SyntaxError) && code === undefined) detail = `it threw while loading: ${detail}`;
  return new InputError(messages.policyFileLoad(file, detail), { file });
}

/** A reference to a policy file: the text as written and the folder it is read from. */
export interface PolicyRef {
  text: string;
  base: string;
  /** Set when a scenario or sweep file named it (where, for messages): it must lie in `base`'s folder tree. */
  confined?: string;
}

const inside = (folder: string, path: string): boolean => {
  const r = relative(folder, path);
  return r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
};

const realOr = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined; // a missing file is reported, naming it, when it is checked or loaded
  }
};

/**
 * The absolute path of a reference. One a scenario or sweep file named must stay in that file's
 * folder tree, as written and as the real path (a link, or a linked folder, may not lead out).
 */
export function refPath(ref: PolicyRef): string {
  const file = resolve(ref.base, ref.text);
  if (ref.confined === undefined) return file;
  const refuse = (why: string): never => {
    throw new InputError(messages.policyOutsideFolder(ref.confined!, ref.text, ref.base, why), { file: ref.confined });
  };
  if (isAbsolute(ref.text)) refuse('it is an absolute path');
  if (!inside(ref.base, file)) refuse('it climbs out of that folder');
  const real = realOr(file);
  if (real !== undefined && !inside(realOr(ref.base) ?? ref.base, real)) refuse(`it leads, through a link, to ${real}`);
  return file;
}

/**
 * Load every referenced file once (by absolute path) into a set of the built-in policies and those.
 * Every reference is checked before the first file is imported.
 */
export async function loadPolicyRefs(refs: readonly PolicyRef[], set = new PolicySet()): Promise<PolicySet> {
  const files = refs.map(refPath);
  const loaded = new Map<string, TransferPolicy>();
  for (const [i, ref] of refs.entries()) {
    const file = files[i];
    let policy = loaded.get(file);
    if (policy === undefined) {
      policy = await loadPolicyFile(file);
      loaded.set(file, policy);
    }
    set.addFile(policy, file, [ref.text]);
  }
  return set;
}

/** Load the files a sweep worker was given (absolute paths, already checked in the main thread). */
export async function loadPolicySet(files: readonly string[]): Promise<PolicySet> {
  return loadPolicyRefs(files.map((f) => ({ text: f, base: '/' })));
}

const VARIANT_POLICY = /^variants\.([^.]+)\.policy$/;

/** Whether an override path replaces the document's policy reference at `path` (policy, variants.X.policy). */
const replaces = (overridden: readonly string[], path: string): boolean => overridden.some((o) => path === o || path.startsWith(`${o}.`));

/** A scenario's folder: where the paths it holds are read from. */
export const folderOf = (file: string): string => dirname(file);

type Doc = { policy?: unknown; variant?: unknown; variants?: unknown };

/** The variant of this name in a document's variants, if declared (own keys only). */
function variantIn(variants: unknown, name: string): { policy?: unknown } | undefined {
  if (variants === null || typeof variants !== 'object' || !Object.hasOwn(variants, name)) return undefined;
  const v = (variants as Record<string, unknown>)[name];
  return v !== null && typeof v === 'object' ? (v as { policy?: unknown }) : undefined;
}

/**
 * Policy file references in a scenario document: its `policy` and each variant's, read from its
 * folder (and confined to it), except those that an override in `overridden` replaces. The API's
 * loadScenarioFile loads them all (the caller asked for the scenario's policies).
 */
export function documentRefs(doc: unknown, file: string, overridden: readonly string[] = []): PolicyRef[] {
  if (doc === null || typeof doc !== 'object') return [];
  const d = doc as Doc;
  const base = folderOf(file);
  const out: PolicyRef[] = [];
  if (typeof d.policy === 'string' && isPolicyPath(d.policy) && !replaces(overridden, 'policy')) out.push({ text: d.policy, base, confined: `${file}, field policy` });
  for (const name of d.variants !== null && typeof d.variants === 'object' ? Object.keys(d.variants) : []) {
    const p = variantIn(d.variants, name)?.policy;
    const field = `variants.${name}.policy`;
    if (typeof p === 'string' && isPolicyPath(p) && !replaces(overridden, field)) out.push({ text: p, base, confined: `${file}, field ${field}` });
  }
  return out;
}

/** References among override values: `policy` (a value, or an axis of values) and `variants.X.policy`. */
export function overrideRefs(path: string, values: readonly string[], base: string, confined?: string): PolicyRef[] {
  if (path !== 'policy' && !VARIANT_POLICY.test(path)) return [];
  return values.filter(isPolicyPath).map((text) => ({ text, base, ...(confined === undefined ? {} : { confined }) }));
}

/**
 * The policy file a run of a validated scenario uses, if its policy is a file: the one a flag
 * names (--policy-file, or a --policy that is a path; from the current folder, anywhere), else the chosen variant's, else the
 * scenario's. Never another variant's: a variant that is not run runs no code.
 */
export function chosenRef(loaded: Pick<Loaded, 'file' | 'scenario' | 'overrides'>, flags: { policy?: string; file?: string }, cwd: string): PolicyRef | undefined {
  if (flags.file !== undefined) return { text: flags.file, base: cwd };
  if (flags.policy !== undefined) return isPolicyPath(flags.policy) ? { text: flags.policy, base: cwd } : undefined;
  const { scenario, file } = loaded;
  const v = scenario.variant;
  const text = v === undefined ? scenario.policy : variantIn(scenario.variants, v)?.policy;
  const field = v === undefined ? 'policy' : `variants.${v}.policy`;
  if (typeof text !== 'string' || !isPolicyPath(text)) return undefined;
  // A value given with --set comes from the command line: read from the current folder.
  if (replaces(loaded.overrides.map((o) => o.path), field)) return { text, base: cwd };
  return { text, base: folderOf(file), confined: `${file}, field ${field}` };
}

/**
 * A scenario by shipped name or path, read and validated with the overrides before any code is
 * loaded; then the policy file its run uses (chosenRef), when `code` is set. Without it (validate)
 * that reference and every other the scenario holds are only checked (path, folder, file type).
 */
export async function loadForRun(arg: string, overrides: readonly Override[], cwd: string, flags: { policy?: string; file?: string }, code: boolean): Promise<{ loaded: Loaded; note?: string; ref?: PolicyRef }> {
  const { file, note } = resolveScenario(arg, cwd);
  const checked = load(read(file, readText(file, 'scenario file')), overrides);
  const ref = chosenRef(checked, flags, cwd);
  // validate checks, without loading, every file the scenario names (any variant may be run later).
  if (!code) for (const r of [...(ref ? [ref] : []), ...documentRefs(checked.raw, file, overrides.map((o) => o.path))]) checkPolicyPath(refPath(r));
  const loaded = code && ref !== undefined ? { ...checked, policies: await loadPolicyRefs([ref]) } : checked;
  return { loaded, note, ref };
}

/**
 * A scenario by shipped name or path, read (once) and validated with overrides, then its policies
 * loaded: those it names (in every variant: the API's caller asked for the scenario), its overrides
 * name and `files` name (from the current folder).
 */
export async function loadScenarioAndPolicies(arg: string, overrides: readonly Override[], cwd: string, files: readonly string[] = []): Promise<Loaded & { note?: string; text: string }> {
  const { file, note } = resolveScenario(arg, cwd);
  const source = read(file, readText(file, 'scenario file'));
  const checked = load(source, overrides);
  const refs = [
    ...documentRefs(source.doc, file, overrides.map((o) => o.path)),
    ...overrides.flatMap((o) => overrideRefs(o.path, [o.text], cwd)),
    ...files.map((text) => ({ text, base: cwd })),
  ];
  return { ...checked, policies: await loadPolicyRefs(refs), note, text: source.text };
}

/** Everything of a sweep that may name policy files. */
export interface SweepPolicySources {
  /** The scenario file and its parsed document. */
  scenarioFile: string;
  doc: unknown;
  /**
   * The sweep's axes, each with the folder its values are read from; `confined` when a sweep file
   * wrote it (its policy files must then lie in that file's folder tree).
   */
  axes: ReadonlyArray<{ path: string; spec: string; literal?: readonly string[]; given?: readonly unknown[]; base: string; confined?: boolean }>;
  /** Variants declared in a sweep file (they replace the scenario's of the same name), its folder and name. */
  variants?: { doc: Record<string, unknown>; base: string; file?: string };
  /** Files named directly (`--policy-file`, the API's `policies`). */
  files?: readonly PolicyRef[];
}

/** Axes whose values name code or its options: checked once the code is loaded, when the sweep is planned. */
const codeAxis = (path: string): boolean => path === 'policy' || path.startsWith('options.') || path.startsWith('variants.');

/**
 * Validate a sweep as far as it can be without code: the scenario (with a sweep file's variants),
 * every axis's syntax, and each value of every axis that names no code, with the first value of
 * the others. Returns each axis's values.
 */
function checkSweepWithoutCode(file: string, raw: unknown, axes: SweepPolicySources['axes']): string[][] {
  const schema = schemaFor(raw);
  // An option's unit is its policy's, known once the code is loaded: its axis is read when the
  // sweep is planned (only the policy and variant axes name files here).
  const values = axes.map((a) => (a.literal ? [...a.literal] : a.path.startsWith('options.') ? [a.spec] : parseAxis(a.path, a.spec, codeAxis(a.path) ? undefined : unitAt(schema, a.path)).values));
  const override = (i: number, k: number): Override => {
    const given = axes[i].given;
    return given === undefined ? textOverride(axes[i].path, values[i][k]) : { path: axes[i].path, text: values[i][k], value: given[k] };
  };
  const plain = axes.flatMap((a, i) => (codeAxis(a.path) ? [] : [i]));
  const first = plain.map((i) => override(i, 0));
  load({ file, doc: raw }, first);
  for (const [j, i] of plain.entries()) {
    for (let k = 1; k < values[i].length; k++) load({ file, doc: raw }, first.map((o, m) => (m === j ? override(i, k) : o)));
  }
  return values;
}

/**
 * The policy files a sweep's runs use: its policy (axis) when no variant is chosen, and the chosen
 * variants' (a variant axis, or the scenario's `variant`), never a variant that is not run.
 */
function sweepRefs(src: SweepPolicySources, raw: unknown, values: readonly string[][]): PolicyRef[] {
  const d = (raw ?? {}) as Doc;
  const paths = src.axes.map((a) => a.path);
  const where = (i: number): string | undefined => (src.axes[i].confined ? `${src.variants?.file ?? 'the sweep file'}, set: ${src.axes[i].path}` : undefined);
  const fromAxis = (i: number): PolicyRef[] => overrideRefs(paths[i], values[i], src.axes[i].base, where(i));
  const scenarioRef = (text: unknown, field: string): PolicyRef[] =>
    typeof text === 'string' && isPolicyPath(text) ? [{ text, base: folderOf(src.scenarioFile), confined: `${src.scenarioFile}, field ${field}` }] : [];
  const refs: PolicyRef[] = [...(src.files ?? [])];
  const variantAxis = paths.indexOf('variant');
  const chosen = variantAxis >= 0 ? values[variantAxis] : typeof d.variant === 'string' ? [d.variant] : [];
  if (chosen.length === 0) {
    const policyAxis = paths.indexOf('policy');
    // One --policy-file and no policy or variant axis: the sweep runs that file (commands/sweep.ts).
    if (policyAxis >= 0) refs.push(...fromAxis(policyAxis));
    else if (src.files?.length !== 1) refs.push(...scenarioRef(d.policy, 'policy'));
  }
  for (const name of new Set(chosen)) {
    const field = `variants.${name}.policy`;
    const axis = paths.indexOf(field);
    const v = src.variants ? variantIn(src.variants.doc, name) : undefined;
    if (axis >= 0) refs.push(...fromAxis(axis));
    else if (v !== undefined && typeof v.policy === 'string' && isPolicyPath(v.policy)) refs.push({ text: v.policy, base: src.variants!.base, confined: `${src.variants!.file ?? 'the sweep file'}, field ${field}` });
    else if (v === undefined) refs.push(...scenarioRef(variantIn(d.variants, name)?.policy, field));
  }
  return refs;
}

/**
 * Validate a sweep without code, then load the policy files its runs use into a set (a copy of
 * `start`, or the built-in policies). Planning then checks every point with the policies' options.
 */
export async function sweepPolicySet(src: SweepPolicySources, start?: PolicySet): Promise<PolicySet> {
  const doc = src.doc;
  const raw = src.variants === undefined || doc === null || typeof doc !== 'object' ? doc : { ...(doc as object), variants: { ...((doc as Doc).variants ?? {}), ...src.variants.doc } };
  const values = checkSweepWithoutCode(src.scenarioFile, raw, src.axes);
  return loadPolicyRefs(sweepRefs(src, raw, values), start?.copy());
}
