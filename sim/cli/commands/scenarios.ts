// `vmsim scenarios`: the shipped scenarios by kind, with their descriptions.
import { relative } from 'node:path';
import { packageRoot, shippedScenarios } from '../io/files.js';
import type { Io } from '../io/io.js';
import { KINDS } from '../../kinds/index.js';

const NAMES: readonly string[] = KINDS.map((k) => k.name);

/** Where a kind is listed: in the registry's order (`vmsim scenarios` and `vmsim policies` alike). */
export const kindOrder = (k: string): number => (NAMES.indexOf(k) < 0 ? NAMES.length : NAMES.indexOf(k));

export async function cmdScenarios(io: Io): Promise<void> {
  const all = shippedScenarios().sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
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
