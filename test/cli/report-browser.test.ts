// report.html opened from disk in a real headless browser (Debian's chromium driven by
// playwright-core): every chart is drawn with marks, nothing logs an error, nothing is fetched from
// elsewhere, and a scenario described with <script> and <img onerror> tags shows them as text and
// runs nothing (names are safe names; descriptions are free text).
// Without chromium the test is skipped locally with the reason; in CI (.ci/run installs chromium)
// it always runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { chromium } from 'playwright-core';
import { CLI_TIMEOUT } from '../helpers/cli.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'sim', 'cli', 'main.js');
const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const REASON = `${CHROMIUM} is not installed (apt-get install chromium; CI installs it)`;
if (SKIP) console.warn(`report-browser.test.ts: skipping the browser test: ${REASON}`);

const EVIL = 'evil <script>window.__pwned = 1</script> & co';

describe('report.html in headless chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vmsim-browser-'));
  afterAll(async () => rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(SKIP)(`shows every chart, logs no error, loads nothing, shows <script> in a description as text${SKIP ? ` (skipped: ${REASON})` : ''}`, async () => {
    const scenario = join(tmp, 'evil.yaml');
    const shipped = readFileSync(join(ROOT, 'scenarios', 'migration', 'stop-and-copy.yaml'), 'utf8');
    writeFileSync(scenario, shipped.replace(/^name: .*$/m, 'name: evil-report').replace(/^description: .*$/m, `description: ${JSON.stringify(EVIL + ' <img src=x onerror="window.__pwned = 2">')}`));
    const out = join(tmp, 'out');
    const args = [MAIN, 'sweep', scenario, '--set', 'vm.memory=1MiB', '--set', 'vm.working_set=[]', '--set', 'link.bandwidth=1Mbit/s..100Mbit/s:log:4', '--trials', '2', '--quiet', '--out', out];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const charts = readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.svg'));
    // One chart per metric that varies over the sweep (stop-and-copy's post-copy counters do not).
    expect(charts.length).toBeGreaterThanOrEqual(3);
    expect(charts).toContain('total_time_ms-vs-link.bandwidth_bps.svg');

    const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const fetched: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (req) => {
        if (!req.url().startsWith('file:')) fetched.push(req.url());
      });
      const report = pathToFileURL(join(out, 'report.html')).href;
      await page.goto(report, { waitUntil: 'load' });

      expect(await page.locator('h1#title').textContent()).toBe('evil-report');
      expect(await page.title()).toBe('evil-report — vmsim sweep');
      expect(await page.locator('p.lead').textContent()).toBe(`${EVIL} <img src=x onerror="window.__pwned = 2">`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.locator('pre#scenario').textContent()).toContain(`description: ${JSON.stringify(EVIL + ' <img src=x onerror="window.__pwned = 2">')}`);

      const figures = page.locator('figure.chart');
      expect(await figures.count()).toBe(charts.length);
      for (let i = 0; i < charts.length; i++) {
        const svg = figures.nth(i).locator('svg').first();
        expect(await svg.isVisible()).toBe(true);
        const box = await svg.boundingBox();
        expect(box!.width).toBeGreaterThan(200);
        expect(box!.height).toBeGreaterThan(150);
        // Data marks: the lines and points of the chart, drawn with a size on screen.
        const marks = figures.nth(i).locator('g.role-mark path');
        expect(await marks.count()).toBeGreaterThan(0);
        const line = await figures.nth(i).locator('g.mark-line.role-mark path').first().boundingBox();
        expect(line!.width).toBeGreaterThan(10);
      }
      expect(errors).toEqual([]);
      expect(fetched).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
