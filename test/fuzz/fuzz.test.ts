// Property-based fuzzing of the front door (test/fuzz/property.ts): a fixed seed and a few hundred
// mutated scenarios on every `npm test`; `npm run fuzz -- --runs N` for long runs.
import fc from 'fast-check';
import { describe, it, vi } from 'vitest';
import { CLI_TIMEOUT } from '../helpers/cli.js';
import { check, scenarioCase } from './property.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT * 2 });

describe('the front door under mutated scenarios of every kind', () => {
  it('exits 0, 2 or 4, prints no stack trace, writes nothing on failure and only inside --out on success', async () => {
    await fc.assert(fc.asyncProperty(scenarioCase, async (c) => void (await check(c))), { seed: 20261201, numRuns: 200, endOnFailure: true });
  });
});
