// Records real QEMU migrations as fixtures for vmsim's predictions (test/fixtures/qemu-live/):
//   npm run qemu:record -- --out DIR [--cases idle-B16,W16-R2000-B16,...] [--mem-mib 512] [--cap-s 120]
// For each case, one at a time: boot the reference guest under TCG, wait until the dirtier has run
// steadily for 3 s, record the measurement transcript (sim/cli/qmp-measure.ts), migrate to a
// destination QEMU over loopback, and write DIR/<case>/{transcript.jsonl, outcome.json, guest.json,
// console.txt}. Every QEMU is ended by its PID, also when the harness is interrupted.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureVm } from '../../sim/cli/qmp-measure.js';
import type { QmpClient } from '../../sim/cli/qmp.js';
import { buildInitramfs, compileDirtier, findKernel } from './guest.js';
import { migrate, type MigrateInfo, type MigrationResult, type Mode } from './migrate.js';
import { Qemu, stopAll, type ConsoleLine } from './qemu.js';

const MiB = 1024 * 1024;
export const DEFAULT_CASES = ['idle-B16', 'W16-R2000-B16', 'W64-R10000-B64', 'W64-R10000-B8'];
// From test/qemu-live or dist/test/qemu-live.
const ROOT = ((dir: string): string => (dir.includes('/dist/') ? resolve(dir, '../../..') : resolve(dir, '../..')))(dirname(fileURLToPath(import.meta.url)));
const DIRTIER_SOURCE = join(ROOT, 'scenarios', 'reference', 'qemu-7.2', 'dirtier.c');
/** As the reference runs. */
const DOWNTIME_LIMIT_MS = 300;
const STEADY_LINES = 3;
const BOOT_TIMEOUT_MS = 180_000;

/** Temporary folders (sockets, the guest's build) still to remove, also when a signal ends the harness. */
const temps = new Set<string>();
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.add(dir);
  return dir;
}
function removeTemp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  temps.delete(dir);
}

export interface Case {
  name: string;
  mode: Mode;
  dirtyMb: number;
  dirtyRatePagesS: number;
  maxBandwidthMiBs: number;
}

/** `idle-B16`, `W16-R2000-B16`, `pc-W64-R10000-B8` (pc-: post-copy). */
export function parseCase(name: string): Case {
  const m = /^(pc-)?(?:idle|W(\d+)-R(\d+))-B(\d+)$/.exec(name);
  if (!m) throw new Error(`case "${name}": expected idle-B<MiB/s> or W<MiB>-R<pages/s>-B<MiB/s>, optionally prefixed pc- (post-copy)`);
  return { name, mode: m[1] ? 'postcopy' : 'precopy', dirtyMb: Number(m[2] ?? 0), dirtyRatePagesS: Number(m[3] ?? 0), maxBandwidthMiBs: Number(m[4]) };
}

export interface Guest {
  kernel: string;
  initrd: string;
}

/** Compile the dirtier and write the initramfs into `dir`. */
export function buildGuest(dir: string): Guest {
  const kernel = findKernel();
  if (kernel === undefined) throw new Error('no kernel /boot/vmlinuz-* (Debian: apt-get install linux-image-amd64)');
  return { kernel, initrd: buildInitramfs(compileDirtier(DIRTIER_SOURCE, dir), dir) };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

export interface RecordOptions {
  memMiB?: number;
  capS?: number;
  log?: (text: string) => void;
}

export interface Recorded {
  dir: string;
  outcome: Record<string, unknown>;
  transcript: string[];
}

/** Boot, measure, migrate one case; its fixture files in outDir/<case>. */
export async function recordCase(c: Case, guest: Guest, outDir: string, opts: RecordOptions = {}): Promise<Recorded> {
  const log = opts.log ?? (() => undefined);
  const memMiB = opts.memMiB ?? 512;
  const capS = opts.capS ?? 120;
  const work = tempDir('vmsim-qemu-');
  const machine = { kernel: guest.kernel, initrd: guest.initrd, memMiB, append: `console=ttyS0 dirty_mb=${c.dirtyMb} dirty_rate=${c.dirtyRatePagesS}` };
  const vms: Qemu[] = [];
  const clients: QmpClient[] = [];
  const loadAvg1m = loadavg()[0];
  try {
    const src = new Qemu({ ...machine, qmpPath: join(work, 'src.sock') });
    vms.push(src);
    log(`${c.name}: booting the source (pid ${src.pid})`);
    await src.waitForConsole(/^DIRTIER READY/, 1, BOOT_TIMEOUT_MS);
    await src.waitForConsole(/^DIRTY sec=/, STEADY_LINES, BOOT_TIMEOUT_MS);
    const srcQmp = await src.qmp(30_000);
    clients.push(srcQmp);
    const measuredFrom = Date.now();
    const measurement = await measureVm(srcQmp, { onProgress: (t) => log(`${c.name}: ${t}`) });
    const port = await freePort();
    const dst = new Qemu({ ...machine, qmpPath: join(work, 'dst.sock'), incoming: `tcp:127.0.0.1:${port}` });
    vms.push(dst);
    const dstQmp = await dst.qmp(30_000);
    clients.push(dstQmp);
    log(`${c.name}: migrating at ${c.maxBandwidthMiBs} MiB/s (${c.mode}, cap ${capS} s)`);
    const migrateFrom = Date.now();
    const result = await migrate(srcQmp, dstQmp, {
      uri: `tcp:127.0.0.1:${port}`,
      maxBandwidthBps: c.maxBandwidthMiBs * MiB,
      downtimeLimitMs: DOWNTIME_LIMIT_MS,
      capS,
      mode: c.mode,
      onProgress: (t) => log(`${c.name}: ${t}`),
    });
    const migrateTo = Date.now();
    const destStatus = result.outcome === 'completed' ? ((await dstQmp.execute<{ status?: string }>('query-status')).status ?? 'unknown') : 'n/a';
    log(`${c.name}: ${result.outcome} in ${((migrateTo - migrateFrom) / 1000).toFixed(1)} s`);
    const outcome = outcomeJson(c, result, srcQmp.qemuVersion, capS);
    const guestInfo = {
      note: 'for people: what the guest and the host did; a prediction reads transcript.jsonl only',
      dirtier_rate_pre_pages_s: dirtierRate(src.console, measuredFrom, migrateFrom),
      dirtier_rate_during_pages_s: dirtierRate(src.console, migrateFrom, migrateTo),
      ram_total_bytes: result.last.value.ram?.total ?? null,
      query_migrate_polls: result.polls,
      postcopy_started: result.postcopyStarted,
      dest_status_after: destStatus,
      host_load_avg_1m: Number(loadAvg1m.toFixed(2)),
      mem_mib: memMiB,
    };
    const dir = join(outDir, c.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'transcript.jsonl'), `${measurement.lines.join('\n')}\n`);
    writeFileSync(join(dir, 'outcome.json'), `${JSON.stringify(outcome, null, 2)}\n`);
    writeFileSync(join(dir, 'guest.json'), `${JSON.stringify(guestInfo, null, 2)}\n`);
    writeFileSync(join(dir, 'migrate-last.jsonl'), `${result.last.line}\n`);
    writeFileSync(join(dir, 'console.txt'), `${src.console.map((l) => l.text).join('\n')}\n`);
    return { dir, outcome, transcript: measurement.lines };
  } finally {
    for (const cl of clients) cl.close();
    for (const vm of vms) await vm.stop();
    removeTemp(work);
  }
}

function outcomeJson(c: Case, r: MigrationResult, qemuVersion: string, capS: number): Record<string, unknown> {
  const v: MigrateInfo = r.last.value;
  return {
    case: c.name,
    qemu_version: qemuVersion,
    workload: { dirty_mb: c.dirtyMb, dirty_rate_pages_s: c.dirtyRatePagesS },
    max_bandwidth_Bps: c.maxBandwidthMiBs * MiB,
    downtime_limit_ms: DOWNTIME_LIMIT_MS,
    mode: c.mode,
    cap_s: capS,
    outcome: r.outcome,
    total_time_ms: v['total-time'] ?? null,
    // A cancelled migration never stopped the guest: no downtime.
    downtime_ms: r.outcome === 'completed' ? (v.downtime ?? null) : null,
    setup_time_ms: v['setup-time'] ?? null,
    ram_transferred_bytes: v.ram?.transferred ?? null,
    ram_duplicate_pages: v.ram?.duplicate ?? null,
    ram_normal_pages: v.ram?.normal ?? null,
    dirty_sync_count: v.ram?.['dirty-sync-count'] ?? null,
    recorded_at: new Date().toISOString(),
  };
}

/** Mean, min and max of the dirtier's per-second page counts printed between two host times. */
function dirtierRate(console: readonly ConsoleLine[], from: number, to: number): { mean: number; min: number; max: number; seconds: number } | null {
  const pages = console.filter((l) => l.at >= from && l.at <= to).flatMap((l) => /^DIRTY sec=\d+ pages=(\d+)/.exec(l.text)?.[1] ?? []).map(Number);
  if (pages.length === 0) return null;
  const mean = pages.reduce((a, b) => a + b, 0) / pages.length;
  return { mean: Math.round(mean), min: Math.min(...pages), max: Math.max(...pages), seconds: pages.length };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, cases: { type: 'string' }, 'mem-mib': { type: 'string' }, 'cap-s': { type: 'string' } },
  });
  if (values.out === undefined) throw new Error('--out DIR is required (npm run qemu:record -- --out DIR [--cases idle-B16,W16-R2000-B16])');
  const cases = (values.cases?.split(',') ?? DEFAULT_CASES).map((s) => parseCase(s.trim()));
  const memMiB = values['mem-mib'] === undefined ? 512 : Number(values['mem-mib']);
  const capS = values['cap-s'] === undefined ? 120 : Number(values['cap-s']);
  const stop = (code: number) => () => {
    stopAll();
    for (const dir of [...temps]) removeTemp(dir);
    process.exit(code);
  };
  process.once('SIGINT', stop(130));
  process.once('SIGTERM', stop(143));
  process.once('exit', stopAll);
  const work = tempDir('vmsim-guest-');
  try {
    const guest = buildGuest(work);
    for (const c of cases) {
      const r = await recordCase(c, guest, resolve(values.out), { memMiB, capS, log: (t) => console.error(t) });
      console.log(`${r.dir}: ${String(r.outcome.outcome)}, total ${String(r.outcome.total_time_ms)} ms, downtime ${String(r.outcome.downtime_ms)} ms`);
    }
  } finally {
    removeTemp(work);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    stopAll();
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
