// Takes docs/img/report.png, the README's picture of a report: the top of a real report.html (the
// README's sweep), opened from disk in headless chromium through playwright-core, as
// test/cli/report-browser.test.ts opens it. Run after a change to the report's look:
//   node dist/test/docs/report-screenshot.js OUT/report.html docs/img/report.png
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [report, png] = process.argv.slice(2);
if (report === undefined || png === undefined) throw new Error('usage: report-screenshot.js REPORT.html OUT.png');
const profile = mkdtempSync(join(tmpdir(), 'vmsim-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
  viewport: { width: 1200, height: 1500 },
});
try {
  const page = await context.newPage();
  await page.goto(pathToFileURL(resolve(report)).href);
  await page.screenshot({ path: png, type: 'png' });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
