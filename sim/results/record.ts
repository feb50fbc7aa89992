// What a run produces. Reports read only these types. Metric names carry their units
// (resume_latency_s, downtime_ms, transferred_bytes) so a CSV column is never ambiguous.

export type ParamValue = string | number | boolean;

/** Rows of a per-run table (per-round rows, time series, a timeline), column -> value. */
export type Rows = Array<Record<string, ParamValue>>;

export interface RunRecord {
  scenario: string;
  kind: string;
  /** The name of what ran: a variant (a policy with its options), or the policy's name. */
  variant: string;
  policy: string;
  /** The seed this run used (derived from the scenario's base seed and the trial). */
  seed: number;
  trial: number;
  /** Parameters that distinguish this run (overrides, swept values), column name -> value. */
  params: Record<string, ParamValue>;
  metrics: Record<string, number>;
  /** Optional per-run tables (per-round rows, time series), name -> rows. */
  tables?: Record<string, Array<Record<string, ParamValue>>>;
}

export interface TraceEvent {
  t: number;
  type: string;
  [field: string]: unknown;
}
