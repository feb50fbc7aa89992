// Running the built CLI from tests. `vmsim` calls the CLI in this process (dist/sim/cli/cli.js with
// a capturing Io): the same code path as the executable minus a Node start, which on a busy 2-core
// machine is most of a short command's time. `vmsimProcess` spawns the executable for what only a
// real process shows: exit codes of the bin, signals, pipes, the environment.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package root, from the sources (test/helpers) or from dist/test/helpers. */
export const ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
/** The executable users run (package.json bin): the bundled CLI. */
export const MAIN = join(ROOT, 'dist', 'vmsim', 'main.js');
const CLI = join(ROOT, 'dist', 'sim', 'cli', 'cli.js');

/** Timeout for tests that run the CLI: generous, for a loaded 2-core machine. */
export const CLI_TIMEOUT = 180_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

type CliModule = typeof import('../../sim/cli/cli.js');
type IoModule = typeof import('../../sim/cli/io/io.js');
let loaded: Promise<[CliModule, IoModule]> | undefined;

/** Run `vmsim ARGS` in this process, from `cwd`; errors look exactly as users see them. */
export async function vmsim(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  ensureBuilt();
  loaded ??= Promise.all([import(pathToFileURL(CLI).href), import(pathToFileURL(join(ROOT, 'dist', 'sim', 'cli', 'io', 'io.js')).href)]) as Promise<[CliModule, IoModule]>;
  const [{ cli }, { captureIo }] = await loaded;
  const io = captureIo(cwd);
  const code = await cli(args, io, 'test');
  return { code, stdout: io.out, stderr: io.err };
}

/** Spawn `vmsim ARGS` as a user would (without VMSIM_DEBUG, so errors look as users see them). */
export function vmsimProcess(args: readonly string[], cwd = ROOT, timeout = 120_000, env: NodeJS.ProcessEnv = {}): CliResult {
  ensureBuilt();
  const e = { ...process.env, ...env };
  delete e.VMSIM_DEBUG;
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, env: e, encoding: 'utf8', timeout });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Spawn `vmsim ARGS` without waiting (signals, pipes). */
export function vmsimChild(args: readonly string[], cwd = ROOT): ReturnType<typeof spawn> {
  ensureBuilt();
  const env = { ...process.env };
  delete env.VMSIM_DEBUG;
  return spawn(process.execPath, [MAIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Build dist/ (modules and the bundled executable) if the CLI is not there. */
export function ensureBuilt(): void {
  if (existsSync(MAIN) && existsSync(CLI)) return;
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (b.status !== 0) throw new Error(`build failed:\n${b.stdout}${b.stderr}`);
}
