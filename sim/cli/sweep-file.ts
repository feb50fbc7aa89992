// Sweep files: the same grid as `--set` flags, kept in a YAML (or JSON) file beside the scenario.
//
//   title: Pre-copy at lab scale     # the report's title (default: the scenario's name)
//   description: 2 GiB, 10 Mbit/s..10 Gbit/s   # the report's lead (free text, never an axis)
//   scenario: stop-and-copy          # a shipped name, or a path relative to this file
//   trials: 5
//   seed: 7
//   set:
//     policy: [stop-and-copy]        # a YAML list: each element one literal value
//     link.bandwidth: 64kbit/s..1Gbit/s:log:40   # a string: the --set axis syntax
//     vm.memory: 256MiB              # one value: a fixed override (still a column)
//   detail_point: { link.bandwidth: 100Mbit/s }   # the point the report shows up close
//
// Flags on the command line win: --trials/--seed replace the file's, a --set for a path the file
// also sets replaces that axis in place.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, messages } from '../errors.js';
import { parseDocument, parseOrThrow } from '../../scenarios/load.js';
import { readText } from './io/files.js';
import { givenOverride } from '../pipeline/index.js';
import { checkBounds } from '../pipeline/bounds.js';
import { MAX_TRIALS } from '../../scenarios/schema-common.js';
import type { AxisText } from '../experiment/sweep-plan.js';
import type { DetailChoice } from '../experiment/detail-point.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);

const SweepFileSchema = z.strictObject({
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  scenario: z.string().optional(),
  trials: z.number().int().min(1).max(MAX_TRIALS).optional(),
  seed: z.union([z.number().int().min(0), z.string()]).optional(),
  set: z.record(z.string(), z.union([Scalar, z.array(Scalar).min(1)])).default({}),
  variants: z.record(z.string(), z.unknown()).optional(),
  detail_point: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

export interface SweepFile {
  /** The experiment's own title and description, for the report. */
  title?: string;
  description?: string;
  scenario?: string;
  /** Variants to add to the scenario's (validated with the scenario). */
  variants?: Record<string, unknown>;
  trials?: number;
  seed?: number | string;
  axes: AxisText[];
  /** `detail_point: {PATH: VALUE}`, each value as YAML read it. */
  detail: DetailChoice[];
}

export function readSweepFile(path: string, cwd = process.cwd()): SweepFile {
  const file = resolve(cwd, path);
  const raw = parseDocument(checkBounds(readText(file, 'sweep file'), file), file);
  // The same checks and messages as a scenario's (unknown fields with "did you mean", paths).
  const { title, description, scenario, trials, seed, set, variants, detail_point } = parseOrThrow(SweepFileSchema, raw ?? {}, file);
  const axes: AxisText[] = Object.entries(set).map(([path, v]) => {
    if (!Array.isArray(v)) return { path, spec: String(v) };
    const literal = v.map(String);
    // a number or true/false is the value itself; a string is read as --set reads it
    return { path, spec: literal.map((x) => (x.includes(',') ? JSON.stringify(x) : x)).join(','), literal, given: v.map((x) => givenOverride(path, x).value) };
  });
  // A relative scenario path is read from the sweep file's folder; anything else is a shipped name.
  let scen = scenario;
  if (scen !== undefined && !isAbsolute(scen)) {
    const near = join(dirname(file), scen);
    let isFile = false;
    try {
      isFile = statSync(near).isFile();
    } catch {
      /* a shipped name */
    }
    if (isFile) scen = near;
  }
  return { title, description, scenario: scen, trials, seed, axes, variants, detail: Object.entries(detail_point ?? {}).map(([path, value]) => ({ path, value })) };
}
