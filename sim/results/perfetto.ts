// World events as Chrome's trace-event JSON (the format ui.perfetto.dev and chrome://tracing open),
// written as the run goes, so a long run's trace never waits in memory. One process per trial; one
// track (thread) per thing on the timeline: each link's transfers, the VM's states, its pre-copy
// rounds, its fault stalls, its marks. A span becomes one "X" (complete) event when it ends, with ts
// and dur in microseconds of simulated time; marks are "i" instants; the CPU throttle and the pages
// a dirty sync found are "C" counters. Spans that overlap on one link (post-copy's background stream
// and a fault's page) go to lanes of that link ("source → destination #2"), so every track's spans
// follow one another and its ts never go back. Per-page "pages" events are left out (they only
// split a transfer's bytes by page kind; the JSON-lines trace has them).
import type { TraceEvent } from './record.js';

type Args = Record<string, unknown>;

interface Open {
  t: number;
  name: string;
  args: Args;
}

/** Tracks of one trial: thread ids by name, and the spans open on each. */
class Trial {
  readonly tids = new Map<string, number>();
  /** Open span per lane, by track name; a lane is a track with at most one open span. */
  readonly lanes = new Map<string, Array<Open | null>>();
  /** Where the open spans of each key sit (their lanes' track and index), oldest first. */
  readonly where = new Map<string, Array<{ track: string; lane: number }>>();
  constructor(readonly pid: number) {}
}

const us = (t: number): number => Math.round(t * 1e9) / 1e3;
/** Whole microseconds would merge the µs-scale spans of a fast link; keep ns precision. */
const dur = (from: number, to: number): number => Math.max(0, us(to) - us(from));

export class PerfettoTrace {
  private readonly trials = new Map<number, Trial>();
  private first = true;
  private last = 0;

  constructor(private readonly write: (chunk: string) => void) {
    write('{"displayTimeUnit":"ms","otherData":{"generator":"vmsim","clock":"simulated time"},"traceEvents":[\n');
  }

  /** One world event (with the trial it belongs to). */
  event(e: TraceEvent & { trial?: number }): void {
    const tr = this.trial(e.trial ?? 0);
    const t = e.t;
    this.last = Math.max(this.last, t);
    const { type, t: _t, trial: _trial, ...fields } = e;
    switch (type) {
      case 'transfer-start':
        return this.begin(tr, `link ${String(e.from)} → ${String(e.to)}`, `transfer ${String(e.id)}`, t, String(e.tag), fields);
      case 'transfer-end':
        return this.finish(tr, `transfer ${String(e.id)}`, t, e.cancelled === true ? { cancelled: true } : {});
      case 'vm-state':
        this.finish(tr, `state ${String(e.vm)}`, t, {});
        return this.begin(tr, `VM ${String(e.vm)}: state`, `state ${String(e.vm)}`, t, `${String(e.to)} @ ${String(e.site)}`, fields);
      case 'fault':
        return this.begin(tr, `VM ${String(e.vm)}: fault stalls`, `fault ${String(e.vm)} ${String(e.store)} ${String(e.unit)}`, t, 'fault stall', fields);
      case 'fault-served':
        return this.finish(tr, `fault ${String(e.vm)} ${String(e.store)} ${String(e.unit)}`, t, { waited_s: e.waited_s });
      case 'mark':
        if (e.name === 'round') {
          this.finish(tr, 'round', t, {});
          return this.begin(tr, 'rounds', 'round', t, `round ${String(e.value)}`, { round: e.value });
        }
        return this.emit(tr, { ph: 'i', s: 't', name: String(e.name), ts: us(t), ...(e.value === undefined ? {} : { args: { value: e.value } }) }, 'marks');
      case 'throttle':
        return this.emit(tr, { ph: 'C', name: `VM ${String(e.vm)}: CPU throttle (%)`, ts: us(t), args: { percent: Number(e.fraction) * 100 } }, 'counters');
      case 'dirty-sync':
        return this.emit(tr, { ph: 'C', name: `VM ${String(e.vm)}: pages found dirty`, ts: us(t), args: { pages: e.pages, new_pages: e.new_pages } }, 'counters');
      case 'pages':
        return;
      default:
        // Everything else (pipeline batches, CPU work, lookaside hits) as an instant with its fields.
        return this.emit(tr, { ph: 'i', s: 't', name: type, ts: us(t), args: fields }, `${type} ${String(e.vm ?? e.host ?? '')}`.trim());
    }
  }

  /** Close the spans still open (at the last event's time, marked open) and the JSON. */
  end(): void {
    for (const tr of this.trials.values()) {
      for (const [key, open] of [...tr.where]) for (let k = 0; k < open.length; k++) this.finish(tr, key, this.last, { open_at_end: true });
    }
    this.write('\n]}\n');
  }

  private trial(k: number): Trial {
    let tr = this.trials.get(k);
    if (tr === undefined) {
      tr = new Trial(k + 1);
      this.trials.set(k, tr);
      this.raw({ ph: 'M', name: 'process_name', pid: tr.pid, tid: 0, args: { name: `vmsim trial ${k}` } });
      this.raw({ ph: 'M', name: 'process_sort_index', pid: tr.pid, tid: 0, args: { sort_index: k } });
    }
    return tr;
  }

  private tid(tr: Trial, track: string): number {
    let tid = tr.tids.get(track);
    if (tid === undefined) {
      tid = tr.tids.size + 1;
      tr.tids.set(track, tid);
      this.raw({ ph: 'M', name: 'thread_name', pid: tr.pid, tid, args: { name: track } });
      this.raw({ ph: 'M', name: 'thread_sort_index', pid: tr.pid, tid, args: { sort_index: tid } });
    }
    return tid;
  }

  /** Open a span of `key` on the first free lane of `track` (a key may have several: two faults on one page). */
  private begin(tr: Trial, track: string, key: string, t: number, name: string, args: Args): void {
    const lanes = tr.lanes.get(track) ?? [];
    tr.lanes.set(track, lanes);
    let lane = lanes.indexOf(null);
    if (lane < 0) lane = lanes.push(null) - 1;
    lanes[lane] = { t, name, args };
    tr.where.set(key, [...(tr.where.get(key) ?? []), { track, lane }]);
  }

  /** End the oldest open span of `key`. */
  private finish(tr: Trial, key: string, t: number, more: Args): void {
    const all = tr.where.get(key);
    const at = all?.[0];
    if (at === undefined) return;
    if (all!.length === 1) tr.where.delete(key);
    else tr.where.set(key, all!.slice(1));
    const lanes = tr.lanes.get(at.track)!;
    const open = lanes[at.lane]!;
    lanes[at.lane] = null;
    const track = at.lane === 0 ? at.track : `${at.track} #${at.lane + 1}`;
    this.emit(tr, { ph: 'X', name: open.name, ts: us(open.t), dur: dur(open.t, t), args: { ...open.args, ...more } }, track);
  }

  private emit(tr: Trial, ev: Args, track: string): void {
    this.raw({ ...ev, pid: tr.pid, tid: this.tid(tr, track) });
  }

  private raw(ev: Args): void {
    this.write((this.first ? '' : ',\n') + JSON.stringify(ev));
    this.first = false;
  }
}
