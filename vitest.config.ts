import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects. **fast**: units and the CLI in-process, on the sources (nothing built first; `npm run
// test:fast` for quick loops). **slow**: what needs the build (the executable spawned, a sweep's
// worker threads, policy files importing the package, the explorer's bundle), a browser or the
// package manager; its globalSetup builds dist/ from the current sources when a source changed, so
// no test runs against a stale build. A file goes to slow for the first reason it has below.
const SLOW = [
  // A browser opens the report / the explorer page.
  'test/cli/report-browser.test.ts',
  'test/web/explorer-browser.test.ts',
  // npm packs and installs the package, or resolves the lock file.
  'test/api/pack.test.ts',
  'test/package-lock.test.ts',
  // The executable is spawned (exit codes, signals, pipes, GNU parallel, `explore --serve`).
  'test/cli/e2e.test.ts',
  'test/cli/front-door.test.ts',
  'test/cli/parallel.e2e.test.ts',
  'test/cli/explore.test.ts',
  'test/cli/sweep.e2e.test.ts',
  'test/isr/reproduce-cli.test.ts',
  'test/api/policy-files.test.ts',
  // Sweeps run on worker threads, which load the compiled worker (dist/sim/cli/worker.js).
  'test/api/api.test.ts',
  'test/api/examples.test.ts',
  'test/cli/edge-e2e.test.ts',
  'test/cli/fork-e2e.test.ts',
  'test/cli/sweep-axes.test.ts',
  'test/cli/sweep-goal.e2e.test.ts',
  'test/web/experiment.test.ts',
  // Policy files import the package by its name ('vmsim', package.json "exports": dist/).
  'test/api/context.test.ts',
];

// Timeouts are sized for a loaded 2-core machine, several times slower than a quiet one: tests that
// run the CLI or spawn processes also set their own (CLI_TIMEOUT in test/helpers/cli.ts).
// One test file per core (vitest's default leaves a core idle: on 2 cores that doubled the suite's
// time, most files waiting on the CLI's worker threads or a browser rather than on the CPU).
export default defineConfig({
  test: {
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: ['dist/**', 'node_modules/**', ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW, globalSetup: ['test/build/fresh-dist.ts'] } },
    ],
  },
});
