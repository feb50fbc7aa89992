// A seeded interactive desktop benchmark in the spirit of the Common Desktop Application benchmark
// used to evaluate ISR: scripted operations in a few applications (open a document, find and
// replace, sort, recalculate, browse...), each preceded by think time, each computing for a while
// and touching disk chunks. The first touch of a chunk misses an empty cache; later touches hit.
// Some first touches happen in the background (the guest's read-ahead and lazy I/O during think
// time) rather than inside the timed operation.
import type { Rng } from '../engine/index.js';
import { InputError, messages } from '../errors.js';
import type { Seconds } from './units.js';

export interface DesktopSpec {
  operations: number;
  applications: number;
  /** Share of operations that are quick-response ones, with the short think time before them. */
  quick_share: number;
  think_s: Seconds;
  quick_think_s: Seconds;
  /** Benchmark duration with every chunk local and no ISR machinery (think time + compute). */
  local_duration_s: Seconds;
  /** Distinct disk chunks the benchmark reads. */
  footprint: number;
  /** Share of each operation's first touches issued in the background after it (during think time). */
  background_share: number;
  /** Share of an application's chunks its first operation (the launch) touches. */
  launch_share: number;
  /** Distinct chunks written (documents, temporary files, paging), a subset of those read. */
  written: number;
  disk_chunks: number;
}

export interface DesktopOp {
  app: number;
  quick: boolean;
  think_s: Seconds;
  compute_s: Seconds;
  /** Chunks read inside the operation (it waits for them). */
  reads: Uint32Array;
  /** Chunks read in the background after the operation. */
  background: Uint32Array;
  /** Chunks written by the operation (after its reads). */
  writes: Uint32Array;
}

export interface DesktopWorkload {
  ops: DesktopOp[];
  /** Every chunk read, in first-touch order. */
  footprint: Uint32Array;
  /** Every chunk written. */
  written: Uint32Array;
}

function shuffle(a: Uint32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

// Operations run application by application, in contiguous blocks.
const appOf = (i: number, apps: number, n: number): number => Math.min(apps - 1, Math.floor((i * apps) / n));

// Flat typed arrays and plain loops throughout: this runs once per run, mostly before V8 has
// optimised it, so per-element closures and Maps cost more here than the random draws. The steps
// draw from `rng` in a fixed order (footprint, first touches, timings, writes): the workload of a
// seed depends on it.

/** Chunks the benchmark reads: a random set of the disk's, in first-touch order. */
function pickFootprint(spec: DesktopSpec, rng: Rng): Uint32Array {
  const all = new Uint32Array(spec.disk_chunks);
  for (let i = 0; i < all.length; i++) all[i] = i;
  shuffle(all, rng);
  return all.slice(0, spec.footprint);
}

/**
 * The operation that first touches each footprint chunk (split evenly between applications), as one
 * array of chunks cut into per-operation runs: operation i's are touches[touchStart[i] .. touchStart[i + 1]).
 */
function firstTouches(spec: DesktopSpec, footprint: Uint32Array, rng: Rng): { touchStart: Int32Array; touches: Uint32Array } {
  const { operations: n, applications: apps } = spec;
  const F = footprint.length;
  const opsOfApp: number[][] = [];
  for (let a = 0; a < apps; a++) opsOfApp.push([]);
  for (let i = 0; i < n; i++) opsOfApp[appOf(i, apps, n)].push(i);
  const touchOp = new Int32Array(F);
  for (let a = 0; a < apps; a++) {
    const lo = Math.floor((a * F) / apps);
    const hi = Math.floor(((a + 1) * F) / apps);
    const ops = opsOfApp[a];
    if (ops.length === 0 && lo < hi) {
      throw new InputError(messages.workloadOperations(apps, n));
    }
    for (let k = lo; k < hi; k++) {
      // The launch touches launch_share of the application's chunks; the rest spread uniformly.
      touchOp[k] = ops.length === 1 || rng() < spec.launch_share ? ops[0] : ops[1 + Math.floor(rng() * (ops.length - 1))];
    }
  }
  const touchStart = new Int32Array(n + 1);
  for (let k = 0; k < F; k++) touchStart[touchOp[k] + 1]++;
  for (let i = 0; i < n; i++) touchStart[i + 1] += touchStart[i];
  const touches = new Uint32Array(F);
  const fillAt = touchStart.slice(0, n);
  for (let k = 0; k < F; k++) touches[fillAt[touchOp[k]]++] = footprint[k];
  return { touchStart, touches };
}

/** Think times and compute times; compute fills what think time leaves of the local duration. */
function timings(spec: DesktopSpec, rng: Rng): { quick: boolean[]; think: Float64Array; compute: Float64Array } {
  const n = spec.operations;
  const quick: boolean[] = [];
  for (let i = 0; i < n; i++) quick.push(rng() < spec.quick_share);
  const think = new Float64Array(n);
  let thinkTotal = 0;
  for (let i = 0; i < n; i++) {
    think[i] = quick[i] ? spec.quick_think_s : spec.think_s;
    thinkTotal += think[i];
  }
  const computeTotal = spec.local_duration_s - thinkTotal;
  if (!(computeTotal > 0)) {
    throw new InputError(messages.noComputeTime(thinkTotal, spec.local_duration_s));
  }
  // Log-normal weights (sigma 0.8): most operations are short, a few long; quick ones a third.
  const weight = new Float64Array(n);
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    weight[i] = Math.exp(0.8 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())) * (quick[i] ? 1 / 3 : 1);
    wsum += weight[i];
  }
  const compute = new Float64Array(n);
  for (let i = 0; i < n; i++) compute[i] = (computeTotal * weight[i]) / wsum;
  return { quick, think, compute };
}

/**
 * Writes go to chunks already read, by an operation (uniformly chosen) at or after the read: after it
 * when the read was in the background, which follows the operation's writes.
 */
function assignWrites(spec: DesktopSpec, footprint: Uint32Array, touchStart: Int32Array, touches: Uint32Array, nBackground: Int32Array, rng: Rng): { writesOf: number[][]; written: number[] } {
  const n = spec.operations;
  const writesOf: number[][] = [];
  for (let i = 0; i < n; i++) writesOf.push([]);
  const order = footprint.slice();
  shuffle(order, rng);
  const firstOp = new Int32Array(spec.disk_chunks);
  for (let i = 0; i < n; i++) {
    for (let j = touchStart[i]; j < touchStart[i + 1]; j++) firstOp[touches[j]] = j - touchStart[i] < nBackground[i] ? i + 1 : i;
  }
  const written: number[] = [];
  for (let k = 0; k < order.length && written.length < spec.written; k++) {
    const c = order[k];
    const first = firstOp[c];
    if (first >= n) continue; // read in the background of the last operation: nobody writes it
    writesOf[first + Math.floor(rng() * (n - first))].push(c);
    written.push(c);
  }
  return { writesOf, written };
}

export function generateDesktop(spec: DesktopSpec, rng: Rng): DesktopWorkload {
  const { operations: n, applications: apps } = spec;
  if (spec.footprint > spec.disk_chunks) throw new InputError(messages.workloadFootprint(spec.footprint, spec.disk_chunks));
  if (spec.written > spec.footprint) throw new InputError(messages.workloadWrites(spec.written, spec.footprint));
  const footprint = pickFootprint(spec, rng);
  const { touchStart, touches } = firstTouches(spec, footprint, rng);
  const { quick, think, compute } = timings(spec, rng);
  // Foreground and background parts of each operation's first touches.
  const nBackground = new Int32Array(n);
  for (let i = 0; i < n; i++) nBackground[i] = Math.round((touchStart[i + 1] - touchStart[i]) * spec.background_share);
  const { writesOf, written } = assignWrites(spec, footprint, touchStart, touches, nBackground, rng);
  const ops: DesktopOp[] = [];
  for (let i = 0; i < n; i++) {
    const mine = touches.subarray(touchStart[i], touchStart[i + 1]);
    const nb = nBackground[i];
    ops.push({
      app: appOf(i, apps, n),
      quick: quick[i],
      think_s: think[i],
      compute_s: compute[i],
      reads: mine.slice(nb),
      background: mine.slice(0, nb),
      writes: Uint32Array.from(writesOf[i]),
    });
  }
  return { ops, footprint, written: Uint32Array.from(written) };
}
