// Property-based fuzzing of the front door (test/fuzz/property.ts): a fixed seed and a few hundred
// mutated scenarios on every `npm test`; `npm run fuzz -- --runs N` for long runs.
import fc from 'fast-check';
import { describe, it, vi } from 'vitest';
import { CLI_TIMEOUT } from '../helpers/cli.js';
import { check, scenarioCase } from './property.js';
import { apiCase, checkApi, checkPolicy, checkSpecial, policyCase, specialCase } from './targets.js';
import * as api from '../../sim/cli/node-api.js';
import * as errors from '../../sim/errors.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT * 2 });

describe('the front door under mutated scenarios of every kind', () => {
  it('exits 0, 2 or 4, prints no stack trace, writes nothing on failure and only inside --out on success', async () => {
    await fc.assert(fc.asyncProperty(scenarioCase, async (c) => void (await check(c))), { seed: 20261201, numRuns: 200, endOnFailure: true });
  });
});

describe('the front door under special files, misbehaving policy code and junk API arguments', () => {
  it('special files where a scenario, policy file, sweep file or shard is read: exit 2, a plain message', async () => {
    await fc.assert(fc.asyncProperty(specialCase, async (c) => void (await checkSpecial(c))), { seed: 20261207, numRuns: 40, endOnFailure: true });
  });
  it('policy files that throw, loop, yield or return junk: exit 0, 2, 3 or 4 with the policy named, never a stack trace', async () => {
    await fc.assert(fc.asyncProperty(policyCase, async (c) => void (await checkPolicy(c))), { seed: 20261207, numRuns: 40, endOnFailure: true });
  });
  it('the library with junk arguments: a result or a typed vmsim error, never a raw TypeError', async () => {
    await fc.assert(fc.asyncProperty(apiCase, async (c) => void (await checkApi(c, api as unknown as Record<string, (...a: unknown[]) => unknown>, errors))), { seed: 20261207, numRuns: 300, endOnFailure: true });
  });
});
