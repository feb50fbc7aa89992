// The migration scenario a prediction runs: the VM's memory from the transcript, its working set
// from the fitted curve, the zero pages from an earlier migration when the transcript holds one,
// and, for what the measurement cannot tell, a range drawn once per trial (a distribution field)
// with a note saying so. Variants per policy, and axes for QEMU's max-bandwidth x downtime-limit,
// so the existing sweep runs it: nothing here runs anything.
import type { AxisText } from '../experiment/sweep-plan.js';
import type { Fit, FittedGroup, WorkloadFit } from './fit.js';
import type { Transcript } from './transcript.js';

/** The policies a prediction compares, as variants (a policy with its options) under these names. */
export const PREDICT_VARIANTS: Readonly<Record<string, { policy: string; options?: Record<string, unknown> }>> = {
  precopy: { policy: 'precopy', options: { rules: 'qemu' } },
  'auto-converge': { policy: 'precopy', options: { rules: 'qemu', auto_converge: true } },
  xbzrle: { policy: 'precopy', options: { rules: 'qemu', xbzrle: true } },
  postcopy: { policy: 'postcopy' },
  hybrid: { policy: 'hybrid' },
};

/** Policies whose runs follow QEMU's max-bandwidth and downtime-limit (the others run once per point of the rest). */
export const RATE_LIMITED = new Set(['precopy', 'auto-converge', 'xbzrle', 'hybrid']);

/**
 * What the transcript cannot tell, as ranges. The zero pages outside the working set: a freshly
 * booted guest has most of its memory zero, one that has run for days has filled it with page cache,
 * so without an earlier migration's counts the range spans both. XBZRLE's delta of a rewritten page:
 * from a few bytes changed (a counter) to half the page (a buffer refilled). What dirty logging costs
 * each guest write: from nothing (PML, few writes) to a write-protection fault (the field's own
 * example, 2 us). None is fitted to anything; they say how little is known, and the trials spread
 * over them.
 */
export const UNKNOWN = {
  zero_share: 'uniform(5%, 95%)',
  write_delta: 'uniform(1%, 50%)',
  tracking_cost: 'uniform(0s, 2us)',
} as const;

export interface PredictSettings {
  /** Axis specs as the user gave them (sweep syntax: list or range, with units). */
  bandwidth: string;
  downtime_limit: string;
  /** Variant names of PREDICT_VARIANTS, in order. */
  policies: readonly string[];
  /** The link's own speed (the stopped round and post-copy are not rate limited), with its unit; unset: see linkSpeed. */
  link?: string;
  /** Give up on a pre-copy not switched over by then (QEMU never does), with its unit. */
  deadline: string;
  /** Host costs, when known (the QEMU harness's, from its idle runs): set-up and stop times, seconds. */
  setup_s?: number;
  stop_s?: number;
}

export interface PredictScenario {
  /** The scenario document (quantities with units; distributions as text). */
  doc: Record<string, unknown>;
  axes: AxisText[];
  /** What is a range and why, one sentence each (said on stderr and in the report). */
  ranges: string[];
  /** What the prediction leaves out, one sentence each (said beside the ranges). */
  notes: string[];
  /** The working sets of the other patterns a prediction runs, as text (the scenario file holds the first). */
  alternatives: string[];
}

/** The link's speed when neither the user nor an earlier migration gives it. */
export const DEFAULT_LINK = '10Gbit/s';

/**
 * QEMU measures downtime in whole milliseconds (two readings of a millisecond clock), so a figure of
 * d ms means a switch-over of d - 1 to d + 1 ms. Below this many ms that span is more than a factor
 * of two in the speed it implies, too wide to say anything.
 */
const MIN_RESOLVED_DOWNTIME_MS = 3;

/**
 * The link's speed: the user's (--link); else the speed the earlier migration's switch-over shows
 * (its downtime-bytes in its downtime, a range over QEMU's millisecond resolution; the stop's fixed
 * cost counts as copying unless the host's stop time is known, so for a small earlier round the speed
 * is on the low side); else DEFAULT_LINK, said as a range note.
 */
function linkSpeed(t: Transcript, s: PredictSettings, ranges: string[]): string {
  if (s.link !== undefined) return s.link;
  const m = t.migration;
  const stopMs = (s.stop_s ?? 0) * 1e3;
  if (m?.downtime_ms !== undefined && m.downtime_bytes !== undefined && m.downtime_bytes > 0 && m.downtime_ms >= MIN_RESOLVED_DOWNTIME_MS + stopMs) {
    const slow = m.downtime_bytes / ((m.downtime_ms + 1 - stopMs) / 1e3);
    const fast = m.downtime_bytes / ((m.downtime_ms - 1 - stopMs) / 1e3);
    // To 0.1 MB/s: readable in the notes and the scenario file, and far finer than the millisecond span.
    const spec = `uniform(${(slow / 1e6).toFixed(1)}MB/s, ${(fast / 1e6).toFixed(1)}MB/s)`;
    ranges.push(
      `link.bandwidth = ${spec}: the speed of the stopped round and of post-copy, from the earlier migration's switch-over (${(m.downtime_bytes / 1e6).toPrecision(3)} MB in ${m.downtime_ms} ms, which QEMU counts in whole milliseconds${s.stop_s === undefined ? '; its fixed cost counted as copying' : ''}); --link sets it instead`,
    );
    return spec;
  }
  const why =
    m === undefined
      ? 'no earlier migration in the transcript measures it'
      : m.downtime_ms === undefined || m.downtime_bytes === undefined
        ? "the earlier migration's reply has no downtime and downtime-bytes"
        : m.downtime_bytes === 0
          ? 'the earlier migration sent no memory while the VM was stopped (a post-copy)'
          : `the earlier migration's switch-over (${m.downtime_ms} ms) is too short to measure it at QEMU's millisecond resolution`;
  ranges.push(`link.bandwidth = ${DEFAULT_LINK}, a default: ${why}; --link sets the speed of the stopped round and of post-copy`);
  return DEFAULT_LINK;
}

const pct = (x: number): string => `${(x * 100).toFixed(4).replace(/\.?0+$/, '')}%`;

/** One fitted group as a scenario working-set group; a sequential writer starts anywhere in it (a range). */
function groupDoc(g: FittedGroup, k: number, page: number): Record<string, unknown> {
  const size = g.pages * page;
  return {
    name: `fit${k + 1}`,
    size: `${size}B`,
    rate: `${Number(g.rate_pages_s.toPrecision(6))} pages/s`,
    pattern: g.pattern,
    ...(g.pattern === 'sequential' && g.pages > 1 ? { cursor: `uniform(0B, ${size - page}B)` } : {}),
  };
}

const workingSetDoc = (f: Fit, page: number): Array<Record<string, unknown>> => f.groups.map((g, k) => groupDoc(g, k, page));

/** The zero share of the pages outside the working set: measured (an earlier migration) or a range. */
function zeroShare(t: Transcript, wsPages: number, page: number, ranges: string[]): string {
  const m = t.migration;
  const pages = Math.floor(t.memory_bytes / page);
  if (m === undefined) {
    ranges.push(`vm.zero = ${UNKNOWN.zero_share}: the share of zero pages outside the working set is not in the measurement (add an earlier migration's query-migrate reply to the transcript to measure it)`);
    return UNKNOWN.zero_share;
  }
  // Zero pages go once, as headers (ram.duplicate); ram.normal counts every re-sent page too, so it
  // would overstate the non-zero ones.
  const share = Math.min(1, Math.max(0, m.duplicate_pages / Math.max(1, pages - wsPages)));
  return pct(share);
}

/** The scenario, axes and ranges of a prediction. */
export function predictScenario(t: Transcript, fit: WorkloadFit, s: PredictSettings): PredictScenario {
  const page = fit.page_bytes;
  const ranges: string[] = [];
  // One layout serves every fitted alternative (an axis sets one field), so only the pages all of
  // them say were written are marked non-zero: the smallest set. A larger alternative's other pages
  // follow the zero share like the rest; marking the largest set instead made a curve that had not
  // flattened (a random set of all memory beside a sequential 95 MiB) send all memory in full.
  const wsPages = Math.min(...fit.chosen.map((f) => f.groups.reduce((n, g) => n + g.pages, 0)));
  const zero = zeroShare(t, wsPages, page, ranges);
  const link = linkSpeed(t, s, ranges);
  const qemu = {
    deadline: s.deadline,
    ...(s.setup_s === undefined ? {} : { setup: `${s.setup_s}s` }),
    ...(s.stop_s === undefined ? {} : { stop_time: `${s.stop_s}s` }),
  };
  const variants: Record<string, unknown> = {};
  for (const name of s.policies) {
    const v = PREDICT_VARIANTS[name];
    const timing = v.policy === 'postcopy' ? { ...(s.setup_s === undefined ? {} : { setup: `${s.setup_s}s` }), ...(s.stop_s === undefined ? {} : { stop_time: `${s.stop_s}s` }) } : qemu;
    variants[name] = { policy: v.policy, options: { ...v.options, ...timing } };
  }
  if (s.policies.includes('xbzrle')) ranges.push(`vm.write_delta = ${UNKNOWN.write_delta}: how much of a rewritten page changes (what XBZRLE sends) is not in the measurement`);
  ranges.push(`vm.dirty_tracking_cost = ${UNKNOWN.tracking_cost}: what dirty logging costs the guest per page write (its share of the guest work lost) is not in the measurement`);
  if (fit.chosen.some((f) => f.pattern === 'sequential')) ranges.push('working_set cursor = uniform over the group: where a sequential writer stands when the migration starts is not in the measurement');
  const [first] = fit.chosen;
  const alternatives: string[] = [];
  const axes: AxisText[] = [
    { path: 'variant', spec: s.policies.join(','), literal: [...s.policies] },
    { path: 'options.max_bandwidth', spec: s.bandwidth },
    { path: 'options.downtime_limit', spec: s.downtime_limit },
  ];
  if (fit.chosen.length > 1) {
    // Named by their pattern: the column reads random / sequential, the groups themselves are in scenario.yaml's comment.
    const names = fit.chosen.map((f) => f.pattern);
    axes.push({ path: 'vm.working_set', spec: names.join(','), literal: names, given: fit.chosen.map((f) => workingSetDoc(f, page)) });
    alternatives.push(...fit.chosen.slice(1).map((f) => `vm.working_set when ${f.pattern}: ${JSON.stringify(workingSetDoc(f, page))}`));
    ranges.push(`access pattern = ${fit.chosen.map((f) => f.pattern).join(' or ')}: both fit the curve within what the measurement resolves, so every point runs both (as many trials each)`);
  }
  const doc: Record<string, unknown> = {
    kind: 'migration',
    name: 'predict',
    description: `Prediction from a QMP transcript: a ${t.memory_bytes / 2 ** 20} MiB VM, its working set fitted to ${fit.points.length} measured dirty rates`,
    seed: 1,
    trials: 1,
    policy: 'precopy',
    variants,
    link: { bandwidth: link, latency: '0ms' },
    vm: {
      name: 'vm',
      memory: `${t.memory_bytes}B`,
      page_size: `${page}B`,
      zero,
      ...(s.policies.includes('xbzrle') ? { write_delta: UNKNOWN.write_delta } : {}),
      dirty_tracking_cost: UNKNOWN.tracking_cost,
      // The working set has been written (it is not zero) and sits at the bottom of memory.
      layout: wsPages > 0 ? [{ offset: '0B', size: `${wsPages * page}B`, content: 'nonzero' }] : [],
      working_set: workingSetDoc(first, page),
    },
  };
  const notes: string[] = [];
  if (s.stop_s === undefined) {
    const stopless = s.policies.filter((n) => PREDICT_VARIANTS[n].policy !== 'precopy');
    notes.push(
      `downtime leaves out the switch-over's fixed cost (stopping the VM, sending its device state), which the measurement does not give${link === DEFAULT_LINK || s.link !== undefined ? '' : ' beyond what the earlier switch-over\'s speed counts of it'}` +
        (stopless.length > 0 ? `; ${stopless.join(' and ')} send${stopless.length === 1 ? 's' : ''} no memory while the VM is stopped, so ${stopless.length === 1 ? 'its' : 'their'} downtime here (0) is only a lower bound` : ''),
    );
  }
  return { doc, axes, ranges, notes, alternatives };
}
