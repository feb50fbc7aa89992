// What an operator measures of a running VM before migrating it, through QMP: its memory size, the
// distinct pages it dirties in windows of several lengths (calc-dirty-rate at each calc-time; together
// the calls give the curve that rises at the write rate and saturates at the working set), and an
// earlier migration's counts when QEMU still holds them. The result is QEMU's reply lines, one JSON
// object a line as QEMU sent them: the transcript `vmsim predict --transcript` reads back.
import { QmpClient, QmpError } from './qmp.js';
import { messages } from '../errors.js';

/** Window lengths: 1 s sees the write rate, 8 s the working set of a guest cycling through it. */
export const CALC_TIMES_S: readonly number[] = [1, 2, 4, 8];
/** QEMU's maximum sampled pages per GiB: its default (512) is visibly noisy at 1-4 s. */
export const SAMPLE_PAGES = 4096;
/** How often query-dirty-rate is asked while a window is measured. */
const POLL_MS = 200;
/** Wait past a window's end for QEMU to report it (the guest and QEMU share a busy host). */
const MARGIN_MS = 10_000;

export interface MeasureOptions {
  calcTimesS?: readonly number[];
  samplePages?: number;
  /** Ask query-migrate and keep its reply when an earlier migration completed. Default true. */
  withMigrate?: boolean;
  /** Progress lines ("measuring dirty rate over 4 s (3 of 4)"). */
  onProgress?: (text: string) => void;
  marginMs?: number;
}

export interface DirtyRateReading {
  calcTimeS: number;
  /** QEMU's unit: MiB of sampled-dirty memory per second of calc-time, an integer. */
  dirtyRateMiBs: number;
}

export interface Measurement {
  /** The transcript: the replies kept, verbatim, one a line. */
  lines: string[];
  memoryBytes: number;
  dirtyRates: DirtyRateReading[];
  /** Whether a completed migration's query-migrate reply is among the lines. */
  earlierMigration: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Measure through an open client (the lines it keeps are also in client.transcript, among the rest). */
export async function measureVm(client: QmpClient, opts: MeasureOptions = {}): Promise<Measurement> {
  const lines: string[] = [];
  const mem = await client.call<{ 'base-memory': number; 'plugged-memory'?: number }>('query-memory-size-summary');
  lines.push(mem.line);
  const calcTimes = opts.calcTimesS ?? CALC_TIMES_S;
  const dirtyRates: DirtyRateReading[] = [];
  for (const [i, calcTimeS] of calcTimes.entries()) {
    opts.onProgress?.(messages.qmpMeasuring(calcTimeS, i + 1, calcTimes.length));
    const reply = await dirtyRate(client, calcTimeS, opts.samplePages ?? SAMPLE_PAGES, opts.marginMs ?? MARGIN_MS);
    lines.push(reply.line);
    dirtyRates.push({ calcTimeS, dirtyRateMiBs: reply.value['dirty-rate'] ?? 0 });
  }
  let earlierMigration = false;
  if (opts.withMigrate ?? true) {
    const migrate = await client.call<{ status?: string }>('query-migrate');
    earlierMigration = migrate.value.status === 'completed';
    if (earlierMigration) lines.push(migrate.line);
  }
  const memoryBytes = mem.value['base-memory'] + (mem.value['plugged-memory'] ?? 0);
  return { lines, memoryBytes, dirtyRates, earlierMigration };
}

interface DirtyRateInfo {
  status: string;
  'calc-time': number;
  'dirty-rate'?: number;
}

/** One window: start it, wait it out, then poll until QEMU reports it measured (bounded). */
async function dirtyRate(client: QmpClient, calcTimeS: number, samplePages: number, marginMs: number) {
  await client.execute('calc-dirty-rate', { 'calc-time': calcTimeS, 'sample-pages': samplePages });
  const started = Date.now();
  const deadline = started + calcTimeS * 1000 + marginMs;
  await sleep(calcTimeS * 1000);
  for (;;) {
    const reply = await client.call<DirtyRateInfo>('query-dirty-rate');
    if (reply.value.status === 'measured' && reply.value['calc-time'] === calcTimeS) return reply;
    if (Date.now() >= deadline) throw new QmpError(messages.qmpNotMeasured(client.path, calcTimeS, String(reply.value.status), Date.now() - started));
    await sleep(POLL_MS);
  }
}

/** Connect to a QMP socket, measure, close: the whole conversation bounded by the client's timeouts. */
export async function measureSocket(path: string, opts: MeasureOptions & { timeoutMs?: number } = {}): Promise<Measurement & { qemuVersion: string }> {
  const client = await QmpClient.connect(path, { timeoutMs: opts.timeoutMs });
  try {
    return { ...(await measureVm(client, opts)), qemuVersion: client.qemuVersion };
  } finally {
    client.close();
  }
}
