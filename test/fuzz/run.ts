// `npm run fuzz -- --runs N [--seed S]`: the front-door property (test/fuzz/property.ts) for as many
// cases as asked, printing progress and any counterexample fast-check finds (shrunk).
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { check, mutated, scenarioCase } from './property.js';

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
let done = 0;
const codes = new Map<number, number>();
const t0 = Date.now();
process.stderr.write(`fuzz: ${runs} cases, seed ${seed}\n`);
const result = await fc.check(
  fc.asyncProperty(scenarioCase, async (c) => {
    if (last) writeFileSync(last, `# ${c.command}\n${mutated(c)}`);
    const code = await check(c);
    codes.set(code, (codes.get(code) ?? 0) + 1);
    if (++done % 500 === 0) process.stderr.write(`fuzz: ${done}/${runs} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`);
  }),
  { seed, numRuns: runs },
);
if (result.failed) {
  process.stderr.write(`fuzz: FAILED after ${result.numRuns} cases (seed ${seed}, path ${result.counterexamplePath}):\n${String(result.errorInstance)}\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(`fuzz: ${result.numRuns} cases passed in ${((Date.now() - t0) / 1000).toFixed(0)} s (seed ${seed}); exit codes: ${[...codes].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}: ${n}`).join(', ')}\n`);
}
