// What each migration cost the running guest, beside the headline: the metrics of common.md's
// agreement (guest_lost_s, guest_slowdown_pct and their parts, in QEMU's names where QEMU has one),
// one row per variant and point, when the records carry them. A metric that does not apply to a
// policy is absent from its records and blank here, never 0.
import { escapeHtml as e } from '../../reports/html.js';
import type { Aggregate } from '../../reports/aggregate.js';
import { formatParam, formatValue, label } from '../../reports/units.js';

/** The guest-cost metrics, summary first, in the order the table shows them. */
export const GUEST_METRICS = ['guest_lost_s', 'guest_slowdown_pct', 'postcopy_blocktime_ms', 'throttle_lost_s', 'tracking_lost_s', 'cpu_throttle_percentage'] as const;

export function guestCostHtml(agg: Aggregate): string {
  const metrics = GUEST_METRICS.filter((m) => agg.metrics.includes(m));
  if (metrics.length === 0) return '';
  const swept = agg.params.filter((p) => new Set(agg.rows.map((r) => String(r.params[p]))).size > 1);
  const rows = new Map<string, { variant: string; params: Record<string, unknown>; cells: Map<string, string> }>();
  for (const r of agg.rows) {
    const key = JSON.stringify([r.variant, swept.map((p) => r.params[p])]);
    const row = rows.get(key) ?? { variant: r.variant, params: r.params, cells: new Map<string, string>() };
    rows.set(key, row);
    if ((metrics as readonly string[]).includes(r.metric) && r.n > 0 && Number.isFinite(r.mean)) row.cells.set(r.metric, formatValue(r.metric, r.mean));
  }
  const shown = [...rows.values()].filter((r) => r.cells.size > 0);
  if (shown.length === 0) return '';
  const head = [...swept.map((p) => `<th>${e(label(p))}</th>`), '<th>variant</th>', ...metrics.map((m) => `<th title="${e(m)}">${e(label(m))}</th>`)].join('');
  const body = shown
    .map((r) => `<tr>${swept.map((p) => `<td>${e(formatParam(p, r.params[p] as never))}</td>`).join('')}<td class="key">${e(r.variant)}</td>${metrics.map((m) => `<td>${e(r.cells.get(m) ?? '')}</td>`).join('')}</tr>`)
    .join('\n');
  return `<h3 id="guest-cost-title">What it cost the running guest</h3>
<p class="hint">Mean over the trials. Guest work lost while the migration ran (downtime, post-copy fault stalls, auto-converge throttling, dirty tracking) and its parts, in QEMU's names where QEMU has one; blank where a metric does not apply to the policy.</p>
<div class="wide"><table id="guest-cost"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}
