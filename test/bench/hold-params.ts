// Parameters shared by the hold model and its baselines (bare_queue, typed_heap), so all three do
// the same work: the same population, stream and number of events.

/** Events per timed run (VMSIM_BENCH_EVENTS overrides, for quick checks) and per warm-up run. */
export const EVENTS = Number(process.env.VMSIM_BENCH_EVENTS ?? 10_000_000);
export const WARMUP_EVENTS = Math.min(200_000, EVENTS);
/** Concurrent entities. */
export const POPULATION = 1000;
/** Seed and stream shared by the hold model and its baselines, so all draw the same delays. */
export const SEED = 20050101;
export const STREAM = 'hold';

/** Peak resident set size of this process so far, in bytes (process-wide, so it only grows). */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;
