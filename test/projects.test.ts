// The split of the suite (test/projects.ts, vitest.config.ts): a file in the fast project runs on the
// sources alone, so nothing in it may need the build, a browser or a process; a file listed as slow
// has a reason to be, so the quick loop keeps every test it can.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';
import { NEEDS_SLOW, SLOW } from './projects.js';

function testFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? testFiles(rel) : e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

const reasons = (file: string): string[] => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return NEEDS_SLOW.filter(([re]) => re.test(text)).map(([, why]) => why);
};

const SELF = 'test/projects.test.ts';

describe('the fast and slow projects', () => {
  const all = testFiles('test');

  it('lists only test files that exist', () => {
    expect(SLOW.filter((f) => !all.includes(f))).toEqual([]);
    expect(all.length).toBeGreaterThan(SLOW.length);
  });

  it('keeps out of the fast project every file that needs the build, a browser or a process', () => {
    // This file quotes every reason as an example below.
    const misplaced = all.filter((f) => !SLOW.includes(f) && f !== SELF).map((f) => [f, reasons(f)] as const).filter(([, r]) => r.length > 0);
    expect(misplaced.map(([f, r]) => `${f} ${r.join(', ')}: list it in SLOW (test/projects.ts)`)).toEqual([]);
  });

  it('lists as slow only files with a reason', () => {
    expect(SLOW.filter((f) => reasons(f).length === 0)).toEqual([]);
  });

  it('recognises each reason', () => {
    const cases = [
      "import { spawnSync } from 'node:child_process';",
      "import { chromium } from 'playwright-core';",
      'const r = vmsimProcess(args);',
      "spawn(process.execPath, ['dist/vmsim/main.js'])",
      "await vmsim(['sweep', 'stop-and-copy'])",
      "import { definePolicy } from 'vmsim';",
    ];
    expect(cases.map((c) => NEEDS_SLOW.filter(([re]) => re.test(c)).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(NEEDS_SLOW.some(([re]) => re.test("import { Ajv2020 } from 'ajv/dist/2020.js'; await vmsim(['run', 's.yaml'])"))).toBe(false);
  });
});
