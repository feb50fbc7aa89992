// The guest of the reference runs (scenarios/reference/qemu-7.2/README.md): a Debian kernel booting a
// busybox initramfs whose /init runs the shipped dirtier, which reads dirty_mb= and dirty_rate= from
// the kernel command line and prints its progress on the serial console.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newcArchive } from './cpio.js';

export const BUSYBOX = '/bin/busybox';
export const QEMU = 'qemu-system-x86_64';

// The dirtier runs in the background so PID 1 (the shell) stays; if it ever exits, the guest idles.
const INIT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
echo "GUEST INIT $(/bin/busybox cat /proc/cmdline)"
/dirtier
echo "DIRTIER EXITED $?"
while :; do /bin/busybox sleep 3600; done
`;

/** The newest Debian kernel in /boot, or undefined. */
export function findKernel(boot = '/boot'): string | undefined {
  if (!existsSync(boot)) return undefined;
  const kernels = readdirSync(boot)
    .filter((f) => /^vmlinuz-\d/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const last = kernels.at(-1);
  return last === undefined ? undefined : join(boot, last);
}

/** Compile the dirtier statically (the initramfs has no C library) into `dir`. */
export function compileDirtier(source: string, dir: string): string {
  const out = join(dir, 'dirtier');
  execFileSync('gcc', ['-O2', '-static', '-o', out, source], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

/** Write the initramfs (newc cpio, uncompressed) holding busybox, the dirtier and /init; its path. */
export function buildInitramfs(dirtier: string, dir: string, busybox = BUSYBOX): string {
  const archive = newcArchive([
    { kind: 'dir', path: 'bin' },
    { kind: 'dir', path: 'dev' },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'dir', path: 'proc' },
    { kind: 'dir', path: 'sys' },
    { kind: 'dir', path: 'tmp', mode: 0o1777 },
    { kind: 'file', path: 'bin/busybox', data: readFileSync(busybox), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'file', path: 'dirtier', data: readFileSync(dirtier), mode: 0o755 },
    { kind: 'file', path: 'init', data: Buffer.from(INIT, 'utf8'), mode: 0o755 },
  ]);
  const path = join(dir, 'initramfs.cpio');
  writeFileSync(path, archive);
  return path;
}
