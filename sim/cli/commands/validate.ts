// `vmsim validate`: load, check and estimate a scenario without building or running anything, so it
// imports no driver, world builder or report (it answers in a fraction of a second). It runs no
// code: a policy file is checked as a path (in the scenario's folder tree, a regular module file)
// but not loaded, and the output says so (docs/security.md).
import { InputError, messages } from '../../errors.js';
import { parseSets } from '../../../scenarios/load.js';
import { resolve, type Resolved } from '../../pipeline/index.js';
import { listOption, stringOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { loadForRun, refPath, type PolicyRef } from '../policy-files.js';

/** The policy flags: --policy NAME|PATH or --policy-file PATH (not both). */
function policyFlags(a: Args): { flag?: string; file?: string } {
  const flag = stringOption(a, 'policy');
  const file = stringOption(a, 'policy-file');
  if (flag !== undefined && file !== undefined) throw new InputError(messages.policyTwice());
  return { flag, file };
}

/**
 * The scenario, validated, then resolved with the policy chosen by --policy or --policy-file (or its
 * own): the one policy file the run uses is loaded only then. With `code` false (validate) a policy
 * file is not loaded: `ref` names it and nothing is resolved.
 */
async function scenarioFor(a: Args, io: Io, code: boolean, runs: { trials?: number; seed?: number } = {}): Promise<{ resolved?: Resolved; ref?: PolicyRef; file: string; kind: string; name: string }> {
  const { flag, file } = policyFlags(a);
  const { loaded, note, ref } = await loadForRun(String(a.scenario), parseSets(listOption(a, 'set')), io.cwd, { policy: flag, file }, code);
  if (note) io.stderr(`vmsim: ${note}\n`);
  const about = { file: loaded.file, kind: loaded.scenario.kind, name: loaded.scenario.name };
  if (!code && ref !== undefined) return { ...about, ref };
  return { ...about, resolved: resolve(loaded, { policy: file ?? flag, source: file !== undefined ? '--policy-file' : flag !== undefined ? '--policy' : 'file', ...runs }) };
}

/** The scenario resolved for `vmsim run`, its policy file (if any) loaded. */
export async function resolvedRun(a: Args, io: Io, runs: { trials?: number; seed?: number } = {}): Promise<Resolved> {
  return (await scenarioFor(a, io, true, runs)).resolved!;
}

export async function cmdValidate(a: Args, io: Io): Promise<void> {
  const s = await scenarioFor(a, io, false);
  const policy = s.resolved !== undefined ? `policy ${s.resolved.policy.name}` : `policy file ${refPath(s.ref!)}`;
  io.stdout(`${s.file}: ok (${s.kind} scenario "${s.name}", ${policy})\n`);
  if (s.ref !== undefined) io.stdout(`${messages.policyNotRun(refPath(s.ref))}\n`);
}
