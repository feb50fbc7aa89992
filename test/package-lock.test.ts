// package-lock.json in step with package.json: npm resolves the lock from the two files alone and
// must write back the very bytes committed. Otherwise `npm install` on a fresh clone rewrites the
// lock (once it was the bin path), and a newcomer's tree is dirty after the quick start.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/** npm may ask the registry when the lock is out of step: generous. */
const NPM_TIMEOUT = 300_000;
const TMP = mkdtempSync(join(tmpdir(), 'vmsim-lock-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('package-lock.json', () => {
  it(
    'is what npm install writes for package.json (fix: npm install --package-lock-only, and commit the lock)',
    () => {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(TMP, f));
      const r = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: TMP, encoding: 'utf8', timeout: NPM_TIMEOUT });
      if (r.error) throw r.error;
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(readFileSync(join(TMP, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
    },
    NPM_TIMEOUT + 10_000,
  );
});
