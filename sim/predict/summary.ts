// What a prediction says about its input, in words: what was measured, how well each access pattern
// fits the curve (the residual), and which inputs are ranges and why. Shown above the table in
// predict.md, on the terminal and in the report; fit.csv holds the curve beside each fit.
import { stringify } from 'csv-stringify/sync';
import { distinctPages } from '../world/index.js';
import type { Fit, WorkloadFit } from './fit.js';
import type { Transcript } from './transcript.js';

const MiB = 1024 * 1024;
const mib = (b: number): string => `${Number((b / MiB).toPrecision(3))} MiB`;

function fitText(f: Fit, page: number): string {
  if (f.groups.length === 0) return 'no working set (nothing dirtied that the sampling saw)';
  const groups = f.groups.map((g) => `${mib(g.pages * page)} at ${Math.round(g.rate_pages_s).toLocaleString('en-US')} page writes/s`).join(' + ');
  return `${f.pattern} ${groups} (residual RMS ${mib(f.rms_bytes)}, ${f.rms_pct.toFixed(1)}% of the largest point)`;
}

/** The lines above the table. */
export function measurementLines(t: Transcript, fit: WorkloadFit, ranges: readonly string[], file: string, notes: readonly string[] = []): string[] {
  const curve = fit.points.map((p) => `${mib(p.dirtied_bytes)} in ${p.t_s} s`).join(', ');
  const sampled = t.points[0].mode === undefined || t.points[0].mode === 'page-sampling';
  const lines = [
    `Measured (${file}): ${mib(t.memory_bytes)} of memory; distinct memory dirtied in a window (calc-dirty-rate x calc-time): ${curve}${sampled ? `; page sampling resolves it to about ${mib(fit.noise_rms_bytes)} (RMS)` : ''}.`,
    `Working set fitted to that curve: ${fit.fits.map((f) => fitText(f, fit.page_bytes)).join('; ')}.${fit.chosen[0].groups.length === 0 ? '' : ` Used: ${fit.chosen.map((f) => f.pattern).join(' and ')}.`}`,
  ];
  // A curve still rising at its longest window bounds the working set only from below.
  const longest = Math.max(...fit.points.map((p) => p.t_s));
  const open = fit.chosen.filter((f) => f.groups.some((g) => distinctPages(g.pattern, g.pages, g.rate_pages_s, longest) < 0.95 * g.pages));
  if (open.length > 0) lines.push(`The curve has not flattened by ${longest} s: the working set may be larger than fitted (${open.map((f) => f.pattern).join(', ')}); measure a longer calc-time to see where it saturates.`);
  if (t.migration !== undefined) {
    lines.push(`Zero pages from the earlier migration (query-migrate, line ${t.migration.line}): ${t.migration.duplicate_pages.toLocaleString('en-US')} zero pages of ${Math.floor(t.memory_bytes / fit.page_bytes).toLocaleString('en-US')}.`);
  }
  for (const r of ranges) lines.push(`Range: ${r}.`);
  for (const n of notes) lines.push(`Not predicted: ${n}.`);
  return lines;
}

/** The curve and each pattern's fitted curve, bytes, one row per calc-time. */
export function fitCsv(fit: WorkloadFit): string {
  const head = ['calc_time_s', 'measured_bytes', 'resolution_sd_bytes', ...fit.fits.map((f) => `${f.pattern}_fit_bytes`)];
  const rows = fit.points.map((p, k) => [p.t_s, p.dirtied_bytes, Math.round(p.sd_bytes), ...fit.fits.map((f) => Math.round(f.fitted_bytes[k]))].map(String));
  return stringify([head, ...rows]);
}
