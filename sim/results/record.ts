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
  /**
   * Inputs this trial drew from distributions (a scenario field written as `uniform(...)`), column
   * name (unit in it) -> value in base units. Absent when no field is a distribution. Not a
   * parameter: the trials of a point draw different values and still make one point.
   */
  drawn?: Record<string, number>;
  metrics: Record<string, number>;
  /**
   * For kinds whose runs can end without reaching their goal (a migration that did not converge by
   * its deadline, a VDI session that ended before the user was served after an arrival): the metric
   * (1 reached, 0 not) that says whether this run did. Metrics that only a run that reached its goal
   * has (a migration's total time and downtime) are NaN, written as empty cells, when it did not.
   * Absent for kinds whose runs always reach their goal.
   */
  goal?: string;
  /** Optional per-run tables (per-round rows, time series), name -> rows. */
  tables?: Record<string, Array<Record<string, ParamValue>>>;
}

/** Whether a run reached its goal (always, for kinds without one). */
export const reachedGoal = (r: Pick<RunRecord, 'goal' | 'metrics'>): boolean => r.goal === undefined || r.metrics[r.goal] === 1;

export interface TraceEvent {
  t: number;
  type: string;
  [field: string]: unknown;
}
