// Per-round rows of a migration, from what the recorder saw: a round runs from one 'round' mark to
// the next (the last to the end of the run); the pages and bytes a round sent and the pages found
// dirty at the sync that closed it are the world's events counted in that round.
import type { ParamValue } from './record.js';
import type { Recorder } from './recorder.js';

export const ROUND_COLUMNS = ['round', 'phase', 'start_ms', 'duration_ms', 'pages_sent', 'pages_dirtied', 'bytes_sent', 'bandwidth_bps', 'mode'] as const;
export const REMAINING_COLUMNS = ['t_ms', 'remaining_bytes'] as const;

export function roundRows(rec: Recorder, t0: number, end: number): Array<Record<string, ParamValue>> {
  const marks = rec.marks.filter((m) => m.name === 'round');
  // One pass over each event list, grouped by round: a run of 100,000 rounds must not cost rounds x events.
  const sums = marks.map(() => ({ pages: 0, bytes: 0, dirtied: 0, byMode: new Map<string, number>() }));
  const of = (round: number) => (Number.isInteger(round) && round >= 1 && round <= sums.length ? sums[round - 1] : undefined);
  for (const s of rec.pageSends) {
    const x = of(s.round);
    if (x) (x.pages += s.pages), (x.bytes += s.bytes);
  }
  for (const d of rec.dirtySyncs) {
    const x = of(d.round);
    if (x) x.dirtied += d.pages;
  }
  for (const p of rec.pipeline) {
    const x = of(p.round);
    if (x) x.byMode.set(p.mode, (x.byMode.get(p.mode) ?? 0) + p.input_bytes);
  }
  const rows: Array<Record<string, ParamValue>> = [];
  marks.forEach((m, k) => {
    const stop = k + 1 < marks.length ? marks[k + 1].t : end;
    const { pages, bytes, dirtied, byMode } = sums[k];
    const mode = [...byMode].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const duration = stop - m.t;
    rows.push({
      round: m.value ?? k + 1,
      phase: m.phase ?? '',
      start_ms: (m.t - t0) * 1e3,
      duration_ms: duration * 1e3,
      pages_sent: pages,
      pages_dirtied: dirtied,
      bytes_sent: bytes,
      bandwidth_bps: duration > 0 ? (bytes * 8) / duration : 0,
      mode,
    });
  });
  return rows;
}
