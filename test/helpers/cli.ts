// Running the CLI from tests. `vmsim` calls the CLI in this process (cli() with a capturing Io): the
// same code path as the executable minus a Node start, which on a busy 2-core machine is most of a
// short command's time. In the fast project it runs the sources; in the slow project (whose
// globalSetup, test/build/fresh-dist.ts, builds dist/ from the current sources first) the compiled
// CLI, because a sweep's worker threads load dist/sim/cli/pool/worker.js. `vmsimProcess` spawns the
// executable for what only a real process shows: exit codes of the bin, signals, pipes, the
// environment. No test reads dist/ without `requireDist()`, so none can run against a stale build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inject } from 'vitest';

/** The package root, from the sources (test/helpers) or from dist/test/helpers. */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
/** The executable users run (package.json bin): the bundled CLI. */
export const MAIN = join(ROOT, 'dist', 'vmsim', 'main.js');

/** Timeout for tests that run the CLI: generous, for a loaded 2-core machine. */
export const CLI_TIMEOUT = 180_000;

/**
 * dist/, checked fresh: under vitest only the slow project's globalSetup builds it (and provides its
 * path), so a test that needs it fails here, naming the fix, when it sits in the fast project.
 * Outside vitest (`npm run bench`, `npm run fuzz` run compiled tests) the npm pre-hook built it.
 */
export function requireDist(): string {
  const dist = process.env.VITEST ? inject('dist') : join(ROOT, 'dist');
  if (dist === undefined) throw new Error('this test needs dist/ (the built CLI): list its file in the slow project (vitest.config.ts), whose globalSetup builds dist/ from the current sources');
  return dist;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type CliModule = typeof import('../../sim/cli/cli.js');
type IoModule = typeof import('../../sim/cli/io/io.js');
let loaded: Promise<[CliModule, IoModule]> | undefined;

/** The CLI's modules: compiled in the slow project, the sources in the fast one (and dist's own under node). */
function cliModules(): Promise<[CliModule, IoModule]> {
  const dist = process.env.VITEST ? inject('dist') : undefined;
  if (dist === undefined) return Promise.all([import('../../sim/cli/cli.js'), import('../../sim/cli/io/io.js')]);
  const compiled = (file: string) => import(pathToFileURL(join(dist, 'sim', 'cli', file)).href);
  return Promise.all([compiled('cli.js'), compiled('io/io.js')]) as Promise<[CliModule, IoModule]>;
}

/** Run `vmsim ARGS` in this process, from `cwd`; errors look exactly as users see them. */
export async function vmsim(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  loaded ??= cliModules();
  const [{ cli }, { captureIo }] = await loaded;
  const io = captureIo(cwd);
  const code = await cli(args, io, 'test');
  return { code, stdout: io.out, stderr: io.err };
}

/** Spawn `vmsim ARGS` as a user would (without VMSIM_DEBUG, so errors look as users see them). */
export function vmsimProcess(args: readonly string[], cwd = ROOT, timeout = 120_000, env: NodeJS.ProcessEnv = {}): CliResult {
  requireDist();
  const e = { ...process.env, ...env };
  delete e.VMSIM_DEBUG;
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, env: e, encoding: 'utf8', timeout });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Spawn `vmsim ARGS` without waiting (signals, pipes). */
export function vmsimChild(args: readonly string[], cwd = ROOT): ReturnType<typeof spawn> {
  requireDist();
  const env = { ...process.env };
  delete env.VMSIM_DEBUG;
  return spawn(process.execPath, [MAIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}
