// The cluster kind in a real headless browser (Debian's chromium through playwright-core), on the
// shipped evacuate-host: a sweep's report.html shows every chart (the headline metrics, the
// trade-offs, the Gantt chart of migrations, migrations under way, the busiest links) with data
// marks, the headline says how many migrations converged out of how many, and nothing logs an error;
// the explorer offers the kind and its policies, sweeps the hosts' NIC bandwidth by default, draws the
// same charts, and downloads the very runs.csv and tables/migrations.csv `vmsim sweep` writes from
// the command it shows.
// Without chromium the tests are skipped locally with the reason; in CI they always run.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { watchPage } from '../helpers/page-watch.js';
import { CLI_TIMEOUT, vmsim } from '../helpers/cli.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });

const CHROMIUM = '/usr/bin/chromium';
const SKIP = !existsSync(CHROMIUM) && !process.env.CI;
const REASON = `${CHROMIUM} is not installed (apt-get install chromium; CI installs it)`;
if (SKIP) console.warn(`cluster-browser.test.ts: skipping the browser tests: ${REASON}`);

/** The cluster's own charts at the detail point, by the start of their titles. */
const DETAIL = ['Migrations over time', 'Migrations under way and waiting', "The busiest links' utilisation"];

/** Words of a command line as a POSIX shell splits them (plain words and '...' quoting). */
const words = (command: string): string[] => [...command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]));

/** Each figure's caption and how many data marks it draws with a size on screen. */
async function drawn(page: Page, figures: string): Promise<Array<{ caption: string; marks: number }>> {
  return page.locator(figures).evaluateAll((fs) =>
    fs.map((f) => ({
      caption: f.querySelector('figcaption')?.textContent ?? '',
      marks: [...f.querySelectorAll('g.role-mark path, g.role-mark line, g.role-mark rect')].filter((m) => {
        const b = m.getBoundingClientRect();
        return b.width + b.height > 2;
      }).length,
    })),
  );
}

describe.skipIf(SKIP)(`the cluster kind in headless chromium${SKIP ? ` (skipped: ${REASON})` : ''}`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vmsim-cluster-browser-'));
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  }, CLI_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function open(url: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
    const context = await browser.newContext({ offline: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const { errors, requests } = watchPage(page);
    await page.goto(url);
    return { page, errors, requests };
  }

  it("a sweep's report.html draws every cluster chart and says how many migrations converged", async () => {
    const out = join(tmp, 'report');
    const r = await vmsim(['sweep', 'evacuate-host', '--set', 'policy=sequential,all-at-once', '--set', 'topology.uplink=10Gbit/s,40Gbit/s', '--workers', '1', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const svgs = readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.svg'));
    expect(svgs).toEqual(expect.arrayContaining(['detail-migrations.svg', 'detail-migrations-under-way.svg', 'detail-links.svg', 'tradeoff-worst_downtime_ms-vs-makespan_s.svg', 'makespan_s-vs-topology.uplink_bps.svg']));
    const { page, errors, requests } = await open(pathToFileURL(join(out, 'report.html')).href);
    const figures = await drawn(page, 'figure.chart');
    expect(figures).toHaveLength(svgs.length);
    for (const f of figures) expect(f.marks, f.caption).toBeGreaterThan(0);
    for (const d of DETAIL) expect(figures.some((f) => f.caption.startsWith(d)), d).toBe(true);
    // The headline: "n of N" migrations converged, for each variant and uplink, N the VMs of the evacuated hosts.
    const converged = await page.locator('#headline td[data-metric="converged_migrations"]').allTextContents();
    expect(converged).toHaveLength(4);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8');
    const n = runs.split('\n')[1].split(',')[runs.split('\n')[0].split(',').indexOf('migrations')];
    for (const c of converged) expect(c).toMatch(new RegExp(`^\\d+ of ${n}$`));
    expect(await page.locator('#findings li').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('the explorer offers the kind, draws its charts and downloads the CSV vmsim sweep writes', async () => {
    const html = join(tmp, 'explorer.html');
    const e = await vmsim(['explore', '--out', html]);
    expect(e.code, e.stderr).toBe(0);
    const { page, errors, requests } = await open(`${pathToFileURL(html).href}#evacuate-host`);
    await page.waitForSelector('html[data-ready]', { timeout: 30_000 });
    // Both shipped cluster scenarios, under their kind.
    expect(await page.locator('#scenario-select optgroup[label="cluster"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['evacuate-host', 'rebalance']);
    expect(await page.textContent('#check')).toBe('✓ a valid cluster scenario, "evacuate-host"');
    expect(await page.inputValue('#axis-path')).toBe('hosts.0.nic');
    // The kind's scheduling policies, the scenario's own among them.
    const offered = await page.locator('#compare-list input').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).dataset.key));
    expect(offered).toEqual(expect.arrayContaining(['policy:sequential', 'policy:all-at-once', 'policy:concurrent']));
    for (const k of await page.locator('#compare-list input:checked').evaluateAll((xs) => xs.map((x) => (x as HTMLInputElement).dataset.key))) await page.uncheck(`input[data-key="${k}"]`);
    await page.check('input[data-key="policy:sequential"]');
    await page.check('input[data-key="policy:concurrent"]');
    await page.fill('#axis-values', '10Gbit/s,40Gbit/s');
    await page.fill('#trials', '1');
    await page.click('#run');
    await page.waitForFunction(() => document.documentElement.dataset.busy === '', null, { timeout: 120_000 });
    expect(await page.textContent('#status')).toMatch(/^Done: 4 runs in /);
    const figures = await drawn(page, '#results-body figure.chart');
    for (const d of DETAIL) expect(figures.some((f) => f.caption.startsWith(d)), d).toBe(true);
    for (const f of figures) expect(f.marks, f.caption).toBeGreaterThan(0);

    const dir = join(tmp, 'page');
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {};
    for (const name of ['runs.csv', 'tables/migrations.csv', 'evacuate-host.yaml']) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#downloads a[data-file="${name}"]`)]);
      await d.saveAs(join(dir, d.suggestedFilename()));
      files[name] = readFileSync(join(dir, d.suggestedFilename()), 'utf8');
    }
    const command = (await page.textContent('#command')) ?? '';
    expect(command).toBe('vmsim sweep evacuate-host.yaml --set hosts.0.nic=10Gbit/s,40Gbit/s --set policy=sequential,concurrent --trials 1 --seed 1');
    const [, sub, ...args] = words(command);
    const out = join(tmp, 'cli');
    const r = await vmsim([sub, ...args, '--workers', '1', '--quiet', '--out', out], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(files['runs.csv']).toBe(readFileSync(join(out, 'runs.csv'), 'utf8'));
    expect(files['tables/migrations.csv']).toBe(readFileSync(join(out, 'tables', 'migrations.csv'), 'utf8'));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
