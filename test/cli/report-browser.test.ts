// report.html opened from disk in a real headless browser (Debian's chromium driven by
// playwright-core), for a three-variant sweep where pre-copy does not converge at one point: the
// headline table shows aggregate.csv's means (in the units shown), every chart is drawn with marks,
// chart titles carry units, nothing logs an error, nothing is fetched from elsewhere, and a scenario
// described with <script> and <img onerror> tags shows them as text and runs nothing (names are safe
// names; descriptions are free text).
// Without chromium the test is skipped locally with the reason; in CI (.ci/run installs chromium)
// it always runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { chromium } from 'playwright-core';
import { CLI_TIMEOUT, MAIN, ROOT, requireDist } from '../helpers/cli.js';
import { parseCsv, shownValue } from '../helpers/csv.js';
import { writeGoalSweep } from '../helpers/goal-sweep.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

requireDist();
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
    const shipped = readFileSync(join(ROOT, 'scenarios', 'migration', 'precopy-qemu.yaml'), 'utf8');
    writeFileSync(scenario, shipped.replace(/^name: .*$/m, 'name: evil-report').replace(/^description: .*$/m, `description: ${JSON.stringify(EVIL + ' <img src=x onerror="window.__pwned = 2">')}`));
    const out = join(tmp, 'out');
    const args = [MAIN, 'sweep', '--sweep', writeGoalSweep(tmp, 'evil.yaml'), '--workers', '1', '--quiet', '--out', out];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const charts = readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.svg'));
    expect(charts).toContain('total_time_ms-vs-link.bandwidth_bps.svg');
    expect(charts).toContain('detail-remaining.svg');
    const agg = parseCsv(readFileSync(join(out, 'aggregate.csv'), 'utf8'));

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
      expect(await page.locator('p.lead').textContent()).toContain(`${EVIL} <img src=x onerror="window.__pwned = 2">`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.locator('pre#scenario').textContent()).toContain(`description: ${JSON.stringify(EVIL + ' <img src=x onerror="window.__pwned = 2">')}`);

      // The headline table: every value is aggregate.csv's mean in the unit shown (3 significant
      // digits), "not converged" where no run converged, and the runs that converged, n/N, from the counts.
      const cells = await page.locator('#headline tbody tr').evaluateAll((trs) => {
        let point = '';
        return trs.map((tr) => {
          const tds = [...tr.querySelectorAll('td')];
          point = tds[0].textContent || point;
          return { point, variant: tds[1].textContent, cells: tds.slice(2).map((td) => ({ metric: td.dataset.metric, text: td.textContent })) };
        });
      });
      expect(cells).toHaveLength(9);
      let checked = 0;
      for (const row of cells) {
        const bw = String(Number.parseFloat(row.point) * (row.point.includes('Gbit') ? 1e9 : 1e6));
        for (const c of row.cells) {
          const a = agg.find((x) => x.variant === row.variant && x['link.bandwidth_bps'] === bw && x.metric === c.metric)!;
          expect(a, `${row.variant} ${bw} ${c.metric}`).toBeDefined();
          if (c.metric === 'converged') expect(c.text).toBe(`${a.converged}/${a.runs}`);
          else if (a.mean === '') expect(c.text).toBe('not converged');
          else {
            const mean = Number(a.mean);
            expect(Math.abs(shownValue(c.text!, c.metric!) - mean), `${c.text} against ${mean}`).toBeLessThanOrEqual(0.005 * Math.abs(mean) + 1e-9);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThanOrEqual(20);
      expect(await page.locator('#warning').textContent()).toContain('did not reach their goal');

      const figures = page.locator('figure.chart');
      expect(await figures.count()).toBe(charts.length);
      for (let i = 0; i < charts.length; i++) {
        const svg = figures.nth(i).locator('svg').first();
        expect(await svg.isVisible()).toBe(true);
        const box = await svg.boundingBox();
        expect(box!.width).toBeGreaterThan(200);
        expect(box!.height).toBeGreaterThan(150);
        // Data marks (lines, points, bars) drawn with a size on screen.
        const marks = figures.nth(i).locator('g.role-mark path, g.role-mark line');
        expect(await marks.count(), `chart ${i + 1}`).toBeGreaterThan(0);
        let drawn = 0;
        for (let k = 0; k < Math.min(await marks.count(), 40); k++) {
          const b = await marks.nth(k).boundingBox();
          if (b !== null && b.width + b.height > 4) drawn++;
        }
        expect(drawn, `chart ${i + 1}`).toBeGreaterThan(0);
        // Titles in words with the unit of what is plotted: "Downtime (s) against link bandwidth".
        const title = (await figures.nth(i).locator('svg g.role-title text').first().textContent()) ?? '';
        const UNIT = /\((ms|s|B|kB|MB|GB|%|[kMG]?bit\/s|count|pages|pages\/s)\)/;
        if (/against/.test(title)) expect(title, `chart ${i + 1}`).toMatch(new RegExp(`^[A-Z][^_]* ${UNIT.source} against [a-z ]+$`));
        else {
          // A chart of one point: its axes carry the units.
          const axes = await figures.nth(i).locator('svg g.role-axis-title text').allTextContents();
          expect(axes.some((t) => UNIT.test(t)), `chart ${i + 1}: ${title}: ${axes.join(' | ')}`).toBe(true);
        }
      }
      expect(errors).toEqual([]);
      expect(fetched).toEqual([]);
    } finally {
      await context.close();
    }
  }, CLI_TIMEOUT);
});
