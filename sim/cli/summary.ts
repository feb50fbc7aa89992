// A short markdown table of mean metrics per policy, for the terminal.
import type { RunRecord } from '../results/record.js';

const fmt = (v: number): string => (Number.isFinite(v) ? (Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(Number(v.toPrecision(5)))) : '—');

export function summaryTable(records: readonly RunRecord[], metrics?: readonly string[]): string {
  if (records.length === 0) return '(no runs)';
  const cols = metrics ?? Object.keys(records[0].metrics).filter((m) => m !== 'events');
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = [r.policy, ...Object.entries(r.params).map(([k, v]) => `${k}=${v}`)].join(' ');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [`| run | trials | ${cols.join(' | ')} |`, `|---|---:|${cols.map(() => '---:').join('|')}|`];
  for (const [key, rs] of groups) {
    const means = cols.map((c) => rs.reduce((s, r) => s + (r.metrics[c] ?? NaN), 0) / rs.length);
    lines.push(`| ${key} | ${rs.length} | ${means.map(fmt).join(' | ')} |`);
  }
  return lines.join('\n');
}
