// `vmsim scenarios`, `vmsim policies`, `vmsim schema`: what is shipped and registered.
import { relative } from 'node:path';
import { scenarioJsonSchema } from '../json-schema.js';
import { listOption, stringOption, type Args } from '../args.js';
import { loadPolicyRefs } from '../policy-files.js';
import { packageRoot, shippedScenarios } from '../io/files.js';
import type { Io } from '../io/io.js';
import { checkOutFile, writeFileAtomic } from '../io/output.js';

const KINDS = ['isr', 'migration', 'synthesis', 'vdi', 'fork'];
const order = (k: string): number => (KINDS.indexOf(k) < 0 ? KINDS.length : KINDS.indexOf(k));

export async function cmdScenarios(io: Io): Promise<void> {
  const all = shippedScenarios().sort((a, b) => order(a.kind) - order(b.kind));
  const w = Math.max(...all.map((s) => s.name.length));
  const root = packageRoot();
  let kind = '';
  for (const s of all) {
    if (s.kind !== kind) io.stdout(`${kind === '' ? '' : '\n'}${s.kind}:\n`);
    kind = s.kind;
    const first = s.description.split(/\n/)[0];
    io.stdout(`  ${s.name.padEnd(w)}  ${first}${first ? ' ' : ''}(${relative(root, s.file)})\n`);
  }
}

export async function cmdPolicies(a: Args, io: Io): Promise<void> {
  const set = await loadPolicyRefs(listOption(a, 'policy-file').map((text) => ({ text, base: io.cwd })));
  const all = set.all();
  const w = Math.max(...all.map((p) => p.name.length));
  const sorted = [...all].sort((x, y) => order(x.kind) - order(y.kind));
  for (const p of sorted) {
    const file = set.fileOf(p.name);
    io.stdout(`${p.name.padEnd(w)}  ${p.kind.padEnd(9)}  ${p.summary}${file === undefined ? '' : ` (${relative(io.cwd, file) || file})`}\n`);
  }
}

export async function cmdSchema(a: Args, io: Io): Promise<void> {
  const out = stringOption(a, 'out');
  const file = out === undefined ? undefined : checkOutFile(out, io.cwd, '--out');
  const json = JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
  if (file !== undefined) writeFileAtomic(file, json);
  else io.stdout(json);
}
