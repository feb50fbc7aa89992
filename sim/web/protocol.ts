// Messages between the page and its Web Worker. The page plans (every point validated first, so bad
// input runs nothing) and sends the plan's points and jobs; the worker runs them and streams records
// back in batches, which execute() (sim/pipeline) places by run index, so a cancelled sweep still
// has its completed runs in grid order.
import type { RunRecord } from '../results/record.js';
import type { Job, Point } from '../pipeline/index.js';
import type { Reproduction } from '../experiment/isr-reproduction.js';
import type { Reference } from '../../reports/isr-compare.js';

export type Request =
  | { id: number; type: 'run'; points: Point[]; jobs: Job[] }
  | { id: number; type: 'reproduce'; name: string; file: string; text: string; reference: Reference; set: string[]; trials?: number; seed?: number };

/** A reproduction as the page shows it: everything but the records (their CSV is among the files). */
export type ReproductionResult = Omit<Reproduction, 'records'> & { runs: number };

export type Reply =
  | { id: number; type: 'progress'; done: number; total: number; records: Array<{ index: number; record: RunRecord }> }
  | { id: number; type: 'ran' }
  | { id: number; type: 'reproduced'; result: ReproductionResult }
  | { id: number; type: 'error'; message: string; exitCode: number };
