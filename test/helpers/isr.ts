// Helpers shared by the ISR test suites (test/isr/): one-trial runs of the shipped ISR scenario,
// scenario variants written to a temporary file, the CLI in-process, and a small quoted-CSV reader.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { expect } from 'vitest';
import { ROOT } from './cli.js';
import type { CliResult } from './cli.js';
import { InThread, planRun, resolve, type Loaded } from '../../sim/pipeline/index.js';
import { readScenario } from './scenarios.js';
import type { IsrScenarioT } from '../../sim/kinds/isr/schema.js';
import type { RunRecord } from '../../sim/results/record.js';

export { ROOT, MAIN } from './cli.js';
export const ISR_YAML = join(ROOT, 'scenarios', 'isr', 'isr-2005.yaml');
export const ISR_REFERENCE = join(ROOT, 'scenarios', 'reference', 'isr-2005.json');

/** The ISR part of a loaded scenario (throws if the file is not an ISR scenario). */
export function isrOf(loaded: Loaded): IsrScenarioT {
  const s = loaded.scenario;
  if (s.kind !== 'isr') throw new Error(`${loaded.file} is not an ISR scenario`);
  return s;
}

/** Run `policy` on a scenario (name or path) with overrides: `trials` trials from the scenario's base seed. */
export function runIsr(policy: string, sets: readonly string[] = [], opts: { scenario?: string; trials?: number } = {}): RunRecord[] {
  const loaded = readScenario(opts.scenario ?? 'isr-2005', sets);
  return new InThread().runSync(planRun(resolve(loaded, { policy, trials: opts.trials ?? 1 })));
}

/** Metrics of trial 0. */
export function runIsrOnce(policy: string, sets: readonly string[] = [], scenario?: string): Record<string, number> {
  return runIsr(policy, sets, { scenario, trials: 1 })[0].metrics;
}

let tmp: string | undefined;
/** A process-wide temporary directory for scenario variants and CLI output. */
export function tmpDir(): string {
  if (tmp === undefined) tmp = mkdtempSync(join(tmpdir(), 'vmsim-isr-'));
  return tmp;
}

let variants = 0;
/** Write a copy of the shipped ISR scenario, changed by `mutate` on its raw YAML document; returns the path. */
export function isrVariant(name: string, mutate: (doc: Record<string, any>) => void): string {
  const doc = YAML.parse(readFileSync(ISR_YAML, 'utf8')) as Record<string, any>;
  mutate(doc);
  const file = join(tmpDir(), `${++variants}-${name}.yaml`);
  writeFileSync(file, YAML.stringify(doc));
  return file;
}

/** n log-spaced points from lo to hi inclusive. */
export function logSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo * Math.pow(hi / lo, i / (n - 1))));
}

export { vmsim, type CliResult } from './cli.js';

/** A bad-input failure: exit 2, one "vmsim: ..." paragraph on stderr, no stack trace, nothing on stdout. */
export function expectInputFailure(r: CliResult, ...details: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('vmsim: ')).toBe(true);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trim()).not.toMatch(/\n\s*\n/);
  expect(r.stderr).not.toContain('    at ');
  expect(r.stderr).not.toContain('internal error');
  for (const d of details) expect(r.stderr).toContain(d);
}

/** Parse RFC 4180 CSV into rows (the project's reader, reports/csv.ts). */
export { csvRows as parseCsv } from '../../reports/csv.js';

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
