// `npm run fuzz -- --runs N [--seed S] [--target scenario|special|policy|api|all]`: the front-door
// property (test/fuzz/property.ts: mutated scenarios; targets.ts: special files, policy code, the
// library's entry points) for as many cases as asked, printing progress and any counterexample
// fast-check finds (shrunk).
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { check, mutated, scenarioCase, type ScenarioCase } from './property.js';
import { apiCase, checkApi, checkPolicy, checkSpecial, policyCase, specialCase } from './targets.js';
import * as api from '../../sim/cli/node-api.js';
import * as errors from '../../sim/errors.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--${name} takes a whole number`);
  return v;
};
const runs = arg('runs', 1000);
// --last FILE: each case's scenario is written there before it runs, so a case that kills the
// process (out of memory) can be found and replayed.
const lastAt = process.argv.indexOf('--last');
const last = lastAt >= 0 ? process.argv[lastAt + 1] : undefined;
const seed = arg('seed', Date.now() % 2 ** 31);
const targetAt = process.argv.indexOf('--target');
const target = targetAt >= 0 ? process.argv[targetAt + 1] : 'scenario';
if (process.argv.includes('--help')) {
  process.stdout.write('npm run fuzz -- [--runs N (1000)] [--seed S] [--last FILE] [--target scenario|special|policy|api|all]\n');
  process.exit(0);
}
type Case = { t: 'scenario'; c: ScenarioCase } | { t: 'special'; c: Parameters<typeof checkSpecial>[0] } | { t: 'policy'; c: Parameters<typeof checkPolicy>[0] } | { t: 'api'; c: Parameters<typeof checkApi>[0] };
const ARBS = {
  scenario: scenarioCase.map((c): Case => ({ t: 'scenario', c })),
  special: specialCase.map((c): Case => ({ t: 'special', c })),
  policy: policyCase.map((c): Case => ({ t: 'policy', c })),
  api: apiCase.map((c): Case => ({ t: 'api', c })),
};
if (target !== 'all' && !(target in ARBS)) throw new Error(`--target takes scenario, special, policy, api or all`);
// With all: mostly scenarios (the widest space), the other targets a case in ten each.
const arbitrary = target === 'all' ? fc.oneof({ arbitrary: ARBS.scenario, weight: 7 }, { arbitrary: ARBS.special, weight: 1 }, { arbitrary: ARBS.policy, weight: 1 }, { arbitrary: ARBS.api, weight: 1 }) : ARBS[target as keyof typeof ARBS];
const kinds = new Map<string, number>();
async function one(k: Case): Promise<number | string> {
  kinds.set(k.t, (kinds.get(k.t) ?? 0) + 1);
  if (k.t === 'special') return checkSpecial(k.c);
  if (k.t === 'policy') return checkPolicy(k.c);
  if (k.t === 'api') return checkApi(k.c, api as unknown as Record<string, (...a: unknown[]) => unknown>, errors);
  if (last) writeFileSync(last, `# ${k.c.command}\n${mutated(k.c)}`);
  return check(k.c);
}
let done = 0;
const codes = new Map<number | string, number>();
const t0 = Date.now();
process.stderr.write(`fuzz: ${runs} cases, seed ${seed}\n`);
const result = await fc.check(
  fc.asyncProperty(arbitrary, async (c) => {
    const code = await one(c);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (++done % 500 === 0) process.stderr.write(`fuzz: ${done}/${runs} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`);
  }),
  { seed, numRuns: runs },
);
if (result.failed) {
  process.stderr.write(`fuzz: FAILED after ${result.numRuns} cases (seed ${seed}, path ${result.counterexamplePath}):\n${String(result.errorInstance)}\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(`fuzz: ${result.numRuns} cases passed in ${((Date.now() - t0) / 1000).toFixed(0)} s (seed ${seed}); exit codes: ${[...codes].map(([c, n]) => `${c}: ${n}`).join(', ')}; targets: ${[...kinds].map(([t, n]) => `${t}: ${n}`).join(', ')}\n`);
}
