// `vmsim explore`: one self-contained HTML file (the page's script and the shipped scenarios with
// their reference data inlined, nothing to load from elsewhere), strict options, and --serve on
// localhost. What the page does is test/web/explorer-browser.test.ts.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, ROOT, vmsim, vmsimChild } from '../helpers/cli.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });

const tmp = mkdtempSync(join(tmpdir(), 'vmsim-explore-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Data {
  version: string;
  scenarios: Array<{ name: string; kind: string; path: string; text: string }>;
  references: Record<string, unknown>;
}

describe('vmsim explore', () => {
  it('writes out/explorer.html: one file, its script and data inline, nothing to load from elsewhere', async () => {
    const r = await vmsim(['explore'], tmp);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote out\/explorer\.html \(\d+\.\d MB\): open it in a browser; it needs no network and no install\n$/);
    const html = readFileSync(join(tmp, 'out', 'explorer.html'), 'utf8');
    expect(readdirSync(join(tmp, 'out'))).toEqual(['explorer.html']);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // The policy the browser enforces: inline script, blob: workers, no loads, no connections.
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:;`);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => m[1])).toEqual([' type="application/json" id="vmsim-data"', '']);
    // Outside the two scripts: no element that loads anything.
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(markup).not.toMatch(/\bsrc=|<link|<iframe|<img|@import|url\(/i);
    expect(scripts[1][2].length).toBeGreaterThan(500_000);
    expect(scripts[1][2]).not.toMatch(/<\/script|<!--/i);

    // The data: every shipped scenario but those naming policy files (the page cannot load them), as written.
    const data = JSON.parse(scripts[0][2]) as Data;
    expect(data.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const names = data.scenarios.map((s) => s.name);
    expect(names).toEqual(['isr-2005', 'handoff', 'hybrid', 'postcopy', 'precopy-nonconvergent', 'precopy-qemu', 'precopy-simgrid', 'precopy-xen', 'stop-and-copy', 'fork', 'synthesis', 'vdi', 'evacuate-host', 'rebalance']);
    for (const s of data.scenarios) expect(s.text, s.name).toBe(readFileSync(join(ROOT, s.path), 'utf8'));
    expect(data.scenarios.find((s) => s.name === 'vdi')).toMatchObject({ kind: 'vdi', path: 'scenarios/edge/vdi.yaml' });
    expect(Object.keys(data.references)).toEqual(['isr-2005.json']);
    expect(data.references['isr-2005.json']).toEqual(JSON.parse(readFileSync(join(ROOT, 'scenarios', 'reference', 'isr-2005.json'), 'utf8')));
  });

  it('checks its options strictly and writes nothing on bad ones', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['explore', '--prot', '9000'], /explore: unknown option --prot; did you mean --port\?/],
      [['explore', '--port', '9000'], /--port applies only with --serve/],
      [['explore', '--serve', '--port', '70000'], /--port must be a whole number from 0 to 65535, got "70000"/],
      [['explore', 'isr-2005'], /explore: unexpected argument "isr-2005"/],
      [['explore', '--out', '.'], /--out \.: it is a folder; name a file/],
    ];
    const before = readdirSync(tmp).sort();
    for (const [args, message] of cases) {
      const r = await vmsim(args, tmp);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect(readdirSync(tmp).sort()).toEqual(before);
    // A port in use: said before anything is written.
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as AddressInfo).port;
    const taken = await vmsim(['explore', '--serve', '--port', String(port), '--out', 'taken.html'], tmp);
    busy.close();
    expect(taken.code).toBe(2);
    expect(taken.stderr).toBe(`vmsim: --port ${port}: the port is in use; choose another (--port 0 takes any free one)\n`);
    expect(readdirSync(tmp).sort()).toEqual(before);
    const help = await vmsim(['--help']);
    expect(help.stdout).toMatch(/vmsim explore\s+write the explorer: one self-contained HTML file/);
    const own = await vmsim(['explore', '--help']);
    for (const o of ['--out', '--serve', '--port']) expect(own.stdout).toContain(o);
  });

  it('--serve serves the written file on 127.0.0.1 and prints the URL, until SIGTERM (exit 143)', async () => {
    const out = join(tmp, 'served.html');
    const child = vmsimChild(['explore', '--serve', '--port', '0', '--out', out], tmp);
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout!.on('data', (b: Buffer) => {
          stdout += b.toString();
          const m = /serving \S+ at (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C stops\)/.exec(stdout);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${stdout}`)));
      });
      expect(stdout).toContain('wrote ');
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await page.text()).toBe(readFileSync(out, 'utf8'));
      expect((await fetch(`${url}served.html`)).status).toBe(200);
      expect((await fetch(`${url}other`)).status).toBe(404);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
    }
  });
});
