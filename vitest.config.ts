import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Timeouts are sized for a loaded 2-core machine, several times slower than a quiet one: tests that
// run the CLI or spawn processes also set their own (CLI_TIMEOUT in test/helpers/cli.ts).
// One test file per core (vitest's default leaves a core idle: on 2 cores that doubled the suite's
// time, most files waiting on the CLI's worker threads or a browser rather than on the CPU).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
