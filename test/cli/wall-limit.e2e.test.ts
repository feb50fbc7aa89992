// limits.max_wall holds for the executable whatever the events cost and whatever a policy does: a
// run that never converges, and a user's policy that loops inside its plan (never yielding), on this
// thread (`vmsim run`) and on a sweep's worker threads. Each stops within a second of the limit, exit 4.
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_TIMEOUT, vmsimProcess } from '../helpers/cli.js';
import { policyDir, policyModule, removePolicyDirs } from '../helpers/policies.js';

afterAll(removePolicyDirs);

/**
 * Seconds a spawned `vmsim ARGS` takes beyond `quick` (the same command with a run that finishes
 * at once): what is left is the run's own time, whatever start-up costs on a busy machine.
 */
function timedProcess(args: string[], quick: string[], cwd: string): { code: number | null; stderr: string; s: number } {
  const t0 = performance.now();
  expect(vmsimProcess(quick, cwd).code).toBe(0);
  const start = performance.now() - t0;
  const t1 = performance.now();
  const r = vmsimProcess(args, cwd);
  return { code: r.code, stderr: r.stderr, s: (performance.now() - t1 - start) / 1000 };
}

const LOOP = policyModule('looper', 'migration', '    for (;;) {}\n    yield ctx.timeout(1);');
const QUICK = policyModule('quick', 'migration', '    yield ctx.timeout(1);');

describe("limits.max_wall stops a run soon after the limit (within a second on a quiet machine; the bound here is loose for busy ones), exit 4", () => {
  it('a pre-copy that never converges (precopy-simgrid, max_downtime=1us)', () => {
    const r = timedProcess(
      ['run', 'precopy-simgrid', '--set', 'options.max_downtime=1us', '--set', 'limits.max_wall=2s', '--out', 'o', '--quiet'],
      ['run', 'precopy-simgrid', '--out', 'q', '--quiet'],
      policyDir(),
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/more than 2 s of wall-clock time \(limits\.max_wall\)/);
    expect(r.s).toBeLessThan(2 + 5); // generous on a busy machine: the old check let this run past 150 s
  }, CLI_TIMEOUT);

  it('a policy file whose plan loops forever, on this thread', () => {
    const d = policyDir({ 'loop.js': LOOP, 'quick.js': QUICK });
    const run = (file: string, out: string) => ['run', 'stop-and-copy', '--policy-file', file, '--set', 'limits.max_wall=1s', '--set', 'options={}', '--out', out, '--quiet'];
    const r = timedProcess(run('./loop.js', 'o'), run('./quick.js', 'q'), d);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/more than 1 s of wall-clock time \(limits\.max_wall\)/);
    expect(r.s).toBeLessThan(1 + 5);
  }, CLI_TIMEOUT);

  it('the same policy in a sweep, on worker threads', () => {
    const d = policyDir({ 'loop.js': LOOP, 'quick.js': QUICK });
    const sweep = (file: string, out: string) => ['sweep', 'stop-and-copy', '--policy-file', file, '--set', 'limits.max_wall=1s', '--set', 'link.bandwidth=1Gbit/s,2Gbit/s', '--set', 'options={}', '--workers', '2', '--out', out, '--quiet'];
    const r = timedProcess(sweep('./loop.js', 'o'), sweep('./quick.js', 'q'), d);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/trial=0: run stopped: it took more than 1 s of wall-clock time \(limits\.max_wall\)/);
    expect(r.s).toBeLessThan(1 + 5);
  }, CLI_TIMEOUT);
});
