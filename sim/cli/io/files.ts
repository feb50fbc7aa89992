// The files the CLI reads: the package's own (shipped scenarios, reference data, its version) and
// the user's (scenario and sweep files). Everything below the CLI gets text and names, never paths
// to open, so the core stays platform-neutral.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { InputError, byCloseness, closest, messages } from '../../errors.js';
import { parseSets } from '../../../scenarios/load.js';
import { load, read, type Loaded } from '../../pipeline/index.js';
import { readRegular, readRegularText } from './read.js';

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

/** Folders of shipped scenarios, in the order `vmsim scenarios` lists them. */
const SHIPPED_DIRS = ['isr', 'migration', 'edge', 'examples', 'cluster'];

export interface Shipped {
  name: string;
  file: string;
  kind: string;
  description: string;
}

/** Every shipped scenario with its kind and description (read, not validated). */
export function shippedScenarios(): Shipped[] {
  const root = join(packageRoot(), 'scenarios');
  const out: Shipped[] = [];
  for (const d of SHIPPED_DIRS) {
    const dir = join(root, d);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
      const file = join(dir, f);
      let doc: Record<string, unknown> = {};
      try {
        doc = (YAML.parse(readText(file, 'scenario file')) ?? {}) as Record<string, unknown>;
      } catch {
        /* listed without a description; `validate` says what is wrong */
      }
      out.push({ name: f.slice(0, -'.yaml'.length), file, kind: String(doc.kind ?? '?'), description: String(doc.description ?? '').trim() });
    }
  }
  return out;
}

export interface Resolved {
  file: string;
  /** A note for the user when the name was ambiguous (a folder named like a shipped scenario). */
  note?: string;
}

/**
 * A scenario argument to a file: an existing file first (as a path from the working folder), then a
 * shipped scenario by name. A folder is never a scenario: if a shipped scenario has its name, that
 * one is meant, and the note says so.
 */
export function resolveScenario(arg: string, cwd: string): Resolved {
  if (typeof arg !== 'string' || arg.trim() === '') throw new InputError(messages.scenarioMissing());
  if (arg.includes('\0')) throw new InputError(messages.fileMissing(arg, []));
  const path = resolve(cwd, arg);
  let st;
  try {
    st = statSync(path);
  } catch {
    st = undefined;
  }
  if (st?.isFile()) return { file: path };
  // A FIFO or a device is named as what it is, not as a missing file (reading it says so).
  if (st !== undefined && !st.isDirectory()) readRegular(path, 'scenario file');
  const shipped = shippedScenarios();
  const hit = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(arg) ? shipped.find((s) => s.name === arg) : undefined;
  if (hit) return { file: hit.file, note: st?.isDirectory() ? messages.folderShadows(arg, relative(cwd, hit.file) || hit.file) : undefined };
  if (st?.isDirectory()) throw new InputError(messages.scenarioIsFolder(arg));
  throw new InputError(messages.fileMissing(arg, byCloseness(arg, shipped.map((s) => s.name)).slice(0, closest(arg, shipped.map((s) => s.name)) ? 1 : 0)));
}

/** A file's text, read as every file is (a regular file, at most the size its kind may be), or an InputError naming it. */
export function readText(file: string, what = 'file'): string {
  return readRegularText(file, what);
}

/** True when `path` lies inside `dir` (after resolving symbolic links where they exist). */
export function inside(path: string, dir: string): boolean {
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const rel = relative(real(dir), real(path));
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** A scenario by shipped name or path, read and validated with --set overrides. */
export function loadNamedScenario(arg: string, sets: readonly string[] = [], cwd = process.cwd()): Loaded & { note?: string; text: string } {
  const { file, note } = resolveScenario(arg, cwd);
  const text = readText(file, 'scenario file');
  return { ...load(read(file, text), parseSets(sets)), note, text };
}
