// Scenarios for the core's tests, loaded through the core API (sim/api.ts loadScenario) from text
// read here, as the explorer page loads them: the CLI's file handling (sim/cli/io/files.ts) is not on
// the way; test/cli/files.test.ts tests that.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, type Loaded } from '../../sim/api.js';
import { ROOT } from './cli.js';

const SCENARIOS = join(ROOT, 'scenarios');

/** Every shipped scenario file (scenarios/<folder>/<name>.yaml), sorted. */
export function shippedScenarioFiles(): string[] {
  return readdirSync(SCENARIOS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(SCENARIOS, d.name)).filter((f) => f.endsWith('.yaml')).map((f) => join(SCENARIOS, d.name, f)))
    .sort();
}

/** The file of the shipped scenario `name` (as `vmsim run NAME` finds it). */
export function shippedFile(name: string): string {
  const file = shippedScenarioFiles().find((f) => f.endsWith(`/${name}.yaml`));
  if (file === undefined) throw new Error(`no shipped scenario named "${name}"`);
  return file;
}

/** A shipped scenario by name, or a scenario file by path, with --set overrides; `file` is the path. */
export function readScenario(nameOrPath: string, sets: readonly string[] = []): Loaded {
  const file = nameOrPath.includes('/') ? nameOrPath : shippedFile(nameOrPath);
  return loadScenario(readFileSync(file, 'utf8'), { file, set: sets });
}
