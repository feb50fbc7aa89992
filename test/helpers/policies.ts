// Folders for policy files written by tests: each has node_modules/vmsim linked to this package, as
// `npm link vmsim` or an installed vmsim gives a user, so a file imports from 'vmsim' as users write.
// A file is imported once per process (ES modules are cached by path), so every test gets a folder
// of its own.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

let base: string | undefined;
let n = 0;

/** A fresh folder that can import 'vmsim', holding `files` (name -> text). */
export function policyDir(files: Record<string, string> = {}): string {
  base ??= mkdtempSync(join(tmpdir(), 'vmsim-policies-'));
  const dir = join(base, `${++n}`);
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'vmsim'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function removePolicyDirs(): void {
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
  base = undefined;
}

/** A policy module of the given kind whose plan body is `body` (options: none). */
export const policyModule = (name: string, kind: string, body: string, options = 'z.strictObject({})'): string =>
  `import { definePolicy, z, bytes, duration } from 'vmsim';\nexport default definePolicy({\n  name: '${name}',\n  summary: 'a test policy',\n  kind: '${kind}',\n  options: ${options},\n  *plan(ctx, opts) {\n${body}\n  },\n});\n`;

/** Stop-and-copy as a user would write it (the built-in's plan without its options). */
export const STOP_AND_COPY_BODY = `    ctx.suspend();
    ctx.mark('round', 1);
    yield ctx.sendPages(ctx.vm.memory.all(), { tag: 'memory' }).done;
    ctx.resume();`;
