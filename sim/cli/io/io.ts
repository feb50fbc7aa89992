// What a command may touch of the outside world: the folder relative paths start from, and the two
// text streams. Commands never use process.stdout or process.cwd() directly, so the whole CLI runs
// in-process (tests call cli() with a capturing Io) exactly as it runs from a shell.
import { resolve } from 'node:path';

export interface Io {
  /** The folder relative paths are read from. */
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** A terminal on stderr (a live progress bar) when set. */
  readonly tty?: NodeJS.WriteStream;
  /** Terminal width for --help. */
  readonly columns?: number;
  /** Print stack traces of internal errors (VMSIM_DEBUG). */
  readonly debug?: boolean;
}

/** Control characters other than newline and tab, and ANSI escape sequences. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text safe to print on a terminal: escape sequences and control characters (which can retitle,
 * clear or recolour it) are shown as `\xNN`, never sent. A scenario name can hold anything.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => [...c].map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
}

/** The process's own streams and folder, with everything printed made safe. */
export function processIo(): Io {
  return {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(printable(t)),
    stderr: (t) => void process.stderr.write(printable(t)),
    tty: process.stderr.isTTY ? process.stderr : undefined,
    columns: process.stdout.columns,
    debug: Boolean(process.env.VMSIM_DEBUG),
  };
}

/** An Io that keeps what is printed (tests, the library). */
export function captureIo(cwd: string): Io & { out: string; err: string } {
  const io = {
    cwd: resolve(cwd),
    out: '',
    err: '',
    stdout(t: string) {
      io.out += printable(t);
    },
    stderr(t: string) {
      io.err += printable(t);
    },
  };
  return io;
}

/** A user's path, relative to the Io's folder. */
export const userPath = (io: Io, path: string): string => resolve(io.cwd, path);
