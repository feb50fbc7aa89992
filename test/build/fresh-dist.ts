// The slow project's globalSetup (vitest.config.ts): dist/ built from the current sources before any
// slow test runs, and again before each rerun in watch mode; built only when a source changed (the
// same check as `npm start`'s pre-hook), so an up-to-date tree starts at once. Tests reach dist/
// through requireDist() (test/helpers/cli.ts), which fails outside the slow project.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { stale } from './stale.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function build(): void {
  const changed = stale(ROOT);
  if (changed === undefined) return;
  process.stderr.write(`vmsim: ${changed} changed since the last build; building\n`);
  const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  if (b.status !== 0) throw new Error(`npm run build failed (${b.error?.message ?? `exit ${b.status}`}):\n${b.stdout}${b.stderr}`);
}

export default function setup(project: TestProject): void {
  build();
  project.onTestsRerun(build);
  project.provide('dist', join(ROOT, 'dist'));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** dist/, built from the current sources (provided to the slow project only). */
    dist: string;
  }
}
