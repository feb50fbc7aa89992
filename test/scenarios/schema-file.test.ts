import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { ScenarioSchema } from '../../scenarios/schema.js';

test('the committed scenario.schema.json matches the zod schema (regenerate: vmsim schema --out scenarios/scenario.schema.json)', () => {
  const committed = JSON.parse(readFileSync(new URL('../../scenarios/scenario.schema.json', import.meta.url), 'utf8'));
  const generated = JSON.parse(JSON.stringify(z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' })));
  expect(committed).toEqual(generated);
  expect(JSON.stringify(committed)).toContain('"unit":"bps"');
});
