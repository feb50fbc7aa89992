// Running the built CLI from tests: paths, a spawn wrapper, and building dist/ when it is missing
// (`npm test` builds first; a bare `npx vitest` may not have).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = join(ROOT, 'dist', 'sim', 'cli', 'main.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `vmsim ARGS` (without VMSIM_DEBUG, so errors look as users see them). */
export function vmsim(args: readonly string[], cwd = ROOT, timeout = 60_000): CliResult {
  const env = { ...process.env };
  delete env.VMSIM_DEBUG;
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, env, encoding: 'utf8', timeout });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Build dist/ if the CLI is not there. */
export function ensureBuilt(): void {
  if (existsSync(MAIN)) return;
  const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (b.status !== 0) throw new Error(`build failed:\n${b.stdout}${b.stderr}`);
}
