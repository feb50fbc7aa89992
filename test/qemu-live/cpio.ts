// A newc ("070701") cpio archive, the format the Linux kernel unpacks as an initramfs: a few entries
// are all the guest needs, so it is written here rather than depending on the cpio tool.

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const TYPE = { dir: 0o040000, file: 0o100000, symlink: 0o120000, chardev: 0o020000 } as const;
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

function record(ino: number, mode: number, data: Uint8Array, name: string, rdev: [number, number] = [0, 0], nlink = 1): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  // ino, mode, uid, gid, nlink, mtime (0: reproducible), filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  const fields = [ino, mode, 0, 0, nlink, 0, data.length, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
  return Buffer.concat([header, nameBytes, Buffer.alloc(pad4(header.length + nameBytes.length)), data, Buffer.alloc(pad4(data.length))]);
}

/** The archive of `entries` (paths relative, without a leading slash; parents listed before children). */
export function newcArchive(entries: readonly CpioEntry[]): Buffer {
  const parts = entries.map((e, i) => {
    const ino = i + 1;
    switch (e.kind) {
      case 'dir':
        return record(ino, TYPE.dir | (e.mode ?? 0o755), new Uint8Array(), e.path, [0, 0], 2);
      case 'file':
        return record(ino, TYPE.file | (e.mode ?? 0o644), e.data, e.path);
      case 'symlink':
        return record(ino, TYPE.symlink | 0o777, Buffer.from(e.target, 'utf8'), e.path);
      case 'chardev':
        return record(ino, TYPE.chardev | (e.mode ?? 0o600), new Uint8Array(), e.path, [e.major, e.minor]);
    }
  });
  return Buffer.concat([...parts, record(0, 0, new Uint8Array(), 'TRAILER!!!', [0, 0], 1)]);
}
