// Policies from the user's own files: `--policy-file ./mine.js`, `policy: ./mine.js` in a scenario
// or a variant, `--set policy=./mine.js,precopy`. A file is an ES module whose default export is a
// policy; it is imported here (the only place user code enters), checked like a built-in policy
// (sim/user-policy.ts) and added to the invocation's PolicySet under its own name and under the
// text that named it. Everything is loaded before any scenario is validated, so a bad file is an
// error naming it, exit 2, with nothing run or written. Sweep workers load the same files.
//
// A path in a scenario or sweep file is read from that file's folder; on the command line (and in
// the API's options) from the current folder.
import { statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError, VmsimError, messages } from '../errors.js';
import type { TransferPolicy } from '../policy.js';
import { PolicySet } from '../policy-set.js';
import { checkPolicy, isPolicyPath } from '../user-policy.js';
import { parseAxis } from '../experiment/grid.js';
import { readText, resolveScenario } from './io/files.js';
import { checkRegular } from './io/read.js';
import type { Override } from '../../scenarios/load.js';
import { load, read, type Loaded } from '../pipeline/index.js';

const MODULE = ['.js', '.mjs', '.cjs'];
const TYPESCRIPT = ['.ts', '.mts', '.cts'];

/** Import a policy file (an absolute path) and check its default export. */
export async function loadPolicyFile(file: string): Promise<TransferPolicy> {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new InputError(messages.fileUnreadable(file, 'no such policy file'), { file });
  }
  if (!st.isDirectory()) checkRegular(file, 'policy file');
  if (!st.isFile()) throw new InputError(messages.fileUnreadable(file, st.isDirectory() ? 'it is a folder, not a policy file' : 'not a regular file'), { file });
  const ext = extname(file).toLowerCase();
  if (!MODULE.includes(ext) && !TYPESCRIPT.includes(ext)) throw new InputError(messages.policyFileType(file), { file });
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
}

/** Load every referenced file once (by absolute path) into a set of the built-in policies and those. */
export async function loadPolicyRefs(refs: readonly PolicyRef[], set = new PolicySet()): Promise<PolicySet> {
  const loaded = new Map<string, TransferPolicy>();
  for (const ref of refs) {
    const file = resolve(ref.base, ref.text);
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

/**
 * Policy file references in a scenario (or sweep) document: its `policy` and each variant's, read
 * from `base`, except those that an override in `overridden` replaces.
 */
export function documentRefs(doc: unknown, base: string, overridden: readonly string[] = []): PolicyRef[] {
  if (doc === null || typeof doc !== 'object') return [];
  const d = doc as { policy?: unknown; variants?: unknown };
  const out: PolicyRef[] = [];
  if (typeof d.policy === 'string' && isPolicyPath(d.policy) && !replaces(overridden, 'policy')) out.push({ text: d.policy, base });
  if (d.variants !== null && typeof d.variants === 'object') {
    for (const [name, v] of Object.entries(d.variants)) {
      const p = v !== null && typeof v === 'object' ? (v as { policy?: unknown }).policy : undefined;
      if (typeof p === 'string' && isPolicyPath(p) && !replaces(overridden, `variants.${name}.policy`)) out.push({ text: p, base });
    }
  }
  return out;
}

/** References among override values: `policy` (a value, or an axis of values) and `variants.X.policy`. */
export function overrideRefs(path: string, values: readonly string[], base: string): PolicyRef[] {
  if (path !== 'policy' && !VARIANT_POLICY.test(path)) return [];
  return values.filter(isPolicyPath).map((text) => ({ text, base }));
}

/** The values of a sweep axis as written (a YAML list's items, or the --set axis syntax split). */
export function axisValues(path: string, spec: string, literal?: readonly string[]): string[] {
  if (literal !== undefined) return [...literal];
  try {
    return parseAxis(path, spec, undefined).values.map(String);
  } catch {
    return []; // a bad axis is reported, with its own message, when the sweep is planned
  }
}

/** A scenario's folder: where the paths it holds are read from. */
export const folderOf = (file: string): string => dirname(file);

/** Everything of a sweep that may name policy files. */
export interface SweepPolicySources {
  /** The scenario file and its parsed document. */
  scenarioFile: string;
  doc: unknown;
  /** The sweep's axes, each with the folder its values are read from. */
  axes: ReadonlyArray<{ path: string; spec: string; literal?: readonly string[]; base: string }>;
  /** Variants declared in a sweep file (they replace the scenario's of the same name), and its folder. */
  variants?: { doc: Record<string, unknown>; base: string };
  /** Files named directly (`--policy-file`, the API's `policies`). */
  files?: readonly PolicyRef[];
}

/** Load every policy file a sweep names into a set (a copy of `start`, or the built-in policies). */
export async function sweepPolicySet(src: SweepPolicySources, start?: PolicySet): Promise<PolicySet> {
  const axisPaths = src.axes.map((a) => a.path);
  const replacedVariants = Object.keys(src.variants?.doc ?? {}).map((n) => `variants.${n}`);
  const refs = [
    ...documentRefs(src.doc, folderOf(src.scenarioFile), [...axisPaths, ...replacedVariants]),
    ...(src.variants ? documentRefs({ variants: src.variants.doc }, src.variants.base, axisPaths) : []),
    ...src.axes.flatMap((a) => overrideRefs(a.path, axisValues(a.path, a.spec, a.literal), a.base)),
    ...(src.files ?? []),
  ];
  return loadPolicyRefs(refs, start?.copy());
}

/**
 * A scenario by shipped name or path, read (once) and validated with overrides, its policies those
 * that it, its overrides and `files` (flags: --policy-file, a --policy that is a path) name, loaded first.
 */
export async function loadScenarioAndPolicies(arg: string, overrides: readonly Override[], cwd: string, files: readonly string[] = []): Promise<Loaded & { note?: string; text: string }> {
  const { file, note } = resolveScenario(arg, cwd);
  const source = read(file, readText(file, 'scenario file'));
  const refs = [
    ...documentRefs(source.doc, folderOf(file), overrides.map((o) => o.path)),
    ...overrides.flatMap((o) => overrideRefs(o.path, [o.text], cwd)),
    ...files.map((text) => ({ text, base: cwd })),
  ];
  const policies = await loadPolicyRefs(refs);
  return { ...load(source, overrides, policies), note, text: source.text };
}
