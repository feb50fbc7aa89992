// Where outputs go, and how they get there without ever leaving a mix.
//
// Destinations are checked before any work (checkOutDir, checkOutFile): a command that would fail
// to write fails at once, with exit 2 and what is wrong, never after a long sweep.
//
// A set of files (runs.csv, its tables, charts, a report) is written as a whole: the new set and
// whatever else the folder held are built in a sibling staging folder, which then replaces the
// folder (two renames). A reader sees the old set or the new one, never a mix; a killed writer
// leaves `DIR.vmsim-new-PID` / `DIR.vmsim-old-PID` siblings that the next write into DIR finishes
// or removes. A single file (a shard, a trace, a schema) is written under `NAME.vmsim-tmp-PID`
// beside it and renamed.
import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeSync,
  accessSync,
  constants,
  mkdtempSync,
  realpathSync,
  rmdirSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError, messages } from '../../errors.js';
import type { OutputFile } from '../../pipeline/index.js';
import { guarded } from './failure.js';


/** Subfolders a vmsim output folder may hold. */
const OWN_FOLDERS = new Set(['charts', 'tables', 'scenarios']);
const SAFE_REL = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)?$/;
const DEBRIS = /^(.*)\.vmsim-(new|old|tmp)-(\d+)$/;
/** A folder holding more entries than this is not an output folder someone meant to replace. */
const MAX_ENTRIES = 100_000;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Where an output path leads: a symbolic link (as the path's last part) is followed to the folder or
 * file it names, which is what gets replaced; the user's link stays a link. A link to nothing leads
 * to where it points, which is created.
 */
export function followLinks(abs: string, flag = '--out', shown = abs): string {
  let cur = abs;
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = lstatSync(cur);
    } catch {
      return cur;
    }
    if (!st.isSymbolicLink()) return cur;
    cur = resolve(dirname(cur), readlinkSync(cur));
  }
  throw new InputError(messages.outLinkLoop(flag, shown));
}

/** Where a file inside an output folder really goes: links followed for the folder (a shard in a linked sweep folder) and the file. */
function fileTarget(abs: string): string {
  return followLinks(join(followLinks(dirname(abs)), basename(abs)));
}

/** A path with its links resolved as far as it exists (to compare where two paths really are). */
function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const up = dirname(p);
    return up === p ? p : join(real(up), basename(p));
  }
}

/** Common checks of a path the user gave for output. */
function checkPathText(path: string, flag: string): void {
  if (typeof path !== 'string' || path.trim() === '') throw new InputError(messages.outEmpty(flag));
  if (path.includes('\0')) throw new InputError(messages.outBad(flag, path, 'it contains a NUL character'));
  const abs = resolve(path);
  if (Buffer.byteLength(abs) > 4000) throw new InputError(messages.outBad(flag, path, 'the path is longer than the system allows (4096 bytes)'));
  for (const part of abs.split(sep)) {
    if (Buffer.byteLength(part) > 255) throw new InputError(messages.outBad(flag, path, `a folder or file name in it is longer than 255 bytes`));
  }
}

/** The nearest folder that exists at or above `abs`; it must be a folder we may write into. */
function writableAncestor(abs: string, flag: string, shown: string): string {
  let cur = abs;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch {
      const up = dirname(cur);
      if (up === cur) throw new InputError(messages.outBad(flag, shown, 'no folder above it exists'));
      cur = up;
      continue;
    }
    if (!st.isDirectory()) throw new InputError(messages.outBad(flag, shown, `${cur} is a file, not a folder`));
    // A real probe: permissions, a read-only mount or a special file system all show here.
    try {
      accessSync(cur, constants.W_OK | constants.X_OK);
      rmdirSync(mkdtempSync(join(cur, '.vmsim-probe-')));
    } catch (e) {
      throw new InputError(messages.outBad(flag, shown, `cannot write in ${cur} (${(e as NodeJS.ErrnoException).code ?? 'denied'})`));
    }
    return cur;
  }
}

/** What an existing folder holds that vmsim would not replace (the first such entry), if anything. */
function foreignEntry(dir: string): string | undefined {
  let count = 0;
  const walk = (d: string, depth: number): string | undefined => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      if (++count > MAX_ENTRIES) return `more than ${MAX_ENTRIES} entries`;
      const rel = relative(dir, join(d, ent.name));
      if (ent.isFile() || ent.isSymbolicLink()) continue;
      if (ent.isDirectory() && depth === 0 && OWN_FOLDERS.has(ent.name)) {
        const inner = walk(join(d, ent.name), 1);
        if (inner !== undefined) return inner;
        continue;
      }
      return ent.isDirectory() ? `${rel}/` : rel;
    }
    return undefined;
  };
  return walk(dir, 0);
}

/**
 * Check an output folder before any work and return its absolute path. It may not exist yet; if it
 * does, it must be a folder holding only files (and vmsim's charts/, tables/ and scenarios/), since the whole
 * folder is replaced by the new one; never the working folder or one above it.
 */
export function checkOutDir(path: string, cwd: string, flag = '--out'): string {
  checkPathText(path, flag);
  const abs = resolve(cwd, path);
  const shown = path;
  // Where the outputs really go: a link to the current folder is refused like the folder itself.
  const target = real(followLinks(abs, flag, shown));
  for (const [p, here] of [[abs, resolve(cwd)], [target, real(cwd)]]) {
    const up = relative(p, here);
    if (up === '' || (up !== '..' && !up.startsWith(`..${sep}`) && !isAbsolute(up))) {
      throw new InputError(messages.outBad(flag, shown, 'it is the current folder or one above it; outputs replace the folder as a whole, so name a folder of their own, e.g. out/NAME'));
    }
  }
  let st;
  try {
    st = statSync(target);
  } catch {
    st = undefined;
  }
  if (st !== undefined) {
    if (!st.isDirectory()) throw new InputError(messages.outBad(flag, shown, 'it exists and is not a folder'));
    const foreign = foreignEntry(target);
    if (foreign !== undefined) throw new InputError(messages.outBad(flag, shown, `it holds ${foreign}, which is not a vmsim output; outputs replace the folder as a whole, so name a new or empty folder`));
  }
  writableAncestor(dirname(target), flag, shown);
  return abs;
}

/** Check an output file path (a trace, a schema) before any work; return its absolute path. */
export function checkOutFile(path: string, cwd: string, flag: string): string {
  checkPathText(path, flag);
  const abs = resolve(cwd, path);
  const target = followLinks(join(followLinks(dirname(abs), flag, path), basename(abs)), flag, path);
  let st;
  try {
    st = lstatSync(target);
  } catch {
    st = undefined;
  }
  if (st !== undefined && st.isDirectory()) throw new InputError(messages.outBad(flag, path, 'it is a folder; name a file'));
  if (st !== undefined && !st.isFile()) throw new InputError(messages.outBad(flag, path, 'it exists and is not a regular file'));
  writableAncestor(dirname(target), flag, path);
  return abs;
}

/** Finish or remove what killed writers left beside `target` (a folder or a file). */
export function recover(target: string): void {
  const parent = dirname(target);
  const base = basename(target);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  const mine = names
    .map((n) => ({ n, m: DEBRIS.exec(n) }))
    .filter((x) => x.m !== null && x.m[1] === base && !alive(Number(x.m[3])))
    .map((x) => ({ path: join(parent, x.n), kind: x.m![2], pid: x.m![3] }));
  if (!existsSync(target)) {
    // Killed between the two renames of a swap: the new folder is complete, so finish the swap.
    const done = mine.find((d) => d.kind === 'new' && mine.some((o) => o.kind === 'old' && o.pid === d.pid));
    if (done) renameSync(done.path, target);
  }
  for (const d of mine) if (existsSync(d.path)) rmSync(d.path, { recursive: true, force: true });
}

/** Copy `from` into `to` by hard links (the files stay the very same files), copies where links fail. */
function carry(from: string, to: string): void {
  const st = lstatSync(from);
  if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
  else if (st.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const n of readdirSync(from)) carry(join(from, n), join(to, n));
  } else {
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  }
}

function writeFileSyncDurable(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    const buf = typeof content === 'string' ? Buffer.from(content) : content;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write a set of files into `dir` as a whole. Files of the folder that the set does not name are
 * kept, except those in `drop` (stale outputs of another kind of run, e.g. a partial sweep's).
 * Returns the paths written.
 */
export function writeSet(dir: string, files: readonly OutputFile[], drop: readonly string[] = []): string[] {
  for (const f of files) if (!SAFE_REL.test(f.name)) throw new Error(`unsafe output name "${f.name}"`);
  const abs = followLinks(resolve(dir));
  guarded('write', dir, existsSync(abs), () => swapIn(abs, files, drop));
  return files.map((f) => join(dir, f.name));
}

/** Build the new set beside `abs` (a real folder or none yet) and swap it in with two renames. */
function swapIn(abs: string, files: readonly OutputFile[], drop: readonly string[]): void {
  mkdirSync(dirname(abs), { recursive: true });
  recover(abs);
  const staging = `${abs}.vmsim-new-${process.pid}`;
  const old = `${abs}.vmsim-old-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    mkdirSync(staging);
    const names = new Set(files.map((f) => f.name));
    const skip = new Set([...names, ...drop]);
    if (existsSync(abs)) {
      for (const n of readdirSync(abs)) {
        if (skip.has(n)) continue;
        if (OWN_FOLDERS.has(n) && lstatSync(join(abs, n)).isDirectory()) {
          mkdirSync(join(staging, n), { recursive: true });
          for (const m of readdirSync(join(abs, n))) if (!skip.has(`${n}/${m}`)) carry(join(abs, n, m), join(staging, n, m));
        } else carry(join(abs, n), join(staging, n));
      }
    }
    for (const f of files) {
      const p = join(staging, f.name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSyncDurable(p, f.content);
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(abs)) {
    renameSync(abs, old);
    renameSync(staging, abs);
    rmSync(old, { recursive: true, force: true });
  } else {
    renameSync(staging, abs);
  }
}

/** Write one file: under a temporary name beside it, then renamed into place. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const abs = fileTarget(resolve(path));
  guarded('write', path, existsSync(abs), () => {
    mkdirSync(dirname(abs), { recursive: true });
    recover(abs);
    const tmp = `${abs}.vmsim-tmp-${process.pid}`;
    try {
      writeFileSyncDurable(tmp, content);
      renameSync(tmp, abs);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  });
}

/**
 * A line-by-line file (a trace) that appears under its name only when committed. It grows beside
 * its final name (never in the system's temporary folder, which may be elsewhere or missing), in
 * chunks, so a long trace does not sit in memory.
 */
export class PendingFile {
  private readonly tmp: string;
  /** Where it goes: a link named as the path is followed, so the link stays. */
  private readonly target: string;
  private fd: number | null = null;
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly path: string) {
    this.target = fileTarget(resolve(path));
    this.tmp = `${this.target}.vmsim-tmp-${process.pid}`;
  }
  write(line: string): void {
    this.buf.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) guarded('write', this.path, false, () => this.flush());
  }
  private flush(): void {
    if (this.fd === null) {
      mkdirSync(dirname(this.tmp), { recursive: true });
      recover(this.target);
      this.fd = openSync(this.tmp, 'w');
    }
    const b = Buffer.from(this.buf.join(''));
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
    this.buf = [];
    this.size = 0;
  }
  commit(): void {
    guarded('write', this.path, false, () => {
      this.flush();
      closeSync(this.fd!);
      this.fd = null;
      renameSync(this.tmp, this.target);
    });
  }
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.buf = [];
    rmSync(this.tmp, { force: true });
  }
}
