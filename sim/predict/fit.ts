// A workload from a measured curve: QEMU's calc-dirty-rate at calc-time t gives the distinct memory a
// guest dirties in a window of t seconds, D(t) = dirty-rate x t. Working-set groups whose own curve
// (the model's: sim/world/workload.ts distinctPages) matches it are fitted by weighted least squares,
// per access pattern, each point weighted by what the measurement itself cannot resolve:
//   - page sampling: QEMU samples `sample-pages` pages per GiB and scales up, so D has the binomial
//     spread M sqrt(p (1 - p) / n), p = D / M, n = sample-pages x M / GiB;
//   - QEMU truncates the rate to whole MiB/s, so D is low by up to t MiB (a spread of t / sqrt(12)).
// This is the user's own measurement turned into input, not a calibration of the model. A pattern
// whose fit stays within that spread (chi-square per point at most CONSISTENT) is consistent with the
// measurement; when both are, the curve cannot tell them apart and the prediction carries both.
import { distinctPages } from '../world/index.js';
import type { Transcript } from './transcript.js';

export type Pattern = 'random' | 'sequential';
export const PATTERNS: readonly Pattern[] = ['random', 'sequential'];

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** QEMU's calc-dirty-rate default sample-pages (qapi/migration.json), when a reply does not say. */
const DEFAULT_SAMPLE_PAGES = 512;
/** Chi-square per point below which a fit is within the measurement's own spread (2 sd RMS). */
const CONSISTENT = 4;

export interface CurvePoint {
  t_s: number;
  /** Distinct bytes dirtied in a window of t_s. */
  dirtied_bytes: number;
  /** What the measurement cannot resolve at this point (one standard deviation), bytes. */
  sd_bytes: number;
}

export interface FittedGroup {
  pattern: Pattern;
  pages: number;
  rate_pages_s: number;
}

export interface Fit {
  pattern: Pattern;
  groups: FittedGroup[];
  /** RMS of the residuals, bytes, and as a share of the largest D(t), %. */
  rms_bytes: number;
  rms_pct: number;
  /** Sum of squared residuals over the points' spread, per point. */
  chi2_per_point: number;
  /** The fit's D(t) at each point, bytes. */
  fitted_bytes: number[];
}

export interface WorkloadFit {
  points: CurvePoint[];
  page_bytes: number;
  /** RMS of the points' spread, bytes. */
  noise_rms_bytes: number;
  /** The best fit of each pattern (one group, or two where that clearly helps), best first. */
  fits: Fit[];
  /** The fits the prediction uses: the best, and the other pattern when it is consistent too. */
  chosen: Fit[];
}

/** The curve's points, with their spread, from a transcript's measured dirty rates. */
export function curveOf(t: Transcript): CurvePoint[] {
  const M = t.memory_bytes;
  return t.points
    .map((p) => {
      const D = p.dirty_rate_MiBps * p.calc_time_s * MiB;
      const sampled = p.mode === undefined || p.mode === 'page-sampling';
      const n = ((p.sample_pages ?? DEFAULT_SAMPLE_PAGES) * M) / GiB;
      const frac = Math.min(1, D / M);
      const sampling = sampled && n > 0 ? M * Math.sqrt(Math.max(frac * (1 - frac), 1 / n) / n) : 0;
      const truncation = (p.calc_time_s * MiB) / Math.sqrt(12);
      return { t_s: p.calc_time_s, dirtied_bytes: D, sd_bytes: Math.hypot(sampling, truncation) };
    })
    .sort((a, b) => a.t_s - b.t_s);
}

/** D(t) of a set of groups, bytes. */
export function curveBytes(groups: readonly FittedGroup[], t: number, page: number): number {
  return groups.reduce((s, g) => s + distinctPages(g.pattern, g.pages, g.rate_pages_s, t) * page, 0);
}

/** Nelder-Mead minimisation of f from x0 with initial steps `step` (log-parameters: smooth, unconstrained). */
function nelderMead(f: (x: number[]) => number, x0: number[], step: number[], iterations = 400): { x: number[]; v: number } {
  const n = x0.length;
  let simplex = [x0, ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step[i] : v)))].map((x) => ({ x, v: f(x) }));
  const mix = (a: number[], b: number[], w: number): number[] => a.map((v, i) => v + w * (b[i] - v));
  for (let it = 0; it < iterations; it++) {
    simplex.sort((a, b) => a.v - b.v);
    const worst = simplex[n];
    const centroid = x0.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + p.x[i], 0) / n);
    const reflect = mix(centroid, worst.x, -1);
    const vr = f(reflect);
    if (vr < simplex[0].v) {
      const expand = mix(centroid, worst.x, -2);
      const ve = f(expand);
      simplex[n] = ve < vr ? { x: expand, v: ve } : { x: reflect, v: vr };
    } else if (vr < simplex[n - 1].v) simplex[n] = { x: reflect, v: vr };
    else {
      const contract = mix(centroid, worst.x, 0.5);
      const vc = f(contract);
      if (vc < worst.v) simplex[n] = { x: contract, v: vc };
      else simplex = simplex.map((p, k) => (k === 0 ? p : { x: mix(simplex[0].x, p.x, 0.5), v: f(mix(simplex[0].x, p.x, 0.5)) }));
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return simplex[0];
}

/** Groups from log-parameters [ln W, ln r, ...], W capped at the memory's pages (together). */
function groupsOf(x: readonly number[], pattern: Pattern, maxPages: number): FittedGroup[] {
  const out: FittedGroup[] = [];
  let left = maxPages;
  for (let k = 0; k < x.length; k += 2) {
    const pages = Math.max(1, Math.min(left, Math.round(Math.exp(x[k]))));
    left = Math.max(1, left - pages);
    out.push({ pattern, pages, rate_pages_s: Math.exp(x[k + 1]) });
  }
  return out;
}

function describeFit(points: readonly CurvePoint[], groups: FittedGroup[], page: number, pattern: Pattern = groups[0].pattern): Fit {
  const fitted = points.map((p) => curveBytes(groups, p.t_s, page));
  const res = points.map((p, k) => fitted[k] - p.dirtied_bytes);
  const rms = Math.sqrt(res.reduce((s, r) => s + r * r, 0) / points.length);
  const top = Math.max(...points.map((p) => p.dirtied_bytes));
  return {
    pattern,
    groups,
    rms_bytes: rms,
    rms_pct: top > 0 ? (rms / top) * 100 : 0,
    chi2_per_point: res.reduce((s, r, k) => s + (r / points[k].sd_bytes) ** 2, 0) / points.length,
    fitted_bytes: fitted,
  };
}

/** The best fit of one pattern with `count` groups: a coarse grid over (W, r), then Nelder-Mead from the best cells. */
export function fitPattern(points: readonly CurvePoint[], pattern: Pattern, memoryBytes: number, page: number, count = 1): Fit {
  const maxPages = Math.floor(memoryBytes / page);
  const chi2 = (x: number[]): number => {
    const g = groupsOf(x, pattern, maxPages);
    return points.reduce((s, p) => s + ((curveBytes(g, p.t_s, page) - p.dirtied_bytes) / p.sd_bytes) ** 2, 0);
  };
  const top = Math.max(page, ...points.map((p) => p.dirtied_bytes)) / page;
  const tMin = Math.min(...points.map((p) => p.t_s));
  // W from a tenth of the largest D to all of memory; r from what fills W in 100 x the longest window to 100 x in the shortest.
  const Ws = Array.from({ length: 24 }, (_, i) => Math.log(top / 10) + (i / 23) * (Math.log(maxPages) - Math.log(top / 10)));
  const rs = Array.from({ length: 32 }, (_, i) => Math.log(top / 1000) + (i / 31) * (Math.log((100 * maxPages) / tMin) - Math.log(top / 1000)));
  const cells: Array<{ x: number[]; v: number }> = [];
  for (const w of Ws) for (const r of rs) cells.push({ x: [w, r], v: chi2([w, r]) });
  cells.sort((a, b) => a.v - b.v);
  let best = { x: cells[0].x, v: cells[0].v };
  const starts: number[][] = [];
  if (count === 1) starts.push(...cells.slice(0, 3).map((c) => c.x));
  else for (const a of cells.slice(0, 4)) for (const b of cells.slice(0, 40)) if (b.x[0] !== a.x[0]) starts.push([a.x[0] - 1, a.x[1], b.x[0] - 1, b.x[1] - 1]);
  for (const x0 of starts.slice(0, 12)) {
    const r = nelderMead(chi2, x0, x0.map(() => 0.5));
    if (r.v < best.v) best = r;
  }
  return describeFit(points, groupsOf(best.x, pattern, maxPages), page);
}

/** Fit every pattern, choose, and say how well each fits. */
export function fitWorkload(t: Transcript, page = 4096): WorkloadFit {
  const points = curveOf(t);
  const noise = Math.sqrt(points.reduce((s, p) => s + p.sd_bytes ** 2, 0) / points.length);
  // A guest that dirtied nothing the sampling saw (an idle one): no working set.
  if (points.every((p) => p.dirtied_bytes === 0)) {
    const none = describeFit(points, [], page, 'random');
    return { points, page_bytes: page, noise_rms_bytes: noise, fits: [none], chosen: [none] };
  }
  const fits = PATTERNS.map((pattern) => {
    const one = fitPattern(points, pattern, t.memory_bytes, page, 1);
    // Two groups have four parameters: only a curve of more points can show they clearly help (a
    // one-group fit outside the measurement's spread, and two within it at under half the misfit).
    if (points.length < 5 || one.chi2_per_point <= CONSISTENT) return one;
    const two = fitPattern(points, pattern, t.memory_bytes, page, 2);
    return two.chi2_per_point <= CONSISTENT && two.chi2_per_point < one.chi2_per_point / 2 ? two : one;
  }).sort((a, b) => a.chi2_per_point - b.chi2_per_point);
  const chosen = fits.filter((f, k) => k === 0 || (f.chi2_per_point <= CONSISTENT && fits[0].chi2_per_point <= CONSISTENT));
  return { points, page_bytes: page, noise_rms_bytes: noise, fits, chosen };
}
