// `npm start`, `npm run bench` and `npm run fuzz` rebuild only when a source changed, and so does
// the slow test project (test/build/fresh-dist.ts): stale() names a TypeScript source newer than its
// compiled file (or tsconfig.json / package.json newer than any), or the bundled executable older
// than the compiled modules; undefined when dist/ is current. As a script it exits 1 when stale, 0
// otherwise. Before the first build this file does not exist in dist/ yet, so node fails and the
// build runs: `node dist/test/build/stale.js || npm run build`. A full tsc run takes seconds even
// with nothing to do; this takes milliseconds.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SOURCES = ['sim', 'scenarios', 'policies', 'reports', 'test'];

const mtime = (p: string): number => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return -Infinity;
  }
};

/** The first source of the package at `root` that changed since dist/ was built, or undefined. */
export function stale(root: string): string | undefined {
  const dist = join(root, 'dist');
  const config = Math.max(mtime(join(root, 'tsconfig.json')), mtime(join(root, 'package.json')));
  // The executable is bundled from the compiled modules after tsc: older than them means rebuild.
  const bundle = mtime(join(dist, 'vmsim', 'main.js'));
  let newest = -Infinity;
  const walk = (dir: string): string | undefined => {
    for (const ent of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, ent.name);
      if (ent.isDirectory()) {
        const s = walk(p);
        if (s) return s;
      } else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.d.ts')) {
        const out = join(dist, relative(root, p)).replace(/\.ts$/, '.js');
        const built = mtime(out);
        if (built < mtime(p) || built < config) return relative(root, p);
        if (!p.includes(`${join(root, 'test')}`)) newest = Math.max(newest, built);
      }
    }
    return undefined;
  };
  for (const d of SOURCES) {
    const s = walk(join(root, d));
    if (s) return s;
  }
  if (bundle < newest) return 'dist/vmsim (the bundled executable)';
  return undefined;
}

// Run as a script from dist/test/build/: the package root is three folders up.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const changed = stale(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'));
  if (changed) process.stderr.write(`vmsim: ${changed} changed since the last build; building\n`);
  process.exitCode = changed ? 1 : 0;
}
