// Real QEMU in the loop: where qemu-system-x86_64, a kernel in /boot, busybox and gcc exist, the
// harness boots the reference guest under TCG, measures it through QMP and migrates it over loopback;
// elsewhere the test is skipped, naming what is missing (CI does not install QEMU: see
// docs/development.md). Small case: a 256 MiB guest dirtying 16 MiB at 2000 pages/s, 64 MiB/s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSYBOX, findKernel, QEMU } from './guest.js';
import { buildGuest, parseCase, recordCase } from './record.js';
import { stopAll } from './qemu.js';

const runs = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
const missing = [
  ...(runs(QEMU) ? [] : [`${QEMU} (apt-get install qemu-system-x86)`]),
  ...(findKernel() ? [] : ['a kernel /boot/vmlinuz-* (apt-get install linux-image-amd64)']),
  ...(existsSync(BUSYBOX) ? [] : [`${BUSYBOX} (apt-get install busybox-static)`]),
  ...(runs('gcc') ? [] : ['gcc (apt-get install gcc libc6-dev)']),
];
if (missing.length > 0) console.log(`qemu-live test skipped: missing ${missing.join(', ')}`);

const MEM_MIB = 256;
const MiB = 1024 * 1024;
afterAll(stopAll);

describe('the qemu-live harness against real QEMU', () => {
  it.skipIf(missing.length > 0)(
    'boots the guest, records four measured dirty rates and the memory size, and migrates it to completion',
    async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'vmsim-live-'));
      try {
        await liveCase(tmp);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
    240_000,
  );
});

/** Record one small case into tmp and check what the harness wrote. */
async function liveCase(tmp: string): Promise<void> {
  const guest = buildGuest(tmp);
  const out = join(tmp, 'out');
  const r = await recordCase(parseCase('W16-R2000-B64'), guest, out, { memMiB: MEM_MIB, capS: 120 });

  // The transcript as written: QEMU's replies, one JSON object a line.
  const lines = readFileSync(join(r.dir, 'transcript.jsonl'), 'utf8').trimEnd().split('\n');
  const replies = lines.map((l) => (JSON.parse(l) as { return: Record<string, number | string> }).return);
  expect(replies[0]).toEqual({ 'base-memory': MEM_MIB * MiB, 'plugged-memory': 0 });
  const rates = replies.slice(1);
  expect(rates.map((x) => [x.status, x['calc-time'], x['sample-pages']])).toEqual([1, 2, 4, 8].map((t) => ['measured', t, 4096]));
  // 2000 pages/s is 7.8 MiB/s of the dirtier's alone; the 1 s window sees it.
  expect(rates[0]['dirty-rate']).toBeGreaterThan(0);
  for (const x of rates) expect(Number.isInteger(x['dirty-rate'])).toBe(true);

  const o = JSON.parse(readFileSync(join(r.dir, 'outcome.json'), 'utf8')) as Record<string, number | string | null>;
  expect(o).toMatchObject({ case: 'W16-R2000-B64', outcome: 'completed', mode: 'precopy', max_bandwidth_Bps: 64 * MiB, downtime_limit_ms: 300 });
  expect(o.qemu_version).toMatch(/^\d+\.\d+\.\d+/);
  const [bytes, normal, dup] = [Number(o.ram_transferred_bytes), Number(o.ram_normal_pages), Number(o.ram_duplicate_pages)];
  // Every non-zero page went in full (and the working set at least once); zero pages as headers only.
  expect(bytes).toBeGreaterThanOrEqual(normal * 4096);
  expect(normal * 4096).toBeGreaterThan(16 * MiB);
  expect(normal + dup).toBeGreaterThanOrEqual((MEM_MIB * MiB) / 4096);
  expect(bytes).toBeLessThan(MEM_MIB * MiB);
  expect(Number(o.downtime_ms)).toBeGreaterThan(0);
  expect(Number(o.total_time_ms)).toBeGreaterThan(Number(o.downtime_ms));
  expect(Number(o.dirty_sync_count)).toBeGreaterThanOrEqual(2);
}
