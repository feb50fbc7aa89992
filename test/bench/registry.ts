// The benchmark registry: every benchmark lives in its own file (test/bench/<name>.ts) and exports
// one or more Bench objects; list them in `benches` below and run.ts runs them in that order.
// Figures are plain numbers keyed by name (events_per_s, wall_s, ...); run.ts writes them to
// bench/results.json under the bench's name. Bench files import only the *type* from here, so there
// is no import cycle.
import { holdModel, holdModelGenerators } from './hold-model.js';
import { bareQueue } from './bare-queue.js';
import { typedHeap } from './typed-heap.js';
import { dirtyVm } from './dirty-vm.js';
import { isrReproduction } from './isr-reproduction.js';
import { qemuReproduction } from './qemu-reproduction.js';
import { sweepBench } from './sweep.js';
import { precopyBench, stopAndCopyBench } from './migration.js';
import { explorerBench } from './explorer.js';
import { clusterBench } from './cluster.js';
import { countedBench, countedSequentialBench, pagesBench } from './counted.js';
import { drawnInputsBench } from './drawn-inputs.js';

export interface Bench {
  name: string;
  run(): Promise<Record<string, number>> | Record<string, number>;
}

export const benches: Bench[] = [holdModel, holdModelGenerators, bareQueue, typedHeap, dirtyVm, isrReproduction, qemuReproduction, precopyBench, stopAndCopyBench, sweepBench, explorerBench, clusterBench, countedBench, pagesBench, countedSequentialBench, drawnInputsBench];
