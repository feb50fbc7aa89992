// The harness's migration driver against fake QEMUs: the reference's settings sent, the final reply
// kept on completion, a cancel at the cap keeping the last active reply, post-copy started after the
// first full pass, a failed migration reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { QmpClient } from '../../sim/cli/qmp.js';
import { fakeQmp, type FakeQmp, type QmpCommand } from '../helpers/fake-qmp.js';
import { migrate, type MigrateSettings } from './migrate.js';

const dir = mkdtempSync(join(tmpdir(), 'vmsim-migrate-'));
const open: Array<FakeQmp | QmpClient> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await (o instanceof QmpClient ? o.close() : o.close());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const active = (sync: number, transferred: number) =>
  `{"return": {"status": "active", "setup-time": 1, "total-time": 50, "ram": {"total": 537403392, "transferred": ${transferred}, "remaining": 1000, "duplicate": 9, "normal": 7, "dirty-sync-count": ${sync}}}}`;
const COMPLETED = '{"return": {"status": "completed", "setup-time": 1, "downtime": 4, "total-time": 900, "ram": {"total": 537403392, "transferred": 90000000, "duplicate": 109000, "normal": 21700, "dirty-sync-count": 3}}}';

/** A source that answers query-migrate from `statuses` in turn (the last repeats), and its destination. */
async function pair(statuses: string[]) {
  let polls = 0;
  let cancelled = false;
  let lastSent = '';
  const src = await fakeQmp(dir, (cmd: QmpCommand, send) => {
    if (cmd.execute === 'query-migrate') {
      if (cancelled) return send('{"return": {"status": "cancelled"}}');
      lastSent = statuses[Math.min(polls++, statuses.length - 1)];
      return send(lastSent);
    }
    if (cmd.execute === 'migrate_cancel') cancelled = true;
    send('{"return": {}}');
  });
  const dst = await fakeQmp(dir, (_cmd, send) => send('{"return": {}}'));
  const [s, d] = [await QmpClient.connect(src.path), await QmpClient.connect(dst.path)];
  open.push(s, d, src, dst);
  return { src, dst, s, d, lastSent: () => lastSent };
}

const settings = (over: Partial<MigrateSettings> = {}): MigrateSettings => ({
  uri: 'tcp:127.0.0.1:4444',
  maxBandwidthBps: 16 * 1024 * 1024,
  downtimeLimitMs: 300,
  capS: 60,
  mode: 'precopy',
  pollMs: 10,
  ...over,
});
const names = (f: FakeQmp) => f.commands().map((c) => c.execute);

describe('migrate (the harness)', () => {
  it('sets the reference parameters, migrates, and keeps the completed reply', async () => {
    const { src, dst, s, d } = await pair([active(1, 1e6), active(2, 5e7), COMPLETED]);
    const r = await migrate(s, d, settings());
    expect(r.outcome).toBe('completed');
    expect(r.last.line).toBe(COMPLETED);
    expect(r.last.value.downtime).toBe(4);
    expect(r.polls).toBe(3);
    const cmds = src.commands();
    expect(cmds[1]).toEqual({ execute: 'migrate-set-parameters', arguments: { 'max-bandwidth': 16777216, 'downtime-limit': 300 } });
    expect(cmds[2]).toEqual({ execute: 'migrate', arguments: { uri: 'tcp:127.0.0.1:4444' } });
    expect(names(dst)).toEqual(['qmp_capabilities']);
  });

  it('cancels at the cap as did-not-converge, keeping the last active reply', async () => {
    const { src, s, d, lastSent } = await pair([active(1, 1e6), active(2, 2e6), active(3, 3e6)]);
    const r = await migrate(s, d, settings({ capS: 0.3 }));
    expect(r.outcome).toBe('did-not-converge');
    expect(r.last.line).toBe(lastSent());
    expect(r.last.value.status).toBe('active');
    expect(names(src)).toContain('migrate_cancel');
    expect(names(src)).not.toContain('migrate-start-postcopy');
  });

  it('post-copy: enables it on both sides and starts it once the first pass is done', async () => {
    const { src, dst, s, d } = await pair([active(1, 1e6), active(1, 2e6), active(2, 3e6), active(2, 4e6), COMPLETED]);
    const r = await migrate(s, d, settings({ mode: 'postcopy' }));
    expect(r).toMatchObject({ outcome: 'completed', postcopyStarted: true });
    const caps = { execute: 'migrate-set-capabilities', arguments: { capabilities: [{ capability: 'postcopy-ram', state: true }] } };
    expect(dst.commands()[1]).toEqual(caps);
    expect(src.commands()[1]).toEqual(caps);
    // Started after the third poll (the first with dirty-sync-count 2), once.
    const after = names(src).slice(names(src).indexOf('migrate'));
    expect(after).toEqual(['migrate', 'query-migrate', 'query-migrate', 'query-migrate', 'migrate-start-postcopy', 'query-migrate', 'query-migrate']);
  });

  it('reports a failed migration with its reply', async () => {
    const { s, d } = await pair([active(1, 1e6), '{"return": {"status": "failed", "error-desc": "Unable to write to socket"}}']);
    await expect(migrate(s, d, settings())).rejects.toThrow('migration failed: {"return": {"status": "failed", "error-desc": "Unable to write to socket"}}');
  });
});
