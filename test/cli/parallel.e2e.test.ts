// The GNU parallel example of docs/sweeps.md, run for real: four shards of a sweep as four processes
// started by `parallel`, then `vmsim merge`; every merged file equals, byte for byte, what one
// unsharded run writes. The command lines are read from the page (with `npx vmsim` as the built
// executable), so the example there is the one tested. Without GNU parallel the test is skipped locally with the
// reason; CI (.ci/run installs Debian's `parallel`) always runs it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_TIMEOUT, MAIN, ROOT, requireDist } from '../helpers/cli.js';

const HAVE = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).status === 0;
const SKIP = !HAVE && !process.env.CI;
const REASON = 'GNU parallel is not installed (apt-get install parallel; CI installs it)';
if (SKIP) console.warn(`parallel.e2e.test.ts: skipping: ${REASON}`);

/** The GNU parallel lines of docs/sweeps.md: the shard line and the merge line after it. */
function readmeLines(): string[] {
  const readme = readFileSync(join(ROOT, 'docs', 'sweeps.md'), 'utf8');
  const block = /GNU parallel, four shards[\s\S]*?\n\n```sh\n([\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error('docs/sweeps.md: the GNU parallel example is gone');
  return block[1].trim().split('\n');
}

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/^shard-\d+-of-\d+\.jsonl$/.test(n)) out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('GNU parallel, as docs/sweeps.md shows it', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vmsim-parallel-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(SKIP)(`four shards and a merge give the unsharded files byte for byte${SKIP ? ` (skipped: ${REASON})` : ''}`, () => {
    // `vmsim` on the PATH is the built executable, as `npx vmsim` runs it.
    requireDist();
    const bin = join(tmp, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'vmsim'), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
    chmodSync(join(bin, 'vmsim'), 0o755);
    writeFileSync(
      join(tmp, 'bw.yaml'),
      ['scenario: stop-and-copy', 'trials: 2', 'set:', '  vm.memory: 1MiB', '  vm.working_set: "[]"', '  link.bandwidth: 1Mbit/s..100Mbit/s:log:3', '  policy: [stop-and-copy, postcopy]', ''].join('\n'),
    );
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, HOME: tmp };
    delete env.VMSIM_DEBUG;
    const [shardLine, mergeLine] = readmeLines();
    expect(shardLine).toMatch(/^parallel npx vmsim sweep .*--shard \{\}\/4 .*::: 1 2 3 4$/);
    expect(mergeLine).toMatch(/^npx vmsim merge /);
    for (const line of [shardLine, mergeLine]) {
      const r = spawnSync('sh', ['-c', line.replace(/npx vmsim/g, 'vmsim')], { cwd: tmp, env, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
    expect(readdirSync(join(tmp, 'results', 'bw')).filter((f) => f.startsWith('shard-')).sort()).toEqual([1, 2, 3, 4].map((k) => `shard-${k}-of-4.jsonl`));
    const one = spawnSync(process.execPath, [MAIN, 'sweep', '--sweep', 'bw.yaml', '--workers', '1', '--quiet', '--out', 'results/one'], { cwd: tmp, env, encoding: 'utf8', timeout: 120_000 });
    expect(one.status, one.stderr).toBe(0);
    const merged = files(join(tmp, 'results', 'bw'));
    const single = files(join(tmp, 'results', 'one'));
    expect([...merged.keys()]).toEqual([...single.keys()]);
    expect(merged.size).toBeGreaterThan(10);
    for (const [name, bytes] of single) expect(merged.get(name)!.equals(bytes), `${name} differs`).toBe(true);
    expect(existsSync(join(tmp, 'results', 'bw', 'report.html'))).toBe(true);
  }, CLI_TIMEOUT);
});
