// The one way the CLI reads a file: it must be a regular file (a FIFO would block forever, a device
// such as /dev/zero never ends) and at most the size its kind may be, and no more than that is ever
// read, whatever the file claims or does while we read it.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { InputError, fmtBytes, messages } from '../../errors.js';
import { MAX_TEXT_BYTES } from '../../pipeline/bounds.js';
import { environmentError, isEnvironmentCode } from './failure.js';

const MiB = 1024 * 1024;

/** What each kind of file may weigh. A shard holds every record of its share of a sweep. */
export const MAX_BYTES: Readonly<Record<string, number>> = {
  'scenario file': MAX_TEXT_BYTES,
  'sweep file': MAX_TEXT_BYTES,
  'shard file': 256 * MiB,
  'reference file': 16 * MiB,
  'policy file': 16 * MiB,
  'package file': 16 * MiB,
  'transcript file': 4 * MiB,
};
const DEFAULT_MAX = 16 * MiB;

/** What a file that is not a regular one is, in words. */
function nature(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'a special file';
}

/** The path as given, and where a link leads when it leads elsewhere. */
function shown(file: string): string {
  try {
    const real = realpathSync(file);
    return real === file ? file : `${file} (a link to ${real})`;
  } catch {
    return file;
  }
}

/** Why a file cannot be opened, as the user named it (exit 2), or an environment failure (exit 5). */
function openFailure(e: NodeJS.ErrnoException, file: string, kind: string): Error {
  const code = e.code ?? '';
  if (code === 'ENOENT') return new InputError(messages.fileUnreadable(file, `no such ${kind}`), { file });
  if (code === 'EISDIR') return new InputError(messages.notRegularFile(file, 'a folder'), { file });
  if (code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG' || code === 'EACCES' || code === 'EPERM') {
    return new InputError(messages.fileUnreadable(file, code === 'EACCES' || code === 'EPERM' ? `permission denied (${code})` : code), { file });
  }
  if (code === 'ENXIO' || code === 'EOPNOTSUPP') {
    try {
      return new InputError(messages.notRegularFile(shown(file), nature(statSync(file))), { file });
    } catch {
      /* gone meanwhile: say what open said */
    }
  }
  if (isEnvironmentCode(code)) return environmentError(e, 'read', file, false);
  return new InputError(messages.fileUnreadable(file, code || e.message), { file });
}

/**
 * A regular file's bytes, at most MAX_BYTES[kind]. Opened without blocking (a FIFO put in place
 * between a check and the open cannot hang us), checked on the open descriptor, read to at most
 * one byte past the cap (a file that grows, or /proc's files that claim size 0, are caught too).
 */
export function readRegular(file: string, kind = 'file'): Buffer {
  const cap = MAX_BYTES[kind] ?? DEFAULT_MAX;
  const fd = openRegular(file, kind, cap);
  try {
    const parts: Buffer[] = [];
    let total = 0;
    const step = Math.min(cap + 1, Math.max(fstatSync(fd).size + 1, 64 * 1024));
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(step, cap + 1 - total));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return Buffer.concat(parts, total);
      parts.push(buf.subarray(0, n));
      total += n;
      if (total > cap) throw new InputError(messages.fileTooLarge(file, undefined, fmtBytes(cap), kind), { file });
    }
  } catch (e) {
    if (e instanceof InputError || !(e as NodeJS.ErrnoException).code) throw e;
    throw openFailure(e as NodeJS.ErrnoException, file, kind);
  } finally {
    closeSync(fd);
  }
}

/** The file opened for reading without blocking, checked on its descriptor: regular, under the cap. */
function openRegular(file: string, kind: string, cap: number): number {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw openFailure(e as NodeJS.ErrnoException, file, kind);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(messages.notRegularFile(shown(file), nature(st)), { file });
    if (st.size > cap) throw new InputError(messages.fileTooLarge(file, fmtBytes(st.size), fmtBytes(cap), kind), { file });
    return fd;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** A regular file's text (UTF-8), read as readRegular reads it. */
export function readRegularText(file: string, kind = 'file'): string {
  return readRegular(file, kind).toString('utf8');
}

/**
 * Check that a file another reader will load (a policy file, which Node imports) is a regular file
 * of at most its kind's size; the same messages as readRegular.
 */
export function checkRegular(file: string, kind: string): void {
  closeSync(openRegular(file, kind, MAX_BYTES[kind] ?? DEFAULT_MAX));
}
