// The JSON Schema editors use (scenarios/scenario.schema.json, `vmsim schema`), checked with a
// standard validator (ajv, JSON Schema 2020-12): it is the generated one, every shipped scenario is
// valid under it, and a mistake is reported at its own path (not at the root as "not valid under any
// of the given schemas"), with the policy names and each policy's options typed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { scenarioJsonSchema } from '../../sim/cli/json-schema.js';
import { ROOT } from '../helpers/cli.js';
import { shippedFile, shippedScenarioFiles } from '../helpers/scenarios.js';

const committed = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'scenario.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(committed);
const errorsOf = (doc: unknown): ErrorObject[] => (validate(doc) ? [] : (validate.errors ?? []));
const shipped = (name: string): Record<string, unknown> => YAML.parse(readFileSync(shippedFile(name), 'utf8'));

describe('scenario.schema.json', () => {
  it('is the generated schema (regenerate: vmsim schema --out scenarios/scenario.schema.json)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
    expect(JSON.stringify(committed)).toContain('"unit":"bps"');
  });

  it('accepts every shipped scenario', () => {
    const all = shippedScenarioFiles();
    expect(all.length).toBeGreaterThanOrEqual(11);
    for (const file of all) expect(errorsOf(YAML.parse(readFileSync(file, 'utf8'))), file).toEqual([]);
  });

  it('reports a misspelt option at its own path', () => {
    const doc = shipped('precopy-qemu');
    doc.options = { ...(doc.options as object), downtime_limt: '50ms' };
    const errs = errorsOf(doc);
    expect(errs.length).toBeGreaterThan(0);
    const at = errs.find((e) => e.keyword === 'additionalProperties');
    expect(at).toMatchObject({ instancePath: '/options', params: { additionalProperty: 'downtime_limt' } });
    // Nothing is blamed on the root document.
    expect(errs.filter((e) => e.instancePath === '' && e.keyword !== 'if')).toEqual([]);
  });

  it("checks a variant's options against its own policy, and a field of the kind at its path", () => {
    const doc = shipped('precopy-qemu');
    doc.variants = { fast: { policy: 'postcopy', options: { prepage: 'sideways' } }, slow: { policy: 'precopy', options: { downtime_limit: '50ms' } } };
    const errs = errorsOf(doc);
    expect(errs.map((e) => e.instancePath)).toContain('/variants/fast/options/prepage');
    expect(errs.every((e) => !e.instancePath.startsWith('/variants/slow'))).toBe(true);
    const isr = shipped('isr-2005');
    (isr.link as Record<string, unknown>).bandwith = '1Mbit/s';
    expect(errorsOf(isr).find((e) => e.keyword === 'additionalProperties')).toMatchObject({ instancePath: '/link', params: { additionalProperty: 'bandwith' } });
  });

  it("refuses an option of a pre-copy rule set the options do not follow, and takes qemu's without rules", () => {
    const simgrid = shipped('precopy-simgrid');
    expect(errorsOf(simgrid)).toEqual([]);
    simgrid.options = { ...(simgrid.options as object), downtime_limit: '50ms' };
    expect(errorsOf(simgrid).some((e) => e.instancePath === '/options' && e.keyword === 'oneOf')).toBe(true);
    const qemu = shipped('precopy-qemu');
    qemu.options = { downtime_limit: '50ms' };
    expect(errorsOf(qemu)).toEqual([]);
  });

  it('lists the policies of each kind as an enum (what an editor completes), and a policy of another kind is refused', () => {
    const migration = committed.$defs.migration.properties.policy.anyOf[0].enum;
    expect(migration).toEqual(expect.arrayContaining(['stop-and-copy', 'precopy', 'postcopy', 'hybrid', 'handoff']));
    expect(migration).not.toContain('baseline');
    // Pre-copy's options, one branch per rule set.
    const branches = committed.$defs['migration.precopy.options'].oneOf as Array<{ properties: Record<string, { const?: string }> }>;
    expect(branches.map((b) => b.properties.rules.const)).toEqual(['qemu', 'xen', 'simgrid']);
    expect(Object.keys(branches[0].properties)).toContain('downtime_limit');
    expect(Object.keys(branches[2].properties)).not.toContain('downtime_limit');
    const doc = shipped('precopy-qemu');
    doc.policy = 'baseline';
    expect(errorsOf(doc).some((e) => e.instancePath === '/policy')).toBe(true);
  });
});
