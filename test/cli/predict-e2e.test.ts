// `vmsim predict` end to end (the compiled CLI in this process; its runs go to worker threads): the
// files, the table's header, the ranges said on stderr, a rerun from the recorded transcript giving
// the same table, --qmp against a fake QEMU on a unix socket (the measurement recorded as
// transcript.jsonl), and the refusals (exit 2, the message).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { messages } from '../../sim/errors.js';
import { CLI_TIMEOUT, ROOT, requireDist, vmsim } from '../helpers/cli.js';
import { fakeQmp } from '../helpers/fake-qmp.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
requireDist();

const REFERENCE = join(ROOT, 'scenarios', 'reference', 'qemu-7.2', 'calc-dirty-rate-W64-R10000.jsonl');
const FAST = ['--bandwidth', '64MiB/s', '--downtime-limit', '300ms', '--trials', '3', '--workers', '2'];
const HEADER =
  'max_bandwidth_Bps,downtime_limit_ms,policy,rate_limited,trials,converged,total_time_ms,total_time_ms_p5,total_time_ms_p95,downtime_ms,downtime_ms_p5,downtime_ms_p95,' +
  'wire_bytes,wire_bytes_p5,wire_bytes_p95,guest_lost_s,guest_lost_s_p5,guest_lost_s_p95,guest_slowdown_pct,guest_slowdown_pct_p5,guest_slowdown_pct_p95,postcopy_blocktime_ms,postcopy_blocktime_ms_p5,postcopy_blocktime_ms_p95';

describe('vmsim predict', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'vmsim-predict-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('predicts from the reference transcript: files, table, ranges; a rerun from the recorded transcript gives the same table', async () => {
    const r = await vmsim(['predict', '--transcript', REFERENCE, ...FAST, '--out', 'out'], tmp);
    expect(r.code, r.stderr).toBe(0);
    const out = join(tmp, 'out');
    const csv = readFileSync(join(out, 'predict.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe(HEADER);
    // Five policies at one (bandwidth, limit): four rate-limited rows and post-copy's.
    const rows = csv.trim().split('\n').slice(1);
    expect(rows.map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      '67108864,300,precopy,true,6,6',
      '67108864,300,auto-converge,true,6,6',
      '67108864,300,xbzrle,true,6,6',
      ',,postcopy,false,6,6',
      '67108864,300,hybrid,true,6,6',
    ]);
    expect(r.stdout).toContain('| max-bandwidth | downtime limit | policy | verdict | Total migration time | Downtime |');
    expect(r.stdout).toContain('| 64 MiB/s | 300 ms | precopy | converges (6/6) |');
    expect(r.stdout).toMatch(/^Converges fastest: /m);
    expect(r.stderr).toContain('vmsim: range: vm.zero = uniform(5%, 95%): the share of zero pages outside the working set is not in the measurement');
    expect(r.stderr).toContain('vmsim: range: access pattern = random or sequential');
    for (const f of ['runs.csv', 'aggregate.csv', 'report.html', 'predict.md', 'fit.csv', 'scenario.yaml', 'transcript.jsonl']) expect(readFileSync(join(out, f), 'utf8').length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'transcript.jsonl'), 'utf8')).toBe(readFileSync(REFERENCE, 'utf8'));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2 id="prediction">Prediction</h2>');
    expect(html).toContain('<table id="predict">');
    expect(html).toContain('vmsim predict --transcript transcript.jsonl --bandwidth 64MiB/s --downtime-limit 300ms');
    // One unit for max-bandwidth in the prediction table and the sweep's table (QEMU's MiB/s, not 537 Mbit/s).
    for (const id of ['predict', 'headline']) {
      const table = html.slice(html.indexOf(`<table id="${id}">`), html.indexOf('</table>', html.indexOf(`<table id="${id}">`)));
      expect(table, id).toContain('>64 MiB/s</td>');
      expect(table, id).not.toMatch(/bit\/s/);
    }
    // The bar charts' labels are whole (Vega ends a cut label with an ellipsis) and say only what differs.
    expect(html).not.toMatch(/…<\/text>/);
    expect(html).toContain('>xbzrle, sequential</text>');
    // The drawn inputs are columns of runs.csv.
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').split('\n')[0]).toContain('vm.zero');

    const again = await vmsim(['predict', '--transcript', join('out', 'transcript.jsonl'), ...FAST, '--out', 'again', '--quiet'], tmp);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    expect(readFileSync(join(tmp, 'again', 'predict.csv'), 'utf8')).toBe(csv);
  });

  it('--qmp measures a running QEMU (here a fake one) and records what it answered as transcript.jsonl', async () => {
    const replies = readFileSync(REFERENCE, 'utf8').trim().split('\n');
    const rates = new Map(replies.slice(1).map((l) => [JSON.parse(l).return['calc-time'] as number, l]));
    let asked = 0;
    const qemu = await fakeQmp(tmp, (cmd, send) => {
      if (cmd.execute === 'query-memory-size-summary') send(replies[0]);
      else if (cmd.execute === 'calc-dirty-rate') ((asked = cmd.arguments!['calc-time'] as number), send('{"return": {}}'));
      else if (cmd.execute === 'query-dirty-rate') send(rates.get(asked)!);
      else send('{"return": {}}');
    });
    try {
      const r = await vmsim(['predict', '--qmp', qemu.path, ...FAST, '--out', 'live', '--quiet'], tmp);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(tmp, 'live', 'transcript.jsonl'), 'utf8')).toBe(`${replies.join('\n')}\n`);
      expect(readFileSync(join(tmp, 'live', 'predict.md'), 'utf8')).toContain(`Measured (the measurement of ${qemu.path}): 512 MiB of memory`);
      expect(qemu.commands().map((c) => c.execute)).toEqual(['qmp_capabilities', 'query-memory-size-summary', ...[1, 2, 4, 8].flatMap(() => ['calc-dirty-rate', 'query-dirty-rate']), 'query-migrate']);
    } finally {
      await qemu.close();
    }
  });

  it('refuses bad input before running anything (exit 2, the message)', async () => {
    const none = await vmsim(['predict'], tmp);
    expect([none.code, none.stderr]).toEqual([2, `vmsim: ${messages.predictSource()}\n`]);
    const both = await vmsim(['predict', '--transcript', REFERENCE, '--qmp', 'x.sock'], tmp);
    expect([both.code, both.stderr]).toEqual([2, `vmsim: ${messages.predictSource()}\n`]);
    writeFileSync(join(tmp, 'bad.jsonl'), '{"return": {"base-memory": 536870912}}\n{"return": {"status": "measuring", "calc-time": 1}}\n');
    const bad = await vmsim(['predict', '--transcript', 'bad.jsonl'], tmp);
    expect([bad.code, bad.stderr]).toEqual([2, `vmsim: ${messages.transcriptLine('bad.jsonl', 2, messages.transcriptNotMeasured('measuring'))}\n`]);
    const policy = await vmsim(['predict', '--transcript', REFERENCE, '--policies', 'precopy,postcpy'], tmp);
    expect(policy.code).toBe(2);
    expect(policy.stderr).toContain('--policies: unknown policy "postcpy"');
    expect(policy.stderr).toContain('did you mean "postcopy"?');
    const bw = await vmsim(['predict', '--transcript', REFERENCE, '--bandwidth', '64MiB'], tmp);
    expect(bw.code).toBe(2);
    expect(bw.stderr).toMatch(/^vmsim: .*--bandwidth 64MiB/);
    const link = await vmsim(['predict', '--transcript', REFERENCE, '--link', 'fast'], tmp);
    expect([link.code, link.stderr]).toEqual([2, 'vmsim: --link: cannot read "fast" as a bit rate; expected a number with a unit, e.g. "100Mbit/s", "64 kbit/s", "128MiB/s"\n']);
    const deadline = await vmsim(['predict', '--transcript', REFERENCE, '--deadline', '5'], tmp);
    expect(deadline.code).toBe(2);
    expect(deadline.stderr).toMatch(/^vmsim: --deadline: cannot read "5" as a duration/);
  });
});
