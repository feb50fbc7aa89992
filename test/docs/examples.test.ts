// Every shell example of the README and docs/ runs, so the docs cannot drift from the CLI. Each
// ```sh block runs with bash in a fresh temporary folder where vmsim is installed as a user installs
// it (node_modules/vmsim is this checkout, node_modules/.bin/vmsim its built executable, on PATH):
// `vmsim` and `npx vmsim` both reach this checkout's dist/vmsim/main.js, and a policy file's
// `import ... from 'vmsim'` resolves. A yaml, json or js block whose first line is a comment naming
// a file (`# sweep.yaml`, `// my-precopy.js ...`) is that file: it is written into the folder of
// every later shell block of the same page. Each block must exit 0, and every folder it names with
// `--out` and every path after a `# writes:` comment must exist afterwards.
// Examples that cannot run here (Slurm, a server until Ctrl-C, the whole build or suite) are shown
// in ```text or ```slurm blocks with a sentence why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_TIMEOUT, MAIN, requireDist, ROOT } from '../helpers/cli.js';

interface Block {
  lang: string;
  line: number;
  text: string;
}

/** The fenced code blocks of a markdown page, with the line each starts on. */
function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    blocks.push({ lang: open[1], line: start + 1, text: body.join('\n') + '\n' });
  }
  return blocks;
}

const FILE_NAME = /^(?:#|\/\/) ([\w.-]+\.(?:ya?ml|json|m?js))\b/;

/** What a shell block says it writes: every `--out DIR` and the paths of `# writes:` comments. */
function writtenBy(script: string): string[] {
  const outs = [...script.matchAll(/--out[ =](\S+)/g)].map((m) => m[1]);
  const listed = [...script.matchAll(/# writes: ([^\n]+)/g)].flatMap((m) => m[1].trim().split(/\s+/));
  return [...new Set([...outs, ...listed])];
}

const PAGES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const hasParallel = spawnSync('sh', ['-c', 'command -v parallel'], { encoding: 'utf8' }).status === 0;

const tmp = mkdtempSync(join(tmpdir(), 'vmsim-docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let folders = 0;

/** A fresh folder with vmsim installed as a link to this checkout, and the page's files so far. */
function folderWith(files: Map<string, string>): string {
  const dir = join(tmp, `example-${++folders}`);
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'vmsim'), 'dir');
  symlinkSync(MAIN, join(dir, 'node_modules', '.bin', 'vmsim'));
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return dir;
}

describe('the shell examples of the README and docs/', () => {
  it('finds the examples (a page without any is fine; the README has several)', () => {
    const readme = codeBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(readme.filter((b) => b.lang === 'sh').length).toBeGreaterThanOrEqual(3);
    expect(writtenBy('npx vmsim run stop-and-copy --out out/sc  # writes: out/sc/runs.csv')).toEqual(['out/sc', 'out/sc/runs.csv']);
  });

  for (const page of PAGES) {
    const files = new Map<string, string>();
    for (const block of codeBlocks(readFileSync(join(ROOT, page), 'utf8'))) {
      const named = FILE_NAME.exec(block.text.split('\n')[0]);
      if (named && ['yaml', 'yml', 'json', 'js'].includes(block.lang)) files.set(named[1], block.text);
      if (block.lang !== 'sh') continue;
      const snapshot = new Map(files);
      const needsParallel = /^\s*parallel\b/m.test(block.text);
      const skip = needsParallel && !hasParallel && !process.env.CI;
      const reason = skip ? ' (skipped: GNU parallel is not installed; CI installs it)' : '';
      it.skipIf(skip)(`${page}:${block.line} runs and writes what it says${reason}`, { timeout: 2 * CLI_TIMEOUT }, () => {
        requireDist();
        const dir = folderWith(snapshot);
        const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(dir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
        delete env.VMSIM_DEBUG;
        const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', block.text], { cwd: dir, env, encoding: 'utf8', timeout: 2 * CLI_TIMEOUT });
        expect(r.error).toBeUndefined();
        expect(r.status, `${page}:${block.line} exited ${r.status}\n${block.text}\n${r.stdout}\n${r.stderr}`).toBe(0);
        for (const path of writtenBy(block.text)) expect(existsSync(join(dir, path)), `${page}:${block.line} should write ${path}`).toBe(true);
      });
    }
  }
});
