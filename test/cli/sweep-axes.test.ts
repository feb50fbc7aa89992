// Sweep axes are read against the scenario's own kind: every leaf field of every kind (every path
// whose schema is not a mapping: a quantity, a name, a list, a record) is accepted as an axis, and a
// shipped scenario's own value for it round-trips into a planned point. A point that fails a
// cross-field check (a working set larger than the memory at one value of vm.memory) stops the sweep
// before any run: exit 2, the field named, nothing written, no progress shown.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import type { z } from 'zod';
import { ScenarioSchema } from '../../scenarios/schema.js';
import { shippedScenarios } from '../../sim/cli/io/files.js';
import { planNamedSweep as planSweep } from '../../sim/cli/sweep.js';
import { InputError } from '../../sim/errors.js';
import { CLI_TIMEOUT, ROOT, vmsim } from '../helpers/cli.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object shapes a schema can take (through optional, default, pipe and union). */
function shapes(s: z.ZodType): Array<Record<string, z.ZodType>> {
  const d = defOf(s);
  if (d.type === 'object') return [d.shape!];
  if (d.innerType) return shapes(d.innerType);
  if (d.type === 'pipe') return shapes(d.in!);
  if (d.type === 'union') return d.options!.flatMap(shapes);
  return [];
}

/** Every leaf path of a schema: a field whose schema is not a mapping. */
function leaves(s: z.ZodType, prefix = ''): string[] {
  const out = new Set<string>();
  for (const shape of shapes(s)) {
    for (const [k, child] of Object.entries(shape)) {
      const path = prefix ? `${prefix}.${k}` : k;
      const inner = leaves(child, path);
      if (inner.length === 0) out.add(path);
      else inner.forEach((p) => out.add(p));
      // A field that is a mapping or a single value (a link as a netem string) is a leaf too.
      if (inner.length > 0 && defOf(child).type !== 'object' && shapes(child).length > 0 && !onlyObjects(child)) out.add(path);
    }
  }
  return [...out];
}
const onlyObjects = (s: z.ZodType): boolean => {
  const d = defOf(s);
  if (d.type === 'object') return true;
  if (d.innerType) return onlyObjects(d.innerType);
  if (d.type === 'pipe') return onlyObjects(d.in!);
  if (d.type === 'union') return d.options!.every(onlyObjects);
  return false;
};

const valueAt = (doc: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined), doc);

const SWEEP_SETTINGS = ['seed', 'trials'];

describe('every leaf field of every kind as a sweep axis', () => {
  const kinds = ScenarioSchema.options.map((o) => ({ kind: o.shape.kind.value as string, schema: o as unknown as z.ZodType }));
  const shipped = shippedScenarios();

  for (const { kind, schema } of kinds) {
    it(`${kind}: every leaf is accepted, and a shipped value round-trips into the plan`, () => {
      const scenario = shipped.find((s) => s.kind === kind)!;
      const doc = YAML.parse(readFileSync(scenario.file, 'utf8'));
      const paths = leaves(schema);
      expect(paths.length).toBeGreaterThan(10);
      let roundTrips = 0;
      for (const path of paths) {
        const v = valueAt(doc, path);
        const text = v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v);
        // One value, taken literally as a sweep file's YAML list gives it (a description may hold commas).
        const plan = (spec: string) => planSweep({ scenarioArg: scenario.file, axes: [{ path, spec, literal: [spec] }], trials: 1 });
        if (SWEEP_SETTINGS.includes(path)) {
          expect(() => plan(text ?? '1'), path).toThrow(/is a sweep setting/);
          continue;
        }
        if (text !== undefined && path !== 'variant') {
          const p = plan(text);
          expect(p.points, path).toHaveLength(1);
          if (path === 'policy') expect(p.points[0].policy).toBe(text);
          else expect(Object.keys(p.points[0].params).some((c) => c === path || c.startsWith(`${path}_`)), path).toBe(true);
          roundTrips++;
          continue;
        }
        // No shipped value: the path is known (a bad or missing value is the field's own error, never "no field").
        try {
          plan('1');
        } catch (e) {
          expect(e, path).toBeInstanceOf(InputError);
          expect((e as Error).message, path).not.toMatch(/has no field/);
        }
      }
      expect(roundTrips, `${kind}: ${roundTrips} of ${paths.length}`).toBeGreaterThanOrEqual(Math.min(8, paths.length / 3));
    });
  }

  it('sees the leaves of the ISR kind that a migration has not (vm.image), and the reverse', () => {
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, leaves(k.schema)]));
    expect(byKind.isr).toContain('vm.image');
    expect(byKind.migration).not.toContain('vm.image');
    expect(byKind.migration).toContain('vm.working_set');
    expect(byKind.migration).toContain('link.bandwidth');
  });
});

describe('a point that fails a cross-field check', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vmsim-axes-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('stops the sweep before any run: exit 2, the field named, nothing written', async () => {
    const out = join(tmp, 'out');
    // The shipped VM's working set is 64 MiB + 256 MiB: at 256 MiB of memory (the last point) it does not fit.
    const r = await vmsim(['sweep', 'precopy-qemu', '--set', 'link.bandwidth=100Mbit/s..1Gbit/s:log:3', '--set', 'vm.memory=1GiB,256MiB', '--trials', '2', '--out', out], ROOT);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^vmsim: .*vm\.working_set/);
    expect(r.stderr).toMatch(/256MiB|268435456/);
    expect(r.stderr).not.toMatch(/runs|done/); // no progress line: nothing ran
    expect(existsSync(out)).toBe(false);
  });
});

describe('a range over a policy option with a unit', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vmsim-axes-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  // The option's unit is the policy's, known only once its code is loaded: the range is read then
  // (it was once read as a bare number before the policy was known, and refused).
  it('runs one point per value, in the option unit; a range without units is still refused', async () => {
    const out = join(tmp, 'out');
    const r = await vmsim(['sweep', 'precopy-qemu', '--set', 'options.downtime_limit=10ms..1s:log:3', '--set', 'vm.memory=256MiB', '--set', 'vm.working_set=[]', '--trials', '1', '--quiet', '--out', out], ROOT);
    expect(r.code, r.stderr).toBe(0);
    const [head, ...rows] = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    const col = head.split(',').indexOf('options.downtime_limit_s');
    expect(rows.map((l) => Number(l.split(',')[col]))).toEqual([0.01, 0.1, 1]);
    const bad = await vmsim(['sweep', 'precopy-qemu', '--set', 'options.downtime_limit=10..1s:log:3', '--trials', '1', '--out', join(tmp, 'bad')], ROOT);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^vmsim: --set options\.downtime_limit=10\.\.1s:log:3: cannot read "10" as a duration/);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });
});
