// Per-round rows of a migration, from what the recorder saw: a round runs from one 'round' mark to
// the next (the last to the end of the run); the pages and bytes a round sent and the pages found
// dirty at the sync that closed it are the world's events counted in that round.
import type { ParamValue } from './record.js';
import type { Recorder } from './recorder.js';

export const ROUND_COLUMNS = ['round', 'phase', 'start_ms', 'duration_ms', 'pages_sent', 'pages_dirtied', 'bytes_sent', 'bandwidth_bps', 'mode'] as const;
export const REMAINING_COLUMNS = ['t_ms', 'remaining_bytes'] as const;

export function roundRows(rec: Recorder, t0: number, end: number): Array<Record<string, ParamValue>> {
  const marks = rec.marks.filter((m) => m.name === 'round');
  const rows: Array<Record<string, ParamValue>> = [];
  marks.forEach((m, k) => {
    const r = k + 1;
    const stop = k + 1 < marks.length ? marks[k + 1].t : end;
    let pages = 0;
    let bytes = 0;
    for (const s of rec.pageSends) if (s.round === r) (pages += s.pages), (bytes += s.bytes);
    let dirtied = 0;
    for (const d of rec.dirtySyncs) if (d.round === r) dirtied += d.pages;
    const byMode = new Map<string, number>();
    for (const p of rec.pipeline) if (p.round === r) byMode.set(p.mode, (byMode.get(p.mode) ?? 0) + p.input_bytes);
    const mode = [...byMode].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const duration = stop - m.t;
    rows.push({
      round: m.value ?? r,
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
