// --trace in Chrome's trace-event format (sim/results/perfetto.ts): checked against the format's
// rules (Trace Event Format, "JSON Object Format"): required fields and their types, complete events
// with non-negative durations, ts never going back on a track, and spans that say what happened.
import { describe, expect, it } from 'vitest';
import { run, type RunRecord } from '../../sim/api.js';
import { PerfettoTrace } from '../../sim/results/perfetto.js';
import { readScenario } from '../helpers/scenarios.js';

interface Ev {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  s?: string;
  args?: Record<string, unknown>;
}

function traced(name: string, sets: string[], trials = 1): { doc: { traceEvents: Ev[]; displayTimeUnit: string }; records: RunRecord[] } {
  const chunks: string[] = [];
  const p = new PerfettoTrace((s) => chunks.push(s));
  const records = run(readScenario(name, sets), { trials, trace: (e) => p.event(e) });
  p.end();
  return { doc: JSON.parse(chunks.join('')), records };
}

/** Every rule of the format the viewers rely on; returns the problems found. */
function problems(events: readonly Ev[]): string[] {
  const out: string[] = [];
  const lastTs = new Map<string, number>();
  const named = new Set<string>();
  for (const [i, e] of events.entries()) {
    const at = `event ${i} (${JSON.stringify(e).slice(0, 80)})`;
    if (!['X', 'i', 'C', 'M'].includes(e.ph)) out.push(`${at}: ph ${e.ph}`);
    if (typeof e.name !== 'string' || e.name === '') out.push(`${at}: name`);
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) out.push(`${at}: pid/tid`);
    if (e.ph === 'M') {
      if (typeof e.args?.name !== 'string' && typeof e.args?.sort_index !== 'number') out.push(`${at}: metadata without args`);
      if (e.name === 'thread_name') named.add(`${e.pid}/${e.tid}`);
      continue;
    }
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) out.push(`${at}: ts`);
    if (e.ph === 'X' && (typeof e.dur !== 'number' || !Number.isFinite(e.dur) || e.dur < 0)) out.push(`${at}: dur`);
    if (e.ph === 'i' && !['g', 'p', 't'].includes(e.s ?? '')) out.push(`${at}: instant scope`);
    if (e.ph === 'C' && (e.args === undefined || Object.values(e.args).some((v) => typeof v !== 'number'))) out.push(`${at}: counter args`);
    if (!named.has(`${e.pid}/${e.tid}`)) out.push(`${at}: track without a thread_name before it`);
    const track = e.ph === 'C' ? `${e.pid}/C/${e.name}` : `${e.pid}/${e.tid}`;
    if ((lastTs.get(track) ?? -Infinity) > e.ts!) out.push(`${at}: ts goes back on its track`);
    lastTs.set(track, e.ts!);
  }
  return out;
}

/** Track names by pid and tid (thread ids are per process). */
const trackNames = (events: readonly Ev[]): { get: (e: Ev) => string | undefined; all: string[] } => {
  const m = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}/${e.tid}`, String(e.args!.name)]));
  return { get: (e) => m.get(`${e.pid}/${e.tid}`), all: [...m.values()] };
};

describe('a Perfetto trace', () => {
  it('of a stop-and-copy: valid, one transfer as long as the downtime, the VM suspended as long', () => {
    const { doc, records } = traced('stop-and-copy', ['vm.memory=64MiB', 'vm.working_set=[]']);
    expect(problems(doc.traceEvents)).toEqual([]);
    expect(doc.displayTimeUnit).toBe('ms');
    const names = trackNames(doc.traceEvents);
    const memory = doc.traceEvents.filter((e) => e.ph === 'X' && names.get(e)?.startsWith('link source → destination'));
    const total_us = memory.reduce((s, e) => s + e.dur!, 0);
    expect(total_us / 1e3).toBeCloseTo(records[0].metrics.downtime_ms, 3);
    const stopped = doc.traceEvents.find((e) => e.ph === 'X' && names.get(e) === 'VM vm: state' && e.name.startsWith('suspended'))!;
    expect(stopped.dur! / 1e3).toBeCloseTo(records[0].metrics.downtime_ms, 3);
  });

  it('of a pre-copy with auto-converge: rounds one after another, the throttle as a counter', () => {
    const { doc, records } = traced('precopy-qemu', ['vm.memory=512MiB', 'link.bandwidth=100Mbit/s', 'options.auto_converge=true', 'options.downtime_limit=50ms']);
    expect(problems(doc.traceEvents)).toEqual([]);
    const names = trackNames(doc.traceEvents);
    const rounds = doc.traceEvents.filter((e) => e.ph === 'X' && names.get(e) === 'rounds');
    expect(rounds.map((r) => r.name)).toEqual(rounds.map((_r, i) => `round ${i + 1}`));
    for (let i = 1; i < rounds.length; i++) expect(rounds[i].ts).toBeCloseTo(rounds[i - 1].ts! + rounds[i - 1].dur!, 3);
    const throttle = doc.traceEvents.filter((e) => e.ph === 'C' && /CPU throttle/.test(e.name)).map((e) => e.args!.percent as number);
    expect(throttle.length).toBeGreaterThan(0);
    expect(Math.max(...throttle)).toBeCloseTo(records[0].metrics.cpu_throttle_percentage, 6);
  });

  it('of a post-copy: each fault stall as long as its wait, over two trials in two processes', () => {
    const { doc } = traced('postcopy', ['vm.memory=512MiB'], 2);
    expect(problems(doc.traceEvents)).toEqual([]);
    expect(new Set(doc.traceEvents.map((e) => e.pid))).toEqual(new Set([1, 2]));
    const names = trackNames(doc.traceEvents);
    const stalls = doc.traceEvents.filter((e) => e.ph === 'X' && names.get(e)?.startsWith('VM vm: fault stalls'));
    expect(stalls.length).toBeGreaterThan(10);
    for (const s of stalls) expect(s.dur!).toBeCloseTo((s.args!.waited_s as number) * 1e6, 2);
    // Post-copy's background stream and the faulted pages overlap on the link: they take lanes.
    expect(names.all.some((n) => /^link source → destination #2$/.test(n))).toBe(true);
  });
});
