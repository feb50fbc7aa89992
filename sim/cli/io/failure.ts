// Failures of the machine rather than of the input or of vmsim: a full disk, a file-size limit, a
// read-only mount, too many open files. They get their own exit code (5) and a message naming the
// path and the cause in words, never "internal error ... please report this".
import { VmsimError, messages } from '../../errors.js';

/** The operating system refused or failed a read or a write (exit 5). */
export class EnvironmentError extends VmsimError {
  override readonly exitCode = 5;
  constructor(
    message: string,
    readonly code: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

/** The causes, in words, by errno code. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device (ENOSPC)',
  EDQUOT: 'the disk quota is exhausted (EDQUOT)',
  EFBIG: 'the file would exceed the largest file this process may write (EFBIG; see `ulimit -f`)',
  EACCES: 'permission denied (EACCES)',
  EPERM: 'the operation is not permitted (EPERM)',
  EROFS: 'the file system is read-only (EROFS)',
  EMFILE: 'this process has too many open files (EMFILE; see `ulimit -n`)',
  ENFILE: 'the system has too many open files (ENFILE)',
  EIO: 'an input/output error of the device (EIO)',
  ENOMEM: 'the system is out of memory (ENOMEM)',
  ENXIO: 'the device is gone (ENXIO)',
  ESTALE: 'a stale network file handle (ESTALE)',
  ETXTBSY: 'the file is busy (ETXTBSY)',
};

export const isEnvironmentCode = (code: string | undefined): boolean => code !== undefined && Object.hasOwn(CAUSES, code);

/** An environment failure of `action` ("write", "read") on `path`; `kept` when the old outputs stand. */
export function environmentError(e: NodeJS.ErrnoException, action: string, path: string, kept: boolean): EnvironmentError {
  const code = e.code ?? 'EIO';
  return new EnvironmentError(messages.environment(action, path, CAUSES[code] ?? code, kept), code, path);
}

/**
 * Run `write`, turning an environment failure into an EnvironmentError naming `path` (a write by
 * descriptor reports no path of its own). Other errors pass unchanged.
 */
export function guarded<T>(action: string, path: string, kept: boolean, write: () => T): T {
  try {
    return write();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof VmsimError || !isEnvironmentCode(code)) throw e;
    throw environmentError(e as NodeJS.ErrnoException, action, path, kept);
  }
}

/** An errno failure that reached the top without a path of ours: named by its own path if it has one. */
export function asEnvironmentError(e: unknown): EnvironmentError | undefined {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof VmsimError || !(e instanceof Error) || !isEnvironmentCode(err.code)) return undefined;
  return environmentError(err, err.syscall ?? 'write', err.path ?? 'a file', false);
}
