// What a page does wrong while a browser test uses it: console errors (its workers' too), uncaught
// exceptions, and every request that is not to a local file, blob or data URL (the explorer and the
// reports work offline).
import type { Page } from 'playwright-core';

export interface PageWatch {
  errors: string[];
  requests: string[];
}

export function watchPage(page: Page): PageWatch {
  const w: PageWatch = { errors: [], requests: [] };
  page.on('console', (m) => m.type() === 'error' && w.errors.push(m.text()));
  page.on('pageerror', (e) => w.errors.push(e.message));
  page.on('request', (q) => !/^(file|blob|data):/.test(q.url()) && w.requests.push(q.url()));
  page.on('worker', (wk) => wk.on('console', (m) => m.type() === 'error' && w.errors.push(`worker: ${m.text()}`)));
  return w;
}
