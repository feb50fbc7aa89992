// Which test files need the slow project (vitest.config.ts): the fast one runs on the sources alone.
// A file is slow for the first reason below that it has; test/projects.test.ts checks that each
// listed file has one (NEEDS_SLOW) and that no other file does.
export const SLOW: readonly string[] = [
  // A browser opens the report / the explorer page.
  'test/cli/report-browser.test.ts',
  'test/web/explorer-browser.test.ts',
  'test/web/cluster-browser.test.ts',
  // npm packs and installs the package, or resolves the lock file.
  'test/api/pack.test.ts',
  'test/package-lock.test.ts',
  // The executable is spawned (exit codes, signals, pipes, GNU parallel, `explore --serve`).
  'test/cli/e2e.test.ts',
  'test/cli/front-door.test.ts',
  'test/cli/wall-limit.e2e.test.ts',
  'test/cli/parallel.e2e.test.ts',
  'test/cli/explore.test.ts',
  'test/cli/sweep.e2e.test.ts',
  'test/isr/reproduce-cli.test.ts',
  'test/docs/examples.test.ts',
  'test/api/policy-files.test.ts',
  'test/api/when-code-runs.test.ts',
  'test/cli/shard-code.test.ts',
  // Sweeps run on worker threads, which load the compiled worker (dist/sim/cli/pool/worker.js).
  'test/api/api.test.ts',
  'test/api/examples.test.ts',
  'test/cli/edge-e2e.test.ts',
  'test/cli/fork-e2e.test.ts',
  'test/cli/sweep-axes.test.ts',
  'test/cli/sweep-goal.e2e.test.ts',
  'test/web/experiment.test.ts',
  'test/cli/ranges-sweep.test.ts',
  // Policy files import the package by its name ('vmsim', package.json "exports": dist/).
  'test/api/context.test.ts',
  // vmsim predict runs its sweep on worker threads (and talks to a fake QEMU's socket).
  'test/cli/predict-e2e.test.ts',
  // Real QEMU boots and migrates a guest (skipped, naming what is missing, where QEMU is not installed).
  'test/qemu-live/live.test.ts',
  // Both memory models over many seeds (a minute or two of simulation).
  'test/models/agreement.test.ts',
  // A shipped scenario's policy file (.mjs) imports the package by its name.
  'test/cluster/published.test.ts',
];

/** What in a test file's text needs the slow project: a process, a browser, dist/, worker threads, the package by name. */
export const NEEDS_SLOW: ReadonlyArray<[RegExp, string]> = [
  [/\bnode:child_process\b/, 'spawns a process'],
  [/\bplaywright-core\b/, 'opens a browser'],
  [/\b(requireDist|vmsimProcess|vmsimChild)\(/, 'runs the built CLI'],
  [/['"`]dist['"`/]/, 'reads dist/'],
  [/\bvmsim\(\[\s*'(sweep|explore)'/, "runs a sweep's worker threads or bundles the explorer from dist/"],
  [/\bfrom\s+['"]vmsim(\/core)?['"]/, 'imports the package by its name'],
  [/\bmodelAgreement\(/, 'runs both memory models over many seeds'],
  [/['"`][\w./-]*\.mjs['"`]/, 'runs a policy file (.mjs), which imports the package by its name'],
];
