// Human units for report text and chart axes. A column's name carries its unit (total_time_ms,
// wire_bytes, link.bandwidth_bps, slowdown_pct), so the quantity is read off the name and every
// value is shown in the unit its magnitude calls for: 83.2 ms, 16.4 s, 1.72 GB, 100 Mbit/s (QEMU's
// max-bandwidth always in MiB/s: FIXED_UNITS). Numbers are never written in e-notation and large ones
// get thousands separators.

export type Quantity = 'time' | 'bytes' | 'bitrate' | 'percent' | 'share' | 'count';

export interface Unit {
  /** Shown after the number: "ms", "GB", "Mbit/s", "%" ('' for a plain count). */
  symbol: string;
  /** Multiply a value in the column's base unit by this to get it in `symbol`. */
  factor: number;
}

/** What a column measures and the factor from its own unit to the quantity's base (s, B, bit/s, %). */
export function quantityOf(column: string): { quantity: Quantity; toBase: number } {
  if (/_ms$/.test(column)) return { quantity: 'time', toBase: 1e-3 };
  if (/_s$/.test(column)) return { quantity: 'time', toBase: 1 };
  if (/_bytes$/.test(column) || column === 'bytes' || column === 'bytes_sent') return { quantity: 'bytes', toBase: 1 };
  if (/_bps$/.test(column)) return { quantity: 'bitrate', toBase: 1 };
  if (/_pct$|_percentage$/.test(column)) return { quantity: 'percent', toBase: 1 };
  if (/(^|_)share(_|$)/.test(column)) return { quantity: 'share', toBase: 100 };
  return { quantity: 'count', toBase: 1 };
}

const TIME: Unit[] = [
  { symbol: 'ms', factor: 1e3 },
  { symbol: 's', factor: 1 },
];
const BYTES: Unit[] = [
  { symbol: 'B', factor: 1 },
  { symbol: 'kB', factor: 1e-3 },
  { symbol: 'MB', factor: 1e-6 },
  { symbol: 'GB', factor: 1e-9 },
  { symbol: 'TB', factor: 1e-12 },
];
const BITRATE: Unit[] = [
  { symbol: 'bit/s', factor: 1 },
  { symbol: 'kbit/s', factor: 1e-3 },
  { symbol: 'Mbit/s', factor: 1e-6 },
  { symbol: 'Gbit/s', factor: 1e-9 },
];

/**
 * Columns shown in one unit whatever their magnitude. QEMU's max-bandwidth (the pre-copy option,
 * also under a variant or a migration) is set in MiB/s (QMP's bytes per second, libvirt's MiB/s): a
 * report shows it so in every table, axis and sentence, never in Mbit/s beside the prediction's MiB/s.
 */
const FIXED_UNITS: ReadonlyArray<readonly [RegExp, Unit]> = [[/(^|\.)options\.max_bandwidth_bps$/, { symbol: 'MiB/s', factor: 1 / (8 * 1024 * 1024) }]];

/** The unit for values up to `magnitude` (in the quantity's base unit): the largest that keeps it >= 1. */
function pick(units: readonly Unit[], magnitude: number): Unit {
  let best = units[0];
  for (const u of units) if (magnitude * u.factor >= 1) best = u;
  return best;
}

/**
 * The unit for a set of values of one column (on one axis, in one table column), chosen by their
 * magnitude: the largest unit in which the middle of the range is at least 1. Times are in ms only
 * when the values are below a second.
 */
export function unitFor(column: string, values: readonly number[]): Unit & { toBase: number } {
  const { quantity, toBase } = quantityOf(column);
  const fixed = FIXED_UNITS.find(([re]) => re.test(column));
  if (fixed !== undefined) return { ...fixed[1], toBase };
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0).map((v) => Math.abs(v * toBase));
  // The geometric middle of the range: 10 Mbit/s..1 Gbit/s reads as 10..1,000 Mbit/s, and
  // 42 ms..1,378 s as 0.042..1,378 s.
  const max = finite.length === 0 ? 0 : Math.sqrt(Math.max(...finite) * Math.min(...finite));
  const base = ((): Unit => {
    switch (quantity) {
      case 'time':
        return max < 1 && max > 0 ? TIME[0] : TIME[1];
      case 'bytes':
        return pick(BYTES, max);
      case 'bitrate':
        return pick(BITRATE, max);
      case 'percent':
      case 'share':
        return { symbol: '%', factor: 1 };
      default:
        return { symbol: '', factor: 1 };
    }
  })();
  return { ...base, toBase };
}

/** A value of `column` in `unit` (the factor from the column's own unit included). */
export const inUnit = (v: number, unit: Unit & { toBase: number }): number => v * unit.toBase * unit.factor;

/** 3 significant digits, thousands separators, no e-notation: 0.0421, 16.4, 1,378, 52,754. */
export function formatNumber(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10 ** digits) return Math.round(v).toLocaleString('en-US');
  const places = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  // toFixed never uses e-notation below 1e21; trailing zeros after the point say nothing.
  const s = v.toFixed(Math.min(places, 20));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** One value with the unit its own magnitude calls for: "83.2 ms", "16.4 s", "1.72 GB", "52,754". */
export function formatValue(column: string, v: number): string {
  if (!Number.isFinite(v)) return '–';
  const u = unitFor(column, [v]);
  const n = formatNumber(inUnit(v, u));
  return u.symbol === '' ? n : u.symbol === '%' ? `${n}%` : `${n} ${u.symbol}`;
}

/** Parse what formatValue wrote back into the column's own unit (for tests and readers of the page). */
export function parseValue(column: string, text: string): number {
  const m = /^(-?[\d,]*\.?\d+)\s*(%|[A-Za-z/]+)?$/.exec(text.trim());
  if (m === null) return NaN;
  const n = Number(m[1].replace(/,/g, ''));
  const sym = m[2] ?? '';
  const all = [...TIME, ...BYTES, ...BITRATE, { symbol: '%', factor: 1 }, { symbol: '', factor: 1 }];
  const u = FIXED_UNITS.find(([re, f]) => re.test(column) && f.symbol === sym)?.[1] ?? all.find((x) => x.symbol === sym);
  if (u === undefined) return NaN;
  return n / u.factor / quantityOf(column).toBase;
}

const WORDS: Record<string, string> = {
  total_time_ms: 'Total migration time',
  elapsed_ms: 'Time run (converged or not)',
  downtime_ms: 'Downtime',
  wire_bytes: 'Bytes on the wire',
  // QEMU's ram transferred: the memory stream alone (the wire also carries device state and requests).
  transferred_bytes: 'Memory transferred',
  setup_time_ms: 'Set-up time',
  expected_downtime_ms: 'Expected downtime (QEMU estimate)',
  remaining_bytes: 'Bytes left to send at the end',
  converged: 'Runs that converged',
  completed: 'Sessions served after every move',
  resume_latency_s: 'Resume latency',
  slowdown_pct: 'Benchmark slowdown',
  suspend_writeback_s: 'Suspend write-back time',
  benchmark_time_s: 'Benchmark time',
  synthesis_s: 'VM synthesis time',
  time_to_first_use_s: 'Time to first use',
  mean_interaction_ms: 'Mean interaction latency',
  p95_interaction_ms: '95th percentile interaction latency',
  time_to_first_interaction_s: 'Time to first interaction after a move',
  blocked_s: 'Time blocked',
  clone_time_s: 'Time until every clone runs',
  completion_s: 'Time until the last clone finished',
  bytes_sent_total: 'Bytes sent by the parent',
  fault_stall_s: 'Fault stall per clone',
  // The guest's cost of a migration (QEMU's names where QEMU has one).
  guest_lost_s: 'Guest work lost',
  guest_slowdown_pct: 'Guest slowdown over the migration',
  postcopy_blocktime_ms: 'Post-copy fault stalls (blocktime)',
  throttle_lost_s: 'Guest work lost to auto-converge',
  tracking_lost_s: 'Guest work lost to dirty tracking',
  cpu_throttle_percentage: 'Highest CPU throttle',
  // A cluster operation (many migrations over a shared network).
  makespan_s: 'Makespan',
  migrations: 'Migrations',
  converged_migrations: 'Converged migrations',
  total_downtime_ms: 'Total downtime',
  worst_downtime_ms: 'Worst downtime',
  mean_downtime_ms: 'Mean downtime',
  busiest_link_peak_pct: 'Busiest link peak',
  busiest_link_mean_pct: 'Busiest link mean',
  background_lost_bytes: 'Background bytes lost',
  background_lost_pct: 'Background loss',
  'hosts.0.nic_bps': 'Host NIC bandwidth',
  'topology.uplink_bps': 'Uplink bandwidth',
  'options.max_per_host': 'Concurrency per host',
  'options.max_per_link': 'Concurrency per link',
  'options.order': 'Order',
  // QEMU's migration parameters, as vmsim predict's table names them.
  'options.max_bandwidth_bps': 'Max-bandwidth',
  'options.downtime_limit_s': 'Downtime limit',
  'link.bandwidth_bps': 'Link bandwidth',
  'link.latency_s': 'Link latency',
  'vm.memory_bytes': 'VM memory',
  bandwidth_bps: 'Bandwidth',
  t_ms: 'Time since the migration started',
};

/** A column in words, without its unit: "Total migration time", "Link bandwidth", "Dirty pages rate". */
export function label(column: string): string {
  if (Object.hasOwn(WORDS, column)) return WORDS[column];
  // The unit goes in parentheses after the label, except bytes: "Downtime bytes (MB)", never a
  // second "Downtime"; acronyms stay upper case.
  const bare = column.replace(/_(ms|s|bps|pct|percentage)$/, '').replace(/[._]+/g, ' ').trim().replace(/\b(cpu|xbzrle|vm|vcpu)\b/gi, (w) => w.toUpperCase());
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

/** Units of plain numbers that are not counts of things. */
const PER: Record<string, string> = { dirty_pages_rate: 'pages/s' };

/** "Total migration time (s)", "Transfers (count)": a title in words with the unit the values are shown in. */
export function titleWithUnit(column: string, unit: Unit): string {
  return `${label(column)} (${unit.symbol !== '' ? unit.symbol : (PER[column] ?? 'count')})`;
}

/** A parameter value for text: numbers in human units ("100 Mbit/s", "2.15 GB"), others as given. */
export function formatParam(column: string, v: string | number | boolean | undefined): string {
  if (typeof v === 'number') return formatValue(column, v);
  return String(v ?? '');
}
