// docs/scenario-reference.md is generated from the zod schemas (scenarios/schema-doc.ts), as the JSON
// Schema is: this test fails when a field, unit, default or description changed and the page was not
// regenerated. `npm run docs` (VMSIM_WRITE_DOCS=1) rewrites it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scenarioReference } from '../../scenarios/schema-doc.js';
import { ROOT } from '../helpers/cli.js';

const FILE = join(ROOT, 'docs', 'scenario-reference.md');

describe('docs/scenario-reference.md', () => {
  it('is the reference generated from the zod schemas (regenerate: npm run docs)', () => {
    const generated = scenarioReference();
    if (process.env.VMSIM_WRITE_DOCS === '1') writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8')).toBe(generated);
  });

  it('lists every kind with its fields, units and defaults', () => {
    const text = scenarioReference();
    for (const kind of ['migration', 'isr', 'synthesis', 'vdi', 'fork']) expect(text).toContain(`## Kind: ${kind}`);
    expect(text).toContain('| `link.bandwidth` (required) | quantity | bit/s (`100Mbit/s`) |  | bandwidth of each direction |');
    expect(text).toContain('| `limits.max_wall` | quantity | time (`20ms`, `1.5 min`) | `30s` |');
    expect(text).toContain('| `vm.working_set[].pattern` | `random` \\| `sequential` \\| `zipf` |');
    expect(text).toContain('| `clones` (required) |');
  });
});
