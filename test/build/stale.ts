// `npm start` and `npm test` rebuild only when a source changed: exit 0 when every compiled file
// is newer than its TypeScript source (and than tsconfig.json), and the bundled executable newer
// than the compiled modules, 1 otherwise. Before the first build
// this file does not exist in dist/ yet, so node fails and the build runs: `node dist/sim/cli/stale.js
// || npm run build`. A full tsc run takes seconds even with nothing to do; this takes milliseconds.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT = dirname(DIST);
const SOURCES = ['sim', 'scenarios', 'policies', 'reports', 'test'];

const mtime = (p: string): number => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -Infinity;
  }
};

function stale(): string | undefined {
  const config = Math.max(mtime(join(ROOT, 'tsconfig.json')), mtime(join(ROOT, 'package.json')));
  // The executable is bundled from the compiled modules after tsc: older than them means rebuild.
  const bundle = mtime(join(DIST, 'vmsim', 'main.js'));
  let newest = -Infinity;
  const walk = (dir: string): string | undefined => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, ent.name);
      if (ent.isDirectory()) {
        const s = walk(p);
        if (s) return s;
      } else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.d.ts')) {
        const out = join(DIST, relative(ROOT, p)).replace(/\.ts$/, '.js');
        const built = mtime(out);
        if (built < mtime(p) || built < config) return relative(ROOT, p);
        if (!p.includes(`${join(ROOT, 'test')}`)) newest = Math.max(newest, built);
      }
    }
    return undefined;
  };
  for (const d of SOURCES) {
    const s = walk(join(ROOT, d));
    if (s) return s;
  }
  if (bundle < newest) return 'dist/vmsim (the bundled executable)';
  return undefined;
}

const changed = stale();
if (changed) process.stderr.write(`vmsim: ${changed} changed since the last build; building\n`);
process.exitCode = changed ? 1 : 0;
