/**
 * The experiment pipeline: every front door (the CLI in sim/cli, the Node API in sim/api.ts and
 * sim/cli/node-api.ts, the explorer page in sim/web) runs these stages, and injects only how text is read
 * and which executor runs. Each stage is one function and one type; nothing is parsed twice and no
 * value is written out as text to be read back.
 *
 *  1. load     scenario text or document + overrides -> Loaded        (load.ts: read, load, reload)
 *              a validated scenario; the policies its runs may use are a field.
 *  2. resolve  Loaded + policy or variant choice -> Resolved           (resolve.ts: resolve)
 *              policy, parsed options, parameter columns, trials, seed, memory budget.
 *  3. plan     Resolved points (+ a sweep's axes) -> Plan               (plan.ts: planRun;
 *              points x trials -> jobs with keys and derived seeds.     sim/experiment/sweep-plan.ts: planSweep)
 *  4. execute  Plan + Executor -> Executed (records by run index)       (execute.ts: execute, stopped;
 *              a job is one trial of its point: trial.ts)
 *              executors: InThread (here), worker threads (sim/cli/pool/pool.ts), a Web Worker
 *              (sim/web/runner.ts); one rule for partial results on failure and cancel.
 *  5. outputs  records -> OutputFile[]                                  (outputs.ts: runFiles;
 *                                                                        sim/experiment/sweep-outputs.ts)
 *
 * Platform-neutral: no file system, no process, no threads of its own.
 */
export { givenOverride, load, overridesOf, read, reload, type Loaded, type Overrides, type Read } from './load.js';
export { resolve, type Choose, type Resolved } from './resolve.js';
export { jobsOf, planRun, pointKey, pointOf, type Job, type Plan, type Point } from './plan.js';
export { InThread, execute, inFile, runJob, stopped, type Executed, type ExecuteOptions, type Executor } from './execute.js';
export { runFiles, type OutputFile } from './outputs.js';
export type { Trace } from './trial.js';
