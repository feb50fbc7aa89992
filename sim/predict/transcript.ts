// A QMP transcript: the replies a running QEMU gave to the measurements a prediction needs, one JSON
// object per line exactly as QEMU sends them ({"return": {...}}), in any order, with whatever else a
// session holds (the greeting, {"return": {}} acknowledgements, events, replies to other commands)
// skipped. Replies are recognised by their shape, since QMP replies do not name their command:
//   query-memory-size-summary   {"base-memory": B, "plugged-memory": B}
//   query-dirty-rate            {"status", "calc-time" s, "sample-pages", "mode", "dirty-rate" MiB/s}
//   query-migrate               {"status", "downtime" ms, "ram": {"total", "duplicate", "normal", "transferred", "downtime-bytes", ...}}
// Platform-neutral: the CLI reads the file (or records the session) and hands the text in.
import { InputError, messages } from '../errors.js';

/** One measured point of the curve: distinct memory dirtied in a window of calc_time_s. */
export interface DirtyRatePoint {
  /** Line of the transcript (1-based). */
  line: number;
  calc_time_s: number;
  /** QEMU's dirty-rate: MiB of sampled-dirty memory per second of calc-time, an integer (truncated). */
  dirty_rate_MiBps: number;
  /** Pages sampled per GiB of guest memory (page-sampling), when QEMU says. */
  sample_pages?: number;
  mode?: string;
}

/** The RAM counts of a completed migration of this VM (query-migrate's "ram"). */
export interface EarlierMigration {
  line: number;
  total_bytes: number;
  duplicate_pages: number;
  normal_pages: number;
  transferred_bytes: number;
  page_size_bytes?: number;
  /** Its switch-over, when the reply says (QEMU 7.1+): downtime in QEMU's whole milliseconds and the RAM bytes sent while stopped. */
  downtime_ms?: number;
  downtime_bytes?: number;
}

export interface Transcript {
  /** Guest memory, bytes: base-memory + plugged-memory. */
  memory_bytes: number;
  points: DirtyRatePoint[];
  migration?: EarlierMigration;
}

const MIGRATION_STATUSES = new Set(['none', 'setup', 'cancelling', 'cancelled', 'active', 'postcopy-active', 'postcopy-paused', 'postcopy-recover', 'completed', 'failed', 'colo', 'pre-switchover', 'device', 'wait-unplug']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A field that must be a finite number of at least `min`, or the line's error. */
function num(o: Obj, field: string, reply: string, min = 0, fail: (detail: string) => never): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) fail(messages.transcriptBadField(reply, field, min > 0 ? `a number of at least ${min}` : 'a number of at least 0', v));
  return v as number;
}

function dirtyRate(r: Obj, line: number, fail: (detail: string) => never): DirtyRatePoint {
  const status = String(r.status);
  if (status !== 'measured') fail(messages.transcriptNotMeasured(status));
  const point: DirtyRatePoint = {
    line,
    calc_time_s: num(r, 'calc-time', 'query-dirty-rate', 1e-9, fail),
    dirty_rate_MiBps: num(r, 'dirty-rate', 'query-dirty-rate', 0, fail),
  };
  if (r['sample-pages'] !== undefined) point.sample_pages = num(r, 'sample-pages', 'query-dirty-rate', 0, fail);
  if (typeof r.mode === 'string') point.mode = r.mode;
  return point;
}

function migration(r: Obj, line: number, fail: (detail: string) => never): EarlierMigration {
  const status = String(r.status);
  if (status !== 'completed') fail(messages.transcriptMigrateStatus(status));
  if (!isObj(r.ram)) fail(messages.transcriptBadField('query-migrate', 'ram', 'the RAM counts of the migration', r.ram));
  const ram = r.ram as Obj;
  const m: EarlierMigration = {
    line,
    total_bytes: num(ram, 'total', 'query-migrate ram', 1, fail),
    duplicate_pages: num(ram, 'duplicate', 'query-migrate ram', 0, fail),
    normal_pages: num(ram, 'normal', 'query-migrate ram', 0, fail),
    transferred_bytes: num(ram, 'transferred', 'query-migrate ram', 0, fail),
  };
  if (ram['page-size'] !== undefined) m.page_size_bytes = num(ram, 'page-size', 'query-migrate ram', 1, fail);
  if (r.downtime !== undefined && ram['downtime-bytes'] !== undefined) {
    m.downtime_ms = num(r, 'downtime', 'query-migrate', 0, fail);
    m.downtime_bytes = num(ram, 'downtime-bytes', 'query-migrate ram', 0, fail);
  }
  if (m.duplicate_pages + m.normal_pages === 0) fail(messages.transcriptBadField('query-migrate ram', 'normal', 'a count of pages sent (duplicate + normal is 0)', ram.normal));
  return m;
}

/** Read a transcript; bad lines, a dirty rate not measured, no memory size or fewer than two calc-times are InputErrors naming the line. */
export function parseTranscript(text: string, file: string): Transcript {
  let memory: number | undefined;
  const points: DirtyRatePoint[] = [];
  let earlier: EarlierMigration | undefined;
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = k + 1;
    const raw = lines[k].trim();
    if (raw === '') continue;
    const fail = (detail: string): never => {
      throw new InputError(messages.transcriptLine(file, line, detail), { file });
    };
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch (e) {
      fail(messages.transcriptNotJson((e as Error).message));
    }
    if (!isObj(msg)) fail(messages.transcriptNotJson(`got ${Array.isArray(msg) ? 'a list' : JSON.stringify(msg)}`));
    const m = msg as Obj;
    if (isObj(m.error)) fail(messages.transcriptQmpError(String((m.error as Obj).desc ?? JSON.stringify(m.error))));
    // The greeting ({"QMP": ...}), events ({"event": ...}) and anything but a reply.
    if (!isObj(m.return)) continue;
    const r = m.return as Obj;
    if ('base-memory' in r) {
      const plugged = r['plugged-memory'] === undefined ? 0 : num(r, 'plugged-memory', 'query-memory-size-summary', 0, fail);
      memory = num(r, 'base-memory', 'query-memory-size-summary', 1, fail) + plugged;
    } else if ('calc-time' in r && 'status' in r) points.push(dirtyRate(r, line, fail));
    else if (isObj(r.ram) || (typeof r.status === 'string' && MIGRATION_STATUSES.has(r.status) && !('running' in r))) earlier = migration(r, line, fail);
  }
  if (memory === undefined) throw new InputError(messages.transcriptNoMemory(file), { file });
  const times = [...new Set(points.map((p) => p.calc_time_s))].sort((a, b) => a - b);
  if (times.length < 2) throw new InputError(messages.transcriptFewPoints(file, times), { file });
  return { memory_bytes: memory, points, ...(earlier === undefined ? {} : { migration: earlier }) };
}
