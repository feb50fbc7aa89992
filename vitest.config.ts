import { defineConfig } from 'vitest/config';

// Timeouts are sized for a loaded 2-core machine, several times slower than a quiet one: tests that
// run the CLI or spawn processes also set their own (CLI_TIMEOUT in test/helpers/cli.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
