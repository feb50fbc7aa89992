// The ISR tables as the paper lays them out: one row per policy, one column pair (mean, standard
// deviation) per bandwidth, from run records only.
import { stringify } from 'csv-stringify/sync';
import type { RunRecord } from '../sim/results/record.js';
import { cell } from './csv.js';

export interface Cell {
  policy: string;
  bandwidth_bps: number;
  mean: number;
  sd: number;
  n: number;
}

/** Sample standard deviation (n - 1); 0 for a single value. */
export function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Mean and sd of `metric` per (policy, bandwidth), in the order policies and bandwidths first appear. */
export function cells(records: readonly RunRecord[], metric: string): Cell[] {
  const groups = new Map<string, { policy: string; bw: number; xs: number[] }>();
  for (const r of records) {
    const bw = Number(r.params.bandwidth_bps);
    const key = `${r.policy}|${bw}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { policy: r.policy, bw, xs: [] }));
    g.xs.push(r.metrics[metric]);
  }
  return [...groups.values()].map((g) => ({
    policy: g.policy,
    bandwidth_bps: g.bw,
    mean: g.xs.reduce((s, x) => s + x, 0) / g.xs.length,
    sd: stdev(g.xs),
    n: g.xs.length,
  }));
}

/** Wide CSV: policy, then <bw>_mean_<unit>, <bw>_sd_<unit> per bandwidth (bandwidth in bit/s). */
export function tableCsv(cs: readonly Cell[], unit: string): string {
  const policies = [...new Set(cs.map((c) => c.policy))];
  const bws = [...new Set(cs.map((c) => c.bandwidth_bps))];
  const header = ['policy', ...bws.flatMap((b) => [`bw_${b}_bps_mean_${unit}`, `bw_${b}_bps_sd_${unit}`])];
  const rows = policies.map((p) => [
    p,
    ...bws.flatMap((b) => {
      const c = cs.find((x) => x.policy === p && x.bandwidth_bps === b);
      return c === undefined ? ['', ''] : [cell(c.mean), cell(c.sd)];
    }),
  ]);
  return stringify([header, ...rows]);
}
