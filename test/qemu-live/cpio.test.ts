// The initramfs writer, read back field by field as the kernel's unpacker reads newc: magic, 13 hex
// fields, the name padded to 4 bytes, the data padded to 4 bytes, a TRAILER!!! entry last.
import { describe, expect, it } from 'vitest';
import { newcArchive } from './cpio.js';

interface Read {
  name: string;
  mode: number;
  nlink: number;
  rdev: [number, number];
  data: string;
}

function readNewc(buf: Buffer): Read[] {
  const out: Read[] = [];
  let at = 0;
  for (;;) {
    expect(buf.toString('ascii', at, at + 6)).toBe('070701');
    const f = (i: number) => parseInt(buf.toString('ascii', at + 6 + 8 * i, at + 14 + 8 * i), 16);
    const [mode, nlink, size, rmaj, rmin, namesize] = [f(1), f(4), f(6), f(9), f(10), f(11)];
    const nameAt = at + 110;
    const name = buf.toString('utf8', nameAt, nameAt + namesize - 1);
    expect(buf[nameAt + namesize - 1]).toBe(0);
    const dataAt = Math.ceil((nameAt + namesize) / 4) * 4;
    out.push({ name, mode, nlink, rdev: [rmaj, rmin], data: buf.toString('utf8', dataAt, dataAt + size) });
    at = Math.ceil((dataAt + size) / 4) * 4;
    if (name === 'TRAILER!!!') break;
  }
  expect(at).toBe(buf.length);
  return out;
}

describe('newcArchive', () => {
  it('writes directories, files, links and device nodes the way the kernel reads them', () => {
    const archive = newcArchive([
      { kind: 'dir', path: 'bin' },
      { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
      { kind: 'file', path: 'init', data: Buffer.from('#!/bin/sh\necho hi\n'), mode: 0o755 },
      { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
      { kind: 'file', path: 'odd', data: Buffer.from('abcde') },
    ]);
    expect(archive.length % 4).toBe(0);
    expect(readNewc(archive)).toEqual([
      { name: 'bin', mode: 0o040755, nlink: 2, rdev: [0, 0], data: '' },
      { name: 'dev/console', mode: 0o020600, nlink: 1, rdev: [5, 1], data: '' },
      { name: 'init', mode: 0o100755, nlink: 1, rdev: [0, 0], data: '#!/bin/sh\necho hi\n' },
      { name: 'bin/sh', mode: 0o120777, nlink: 1, rdev: [0, 0], data: 'busybox' },
      { name: 'odd', mode: 0o100644, nlink: 1, rdev: [0, 0], data: 'abcde' },
      { name: 'TRAILER!!!', mode: 0, nlink: 1, rdev: [0, 0], data: '' },
    ]);
  });
});
