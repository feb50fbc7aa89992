// The QEMU 7.2 reference runs (scenarios/reference/qemu-7.2/) as vmsim scenarios. Every row becomes
// one scenario, built the same way from that row's physical parameters (RAM, working set, write
// rate, max-bandwidth, mode, downtime limit, cap) and from a few global constants derived from the
// idle rows only (an idle guest has no working set, so nothing about the rows being predicted leaks
// into them). No measured outcome of a row is used to build that row. Pure: files are read by the
// caller (reproduce-qemu.ts) and handed in as text.

import { csvRecords } from '../../reports/csv.js';

/** One row of results.csv, as text cells by column name. */
export type ReferenceRow = Readonly<Record<string, string>>;

/** The 100 ms query-migrate samples of one run (series/remaining-<run_id>.csv). */
export interface SeriesSample {
  t_s: number;
  ram_remaining: number;
  ram_normal: number;
  ram_duplicate: number;
  dirty_sync_count: number;
}

/** A region of the idle guest's memory, in pages, in address order. */
export interface PageRegion {
  first: number;
  pages: number;
  content: 'zero' | 'nonzero';
}

/** Harness facts from the reference README and dirtier.c (not fitted). */
export const HARNESS = {
  /** "The migration starts once the workload has run steadily for 3 s": where the writer's cursor stands at t = 0. */
  warmup_s: 3,
  /**
   * dirtier.c writes one byte at the start of a page per visit: XBZRLE encodes that as a zero-run
   * length (1 byte), a non-zero-run length (1 byte) and the byte: 3 bytes (migration/xbzrle.c).
   */
  xbzrle_delta_bytes: 3,
  /** The harness sends migrate-start-postcopy once dirty-sync-count >= 2: after one pre-copy round. */
  postcopy_after_rounds: 1,
} as const;

/** The global constants, each derived from the idle rows only (see deriveConstants). */
export interface QemuConstants {
  /** Page size of the guest (ram_page_size). */
  page_bytes: number;
  /** The idle guest's memory content in address order, from the first pass of one idle run. */
  layout: PageRegion[];
  /** Non-zero pages of the idle guest (the sum of the layout's non-zero regions). */
  idle_nonzero_pages: number;
  /** Where the dirtier's pages go: the first page of the idle guest's longest run of zero pages. */
  free_start_page: number;
  /** Loopback copy rate, bytes/s: the slope of downtime over downtime bytes in the idle rows (their least-downtime trials). */
  copy_Bps: number;
  /** Fixed cost of the switch-over, s: the intercept of that line. */
  stop_s: number;
  /** Set-up time, s: the mean setup_time_ms of the idle rows. */
  setup_s: number;
  /** The idle run whose series gave the layout. */
  layout_from: string;
}

/** results.csv and the series files as records (the one CSV reader is beside the writer). */
export const parseCsvRecords = csvRecords;

export function parseSeries(text: string): SeriesSample[] {
  return parseCsvRecords(text).map((r) => ({
    t_s: Number(r.t_s),
    ram_remaining: Number(r.ram_remaining),
    ram_normal: Number(r.ram_normal),
    ram_duplicate: Number(r.ram_duplicate),
    dirty_sync_count: Number(r.dirty_sync_count),
  }));
}

export const isIdle = (r: ReferenceRow): boolean => Number(r.dirty_mb) === 0;

/**
 * The idle guest's content in address order, read off the first pass of one idle run: pass 1 scans
 * memory once in address order, so between two samples it sent (normal delta) non-zero and
 * (duplicate delta) zero pages of the next stretch of memory. At 4 MiB/s a sample covers about 100
 * non-zero pages, so the layout has that resolution; within a stretch the non-zero pages are put
 * first. The pages the pass had not reached at the last sample before the sync (the top of RAM and
 * the firmware blocks after it) are non-zero: the 64 MiB/s idle runs send them in the stopped round
 * as full pages.
 */
export function idleLayout(series: readonly SeriesSample[], totalPages: number): PageRegion[] {
  const pass = series.filter((s) => s.dirty_sync_count === 1);
  const out: PageRegion[] = [];
  const push = (content: PageRegion['content'], pages: number): void => {
    if (pages <= 0) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.content === content) last.pages += pages;
    else out.push({ first: last === undefined ? 0 : last.first + last.pages, pages, content });
  };
  let normal = 0;
  let zero = 0;
  for (const s of pass) {
    push('nonzero', s.ram_normal - normal);
    push('zero', s.ram_duplicate - zero);
    normal = s.ram_normal;
    zero = s.ram_duplicate;
  }
  push('nonzero', totalPages - normal - zero);
  return out;
}

/** Least-squares line y = a + b x. */
function fitLine(xs: readonly number[], ys: readonly number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) (sxy += (xs[k] - mx) * (ys[k] - my)), (sxx += (xs[k] - mx) ** 2);
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/**
 * Of each idle cell (the idle rows at one max-bandwidth), the trial with the least downtime. The
 * trials of a cell differ by up to 2x (idle-B64: 28 and 14 ms for the same 9.2 MB), and what differs
 * is the shared 2-core host's interference, which only adds time: the least downtime is the closest
 * to the undisturbed stop-and-copy the model models.
 */
function cellFloors(idle: readonly ReferenceRow[]): ReferenceRow[] {
  const least = new Map<string, ReferenceRow>();
  for (const r of idle) {
    const cell = least.get(r.max_bw_bytes_s);
    if (cell === undefined || Number(r.downtime_ms) < Number(cell.downtime_ms)) least.set(r.max_bw_bytes_s, r);
  }
  if (least.size < 2) throw new Error('the reference holds idle rows at fewer than two max-bandwidths');
  return [...least.values()];
}

/**
 * The global constants, from the idle rows only:
 *   - layout and idle_nonzero_pages: the first pass of the first idle run at the lowest max-bandwidth
 *     (the finest resolution), see idleLayout;
 *   - free_start_page: the start of the layout's longest zero run, where the guest's free memory is;
 *   - copy_Bps and stop_s: the idle runs' downtime is a fixed cost plus their downtime bytes at the
 *     loopback copy rate (the stopped round is not rate limited): the line through
 *     (ram_downtime_bytes, downtime_ms) of each idle cell's least-downtime trial (cellFloors:
 *     idle-B4-t2, 2 ms for 0.66 MB; idle-B64-t2, 14 ms for 9.3 MB) gives the rate (slope, 723 MB/s)
 *     and the cost (intercept, 1.09 ms);
 *   - setup_s: the mean setup_time_ms of the idle rows.
 */
export function deriveConstants(rows: readonly ReferenceRow[], seriesOf: (runId: string) => SeriesSample[]): QemuConstants {
  const idle = rows.filter(isIdle);
  if (idle.length < 2) throw new Error('the reference holds fewer than two idle rows');
  const page = Number(idle[0].ram_page_size);
  const totalPages = Number(idle[0].ram_total) / page;
  const finest = [...idle].sort((a, b) => Number(a.max_bw_bytes_s) - Number(b.max_bw_bytes_s) || Number(a.trial) - Number(b.trial))[0];
  const layout = idleLayout(seriesOf(finest.run_id), totalPages);
  let longest: PageRegion | undefined;
  for (const r of layout) if (r.content === 'zero' && (longest === undefined || r.pages > longest.pages)) longest = r;
  const floors = cellFloors(idle);
  const { a, b } = fitLine(
    floors.map((r) => Number(r.ram_downtime_bytes)),
    floors.map((r) => Number(r.downtime_ms) / 1e3),
  );
  return {
    page_bytes: page,
    layout,
    idle_nonzero_pages: layout.filter((r) => r.content === 'nonzero').reduce((s, r) => s + r.pages, 0),
    free_start_page: longest?.first ?? 0,
    copy_Bps: 1 / b,
    stop_s: Math.max(0, a),
    setup_s: idle.reduce((s, r) => s + Number(r.setup_time_ms), 0) / idle.length / 1e3,
    layout_from: finest.run_id,
  };
}

/**
 * The row's layout: the idle guest's, with the dirtier's W pages (touched once, so non-zero) in its
 * free memory: the first W zero pages from free_start_page on. The group is one contiguous range,
 * so any non-zero pages it would straddle move just after it (their count and order are kept).
 */
export function rowLayout(c: QemuConstants, wsPages: number): PageRegion[] {
  if (wsPages === 0) return c.layout;
  const from = c.free_start_page;
  const out: PageRegion[] = [];
  let zerosLeft = wsPages;
  let moved = 0;
  let resume = -1;
  for (const r of c.layout) {
    const end = r.first + r.pages;
    if (end <= from || resume >= 0) {
      if (resume < 0 || r.first >= resume) out.push(r);
      else if (end > resume) out.push({ ...r, first: resume, pages: end - resume });
      continue;
    }
    const head = Math.max(0, from - r.first);
    if (head > 0) out.push({ ...r, pages: head });
    const body = r.pages - head;
    if (r.content === 'nonzero') moved += body;
    else if (body < zerosLeft) zerosLeft -= body;
    else {
      resume = r.first + head + zerosLeft; // the first page of the layout after the group's span
      zerosLeft = 0;
      if (end > resume) out.push({ ...r, first: resume, pages: end - resume });
    }
  }
  if (zerosLeft > 0) throw new Error(`the idle guest has fewer than ${wsPages} free pages from page ${from} on`);
  out.push({ first: from, pages: wsPages, content: 'nonzero' });
  if (moved > 0) out.push({ first: from + wsPages, pages: moved, content: 'nonzero' });
  return out.sort((x, y) => x.first - y.first);
}

/** Which vmsim policy plays a row's mode. */
export function policyOf(mode: string): 'precopy' | 'hybrid' {
  if (mode === 'precopy' || mode === 'xbzrle') return 'precopy';
  if (mode === 'postcopy') return 'hybrid';
  throw new Error(`unknown reference mode "${mode}"`);
}

/** One reference row as a vmsim migration scenario (a raw document, quantities with units). */
export function rowScenario(row: ReferenceRow, c: QemuConstants): Record<string, unknown> {
  const page = c.page_bytes;
  const wsBytes = Number(row.dirty_mb) * 1024 * 1024;
  const wsPages = wsBytes / page;
  const rate = Number(row.dirty_rate_target);
  const mode = row.mode;
  const policy = policyOf(mode);
  const options: Record<string, unknown> = {
    rules: 'qemu',
    setup: `${c.setup_s}s`,
    stop_time: `${c.stop_s}s`,
    max_bandwidth: `${row.max_bw_bytes_s}B/s`,
    downtime_limit: `${row.downtime_limit_ms}ms`,
    deadline: `${row.cap_s}s`,
  };
  if (mode === 'xbzrle') options.xbzrle = true;
  if (policy === 'hybrid') {
    delete options.rules;
    options.precopy_rounds = HARNESS.postcopy_after_rounds;
    options.max_postcopy_bandwidth = `${Number(row.max_postcopy_bw_mib_s) * 1024 * 1024}B/s`;
  }
  const cursor = wsPages > 0 ? (Math.floor(rate * HARNESS.warmup_s) % wsPages) * page : 0;
  return {
    kind: 'migration',
    name: `qemu-7.2-${row.run_id}`,
    description: `QEMU 7.2 reference run ${row.run_id} (${mode}, W ${row.dirty_mb} MiB at ${rate} pages/s, max-bandwidth ${row.max_bw_mib_s} MiB/s)`,
    seed: 1,
    policy,
    options,
    link: { bandwidth: `${c.copy_Bps}B/s`, latency: '0ms' },
    vm: {
      name: 'guest',
      memory: `${row.ram_total}B`,
      page_size: `${page}B`,
      write_delta: `${HARNESS.xbzrle_delta_bytes / page}`,
      layout: rowLayout(c, wsPages).map((r) => ({ offset: `${r.first * page}B`, size: `${r.pages * page}B`, content: r.content })),
      working_set:
        wsPages === 0
          ? []
          : [{ name: 'dirtier', size: `${wsBytes}B`, offset: `${c.free_start_page * page}B`, rate: `${rate} pages/s`, pattern: 'sequential', cursor: `${cursor}B` }],
    },
  };
}
