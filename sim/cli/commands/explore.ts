// `vmsim explore`: write the explorer, one self-contained HTML file (default out/explorer.html) that
// runs the simulator in the browser; with --serve, also serve it on localhost. The page's script is
// bundled here from dist/sim/web/main.js by esbuild for the browser platform (a `node:` module
// anywhere below it fails the bundle, so the page can never depend on Node), and the shipped
// scenarios and their reference data are embedded as JSON: the page reads nothing from disk and
// fetches nothing from anywhere.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import YAML from 'yaml';
import { InputError, Interrupted, messages } from '../../errors.js';
import { isPolicyPath } from '../../user-policy.js';
import { intOption, stringOption, type Args } from '../args.js';
import { packageRoot, readText, shippedScenarios } from '../io/files.js';
import type { Io } from '../io/io.js';
import { checkOutFile, writeFileAtomic } from '../io/output.js';
import { readReference } from './reproduce.js';
import { packageVersion } from '../version.js';
import { DATA_ELEMENT, type ExplorerData, type ShippedText } from '../../web/data.js';

export const DEFAULT_PORT = 8420;

/** Names a policy file: the page has no files to load it from (docs/explorer.md). */
function namesPolicyFile(doc: unknown): boolean {
  const d = (doc ?? {}) as { policy?: unknown; variants?: Record<string, { policy?: unknown } | null> };
  const named = [d.policy, ...Object.values(d.variants ?? {}).map((v) => v?.policy)];
  return named.some((p) => typeof p === 'string' && isPolicyPath(p));
}

/** The shipped scenarios the page can run, and the reference data their reproductions compare with. */
export function explorerData(): ExplorerData {
  const root = packageRoot();
  const scenarios: ShippedText[] = [];
  const references: Record<string, unknown> = {};
  for (const s of shippedScenarios()) {
    const text = readText(s.file, 'scenario file');
    const doc = YAML.parse(text) as { reproduce?: { reference?: unknown } } | null;
    if (namesPolicyFile(doc)) continue;
    scenarios.push({ name: s.name, kind: s.kind, description: s.description, path: relative(root, s.file).split('\\').join('/'), text });
    const ref = doc?.reproduce?.reference;
    if (typeof ref === 'string' && !(ref in references)) references[ref] = readReference(ref, s.file);
  }
  return { version: packageVersion(), scenarios, references };
}

/** The page's script for the browser: every module below sim/web/main.ts, minified into one file. */
export async function bundleScript(): Promise<string> {
  const entry = join(packageRoot(), 'dist', 'sim', 'web', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build vmsim first (npm run build)`);
  const esbuild = await import('esbuild');
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

// Inside a <script> element only "</script" and "<!--" mean something to HTML. In the bundle they can
// stand only in strings, templates, regular expressions and comments, where \x3C reads as "<".
const scriptSafe = (js: string): string => js.replace(/<(\/script|!--)/gi, '\\x3C$1');

// The page may run its own inline script, workers made from it (blob:), and vega's compiled
// expressions; it may load nothing and connect nowhere.
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:";

export function explorerHtml(data: ExplorerData, script: string): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>vmsim explorer</title>
</head>
<body>
<noscript>The vmsim explorer runs the simulator in this page: allow JavaScript to use it.</noscript>
<script type="application/json" id="${DATA_ELEMENT}">${json}</script>
<script>${scriptSafe(script)}</script>
</body>
</html>
`;
}

/** A server of the page on 127.0.0.1, listening (a port in use is bad input, found before anything is written). */
async function listen(html: string, file: string, port: number): Promise<{ server: Server; url: string }> {
  const body = Buffer.from(html, 'utf8');
  const name = `/${basename(file)}`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/' || path === name) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: the explorer is at / and ${name}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new InputError(messages.portInUse(port)) : e));
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}/` };
}

/** The shell's exit codes of a process a signal stopped (128 + the signal's number). */
const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * The first SIGINT or SIGTERM. Listen before saying "Ctrl-C stops": a signal sent the moment that
 * line is read would otherwise meet the default action (killed, no exit code, no message). The
 * handlers stay until the process exits, so a second signal while the server closes is caught too.
 */
function firstSignal(): Promise<keyof typeof SIGNAL_CODES> {
  return new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function cmdExplore(a: Args, io: Io): Promise<void> {
  const serveIt = a.serve === true;
  const port = intOption(a, 'port', 0, 65535);
  if (port !== undefined && !serveIt) throw new InputError(messages.portWithoutServe());
  const out = stringOption(a, 'out') ?? join('out', 'explorer.html');
  const file = checkOutFile(out, io.cwd, '--out');
  const html = explorerHtml(explorerData(), await bundleScript());
  const served = serveIt ? await listen(html, out, port ?? DEFAULT_PORT) : undefined;
  writeFileAtomic(file, html);
  io.stdout(`wrote ${out} (${(Buffer.byteLength(html) / 1e6).toFixed(1)} MB): open it in a browser; it needs no network and no install\n`);
  if (served === undefined) return;
  const stopped = firstSignal();
  io.stdout(`${messages.serving(served.url, out)}\n`);
  const signal = await stopped;
  await close(served.server);
  throw new Interrupted(messages.stoppedServing(signal, out), SIGNAL_CODES[signal]);
}
