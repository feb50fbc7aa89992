import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { SLOW } from './test/projects.js';

// Two projects. **fast**: units and the CLI in-process, on the sources (nothing built first; `npm run
// test:fast` for quick loops). **slow**: what needs the build (the executable spawned, a sweep's
// worker threads, policy files importing the package, the explorer's bundle), a browser or the
// package manager (the list and the reasons: test/projects.ts); its globalSetup builds dist/ from the
// current sources when a source changed, so no test runs against a stale build.
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
