// The explorer against the CLI on this machine: the ISR reproduction's simulation time in the page
// (72 runs in its Web Worker, headless chromium) beside `vmsim reproduce isr-2005`'s in Node, both
// after a warm-up (target: the page within 2x) and both cold (a fresh page; a fresh vmsim process),
// and the time from opening explorer.html (file://, network off) to a usable page (target: under
// 2 s). Rounds alternate page and CLI and the best of each counts, since shared machines are noisy.
// Needs Debian's chromium (/usr/bin/chromium); without it, it says so and measures nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleScript, explorerData, explorerHtml } from '../../sim/cli/commands/explore.js';
import { packageRoot } from '../../sim/cli/io/files.js';
import { reproduce } from '../../sim/cli/commands/reproduce.js';
import type { Bench } from './registry.js';

const CHROMIUM = '/usr/bin/chromium';
const MAIN = join(packageRoot(), 'dist', 'vmsim', 'main.js');
const ROUNDS = Number(process.env.VMSIM_BENCH_EXPLORER_ROUNDS ?? 3);
export const TARGET_PAGE_VS_CLI = 2;
export const TARGET_OPEN_MS = 2000;

export const explorerBench: Bench = {
  name: 'explorer',
  run: async (): Promise<Record<string, number>> => {
    if (!existsSync(CHROMIUM)) {
      process.stderr.write(`explorer: ${CHROMIUM} is not installed (apt-get install chromium): nothing measured\n`);
      return {};
    }
    const { chromium } = await import('playwright-core');
    const tmp = mkdtempSync(join(tmpdir(), 'vmsim-bench-explorer-'));
    const t0 = performance.now();
    const html = explorerHtml(explorerData(), await bundleScript());
    const build_s = (performance.now() - t0) / 1000;
    const file = join(tmp, 'explorer.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    const best = { open: Infinity, cold: Infinity, page: Infinity, cli: Infinity, cliCold: Infinity };
    try {
      const context = await browser.newContext({ offline: true });
      reproduce({ name: 'isr-2005', set: [], trials: 1 }); // warm-up, as isr_reproduction does
      for (let round = 0; round < ROUNDS; round++) {
        const page = await context.newPage();
        await page.goto(pathToFileURL(file).href);
        await page.waitForSelector('html[data-ready]');
        best.open = Math.min(best.open, Number(await page.getAttribute('html', 'data-ready')));
        // The first reproduction in a fresh page (what a student waits for), then a second in the
        // same worker, warmed up as the CLI's figure is.
        for (const which of ['cold', 'page'] as const) {
          await page.evaluate(() => document.getElementById('results-body')!.replaceChildren());
          await page.click('#reproduce');
          await page.waitForSelector('#ran', { timeout: 300_000 });
          best[which] = Math.min(best[which], Number(await page.getAttribute('#ran', 'data-wall-s')));
        }
        await page.close();
        best.cli = Math.min(best.cli, reproduce({ name: 'isr-2005', set: [] }).wall_s);
        // `vmsim reproduce isr-2005` as a user runs it: a fresh process, its own figure of simulation time.
        const r = spawnSync(process.execPath, [MAIN, 'reproduce', 'isr-2005', '--out', join(tmp, 'cli')], { encoding: 'utf8' });
        best.cliCold = Math.min(best.cliCold, Number(/([\d.]+) s of simulation/.exec(r.stdout)?.[1] ?? NaN));
      }
    } finally {
      await browser.close();
      rmSync(tmp, { recursive: true, force: true });
    }
    return {
      wall_s: best.page,
      isr_page_s: best.page,
      isr_page_cold_s: best.cold,
      isr_cli_s: best.cli,
      isr_cli_cold_s: best.cliCold,
      page_vs_cli: best.page / best.cli,
      open_to_interactive_ms: best.open,
      build_s,
      html_bytes: Buffer.byteLength(html),
    };
  },
};
