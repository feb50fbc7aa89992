// How the CLI reads files and meets failures of the machine (sim/cli/io/read.ts, failure.ts): a
// file that claims size 0 or grows while read is still bounded, and an errno failure anywhere is
// exit 5 naming the path and the cause, never "internal error ... please report this".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { report } from '../../sim/cli/cli.js';
import { captureIo } from '../../sim/cli/io/io.js';
import { EnvironmentError, guarded } from '../../sim/cli/io/failure.js';
import { MAX_BYTES, readRegular } from '../../sim/cli/io/read.js';

const tmp = mkdtempSync(join(tmpdir(), 'vmsim-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const errno = (code: string, extra: Record<string, string> = {}): Error => Object.assign(new Error(`${code}: failed`), { code, ...extra });

describe('reading', () => {
  it('a regular file is read whole; exactly at the cap is accepted, one byte more is not', () => {
    const f = join(tmp, 'r.yaml');
    writeFileSync(f, 'x'.repeat(MAX_BYTES['scenario file']));
    expect(readRegular(f, 'scenario file').length).toBe(MAX_BYTES['scenario file']);
    writeFileSync(f, 'x'.repeat(MAX_BYTES['scenario file'] + 1));
    expect(() => readRegular(f, 'scenario file')).toThrow(`cannot read ${f}: it is 1 MiB, more than the 1 MiB a scenario file may be`);
  });

  it.runIf(process.platform === 'linux')('a file that claims size 0 (/proc) is read to its end, and bounded all the same', () => {
    const text = readRegular('/proc/self/status', 'file').toString();
    expect(text).toMatch(/^Name:/);
    expect(() => readRegular('/proc/self/status', 'sweep file')).not.toThrow();
  });

  it('a folder and a missing file are bad input naming the path', () => {
    expect(() => readRegular(tmp, 'shard file')).toThrow(`cannot read ${tmp}: it is a folder, not a regular file`);
    expect(() => readRegular(join(tmp, 'none.jsonl'), 'shard file')).toThrow(`cannot read ${join(tmp, 'none.jsonl')}: no such shard file`);
  });
});

describe('failures of the machine', () => {
  it.each<[string, string]>([
    ['ENOSPC', 'no space left on the device (ENOSPC)'],
    ['EFBIG', 'the file would exceed the largest file this process may write (EFBIG; see `ulimit -f`)'],
    ['EROFS', 'the file system is read-only (EROFS)'],
    ['EMFILE', 'this process has too many open files (EMFILE; see `ulimit -n`)'],
    ['EIO', 'an input/output error of the device (EIO)'],
  ])('%s during a write: exit 5 naming the path and the cause', (code, cause) => {
    const e = (() => {
      try {
        return guarded('write', 'out/x', true, () => {
          throw errno(code);
        });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(EnvironmentError);
    const io = captureIo(tmp);
    expect(report(e, io)).toBe(5);
    expect(io.err).toBe(`vmsim: cannot write out/x: ${cause}; the previous outputs there are unchanged\n`);
  });

  it('an errno failure that reached the top unwrapped is exit 5 by its own path; other errors stay internal (1)', () => {
    const io = captureIo(tmp);
    expect(report(errno('ENOSPC', { syscall: 'open', path: '/x/y' }), io)).toBe(5);
    expect(io.err).toBe('vmsim: cannot open /x/y: no space left on the device (ENOSPC)\n');
    const other = captureIo(tmp);
    expect(report(new TypeError('boom'), other)).toBe(1);
    expect(other.err).toContain('internal error: boom');
  });
});
