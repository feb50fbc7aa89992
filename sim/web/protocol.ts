// Messages between the page and its Web Worker. The worker plans (every point validated first, so
// bad input runs nothing), runs, and streams records back in batches; the page places them by run
// index, so a cancelled sweep still has its completed runs in grid order.
import type { RunRecord } from '../results/record.js';
import type { AxisText, SweepDefinition } from '../experiment/sweep-plan.js';
import type { Reproduction } from '../experiment/isr-reproduction.js';
import type { Reference } from '../../reports/isr-compare.js';

export type Request =
  | { id: number; type: 'sweep'; file: string; text: string; axes: AxisText[]; trials?: number; seed?: number }
  | { id: number; type: 'reproduce'; name: string; file: string; text: string; reference: Reference; set: string[]; trials?: number; seed?: number };

/** A reproduction as the page shows it: everything but the records (their CSV is among the files). */
export type ReproductionResult = Omit<Reproduction, 'records'> & { runs: number };

export type Reply =
  | { id: number; type: 'planned'; total: number; definition: SweepDefinition }
  | { id: number; type: 'progress'; done: number; total: number; records: Array<{ index: number; record: RunRecord }> }
  | { id: number; type: 'swept'; wall_s: number }
  | { id: number; type: 'reproduced'; result: ReproductionResult }
  | { id: number; type: 'error'; message: string; exitCode: number };
