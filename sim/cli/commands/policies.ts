// `vmsim policies`: the registered transfer policies by scenario kind, and those of --policy-file.
import { relative } from 'node:path';
import { listOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { loadPolicyRefs } from '../policy-files.js';
import { kindOrder } from './scenarios.js';

export async function cmdPolicies(a: Args, io: Io): Promise<void> {
  const set = await loadPolicyRefs(listOption(a, 'policy-file').map((text) => ({ text, base: io.cwd })));
  const all = set.all();
  const w = Math.max(...all.map((p) => p.name.length));
  const sorted = [...all].sort((x, y) => kindOrder(x.kind) - kindOrder(y.kind));
  for (const p of sorted) {
    const file = set.fileOf(p.name);
    io.stdout(`${p.name.padEnd(w)}  ${p.kind.padEnd(9)}  ${p.summary}${file === undefined ? '' : ` (${relative(io.cwd, file) || file})`}\n`);
  }
}
