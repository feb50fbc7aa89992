// Stage 3: resolved points -> Plan: every (point, trial) a job with its key and seed. A run's key is
// its identity (policy, every parameter column, the trial), never its position; the seed of trial k
// is deriveSeed(base seed, "trial:k") at every point, so every policy and parameter point sees the
// same random numbers in trial k (common random numbers). A single run is a one-point plan; a
// sweep's grid is planned by sim/experiment/sweep-plan.ts into the same Plan.
import type { PolicySet } from '../policy-set.js';
import type { ParamValue } from '../results/record.js';
import { deriveSeed } from '../run.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { Ranges } from '../../scenarios/ranges.js';
import { cell } from '../../reports/csv.js';
import type { Resolved } from './resolve.js';

/** A validated point, as plain data (it crosses to worker threads): everything a run needs but its trial and seed. */
export interface Point {
  /** The scenario file, for messages. */
  file: string;
  scenario: Scenario;
  /** The run's name: a variant, or the policy's. */
  variant: string;
  /** The policy's name in the plan's policy set. */
  policy: string;
  options: unknown;
  params: Record<string, ParamValue>;
  /** Fields drawn anew each trial (`scenario` holds each at its centre). */
  ranges?: Ranges;
  /** The policy's options drawn anew each trial (`options` holds each at its centre). */
  optionRanges?: Ranges;
}

/** One run of a plan. */
export interface Job {
  /** Position in the whole plan (grid order): point * trials + trial. */
  index: number;
  point: number;
  trial: number;
  seed: number;
  key: string;
}

export interface Plan {
  points: Point[];
  /** Every run, in grid order (point, then trial). */
  jobs: Job[];
  /** The policies the points name (built-in, and loaded from the user's files). */
  policies: PolicySet;
}

/** A resolved scenario as a point of a plan. */
export function pointOf(r: Resolved): Point {
  const { ranges } = r.loaded;
  const { optionRanges } = r;
  return {
    file: r.loaded.file,
    scenario: r.loaded.scenario,
    variant: r.variant,
    policy: r.policy.name,
    options: r.options,
    params: r.params,
    ...(ranges === undefined ? {} : { ranges }),
    ...(optionRanges === undefined ? {} : { optionRanges }),
  };
}

/** "variant=pre-50ms; policy=precopy; link.bandwidth_bps=64000": what ran and every parameter column. */
export function pointKey(p: Pick<Point, 'variant' | 'policy' | 'params'>): string {
  return [...(p.variant !== p.policy ? [`variant=${p.variant}`] : []), `policy=${p.policy}`, ...Object.entries(p.params).map(([k, v]) => `${k}=${cell(v)}`)].join('; ');
}

/** The jobs of these points: each point's trials 0..trials-1, in grid order. */
export function jobsOf(points: readonly Point[], trials: number, seed: number | string): Job[] {
  const jobs: Job[] = [];
  const seeds = Array.from({ length: trials }, (_, trial) => deriveSeed(seed, `trial:${trial}`));
  for (let p = 0; p < points.length; p++) {
    const key = pointKey(points[p]);
    for (let trial = 0; trial < trials; trial++) jobs.push({ index: jobs.length, point: p, trial, seed: seeds[trial], key: `${key}; trial=${trial}` });
  }
  return jobs;
}

/** A single run: one point, its trials. */
export function planRun(r: Resolved): Plan {
  const points = [pointOf(r)];
  return { points, jobs: jobsOf(points, r.trials, r.seed), policies: r.policies };
}
