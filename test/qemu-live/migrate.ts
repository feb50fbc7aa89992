// One migration driven as the reference runs drove theirs (scenarios/reference/qemu-7.2/README.md):
// max-bandwidth and downtime-limit set, `migrate` to the destination over loopback TCP, query-migrate
// every ~100 ms until completed or failed, cancelled after the cap as did-not-converge.
import type { QmpClient, QmpReply } from '../../sim/cli/qmp.js';

export type Mode = 'precopy' | 'postcopy';

export interface MigrateSettings {
  uri: string;
  maxBandwidthBps: number;
  downtimeLimitMs: number;
  capS: number;
  mode: Mode;
  pollMs?: number;
  onProgress?: (text: string) => void;
}

/** The fields of query-migrate the fixtures keep. */
export interface MigrateInfo {
  status?: string;
  'total-time'?: number;
  downtime?: number;
  'setup-time'?: number;
  ram?: { total?: number; transferred?: number; remaining?: number; duplicate?: number; normal?: number; 'dirty-sync-count'?: number };
}

export interface MigrationResult {
  outcome: 'completed' | 'did-not-converge';
  /** The final reply (completed), or the last active one before the cancel. */
  last: QmpReply<MigrateInfo>;
  /** query-migrate replies seen (the fixture keeps only the last). */
  polls: number;
  postcopyStarted: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function migrate(src: QmpClient, dst: QmpClient, s: MigrateSettings): Promise<MigrationResult> {
  if (s.mode === 'postcopy') {
    const caps = { capabilities: [{ capability: 'postcopy-ram', state: true }] };
    await dst.execute('migrate-set-capabilities', caps);
    await src.execute('migrate-set-capabilities', caps);
  }
  await src.execute('migrate-set-parameters', { 'max-bandwidth': s.maxBandwidthBps, 'downtime-limit': s.downtimeLimitMs });
  await src.execute('migrate', { uri: s.uri });
  const started = Date.now();
  let last: QmpReply<MigrateInfo> | undefined;
  let polls = 0;
  let postcopyStarted = false;
  for (;;) {
    await sleep(s.pollMs ?? 100);
    const reply = await src.call<MigrateInfo>('query-migrate');
    polls++;
    const status = reply.value.status;
    if (status === 'completed') return { outcome: 'completed', last: reply, polls, postcopyStarted };
    if (status === 'failed' || status === 'cancelled') throw new Error(`migration ${status}: ${reply.line}`);
    last = reply;
    // As the reference: post-copy starts once the first full pass is done.
    if (s.mode === 'postcopy' && !postcopyStarted && status === 'active' && (reply.value.ram?.['dirty-sync-count'] ?? 0) >= 2) {
      await src.execute('migrate-start-postcopy');
      postcopyStarted = true;
      s.onProgress?.('post-copy started');
    }
    if (polls % 50 === 0) s.onProgress?.(`${status} ${((Date.now() - started) / 1000).toFixed(0)} s, ${reply.value.ram?.remaining ?? '?'} bytes remaining`);
    if (Date.now() - started >= s.capS * 1000) {
      await src.execute('migrate_cancel');
      await waitCancelled(src);
      return { outcome: 'did-not-converge', last, polls, postcopyStarted };
    }
  }
}

/** migrate_cancel returns at once; the status turns cancelled shortly after (bounded). */
async function waitCancelled(src: QmpClient): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const status = (await src.execute<MigrateInfo>('query-migrate')).status;
    if (status !== 'cancelling' && status !== 'active') return;
    await sleep(100);
  }
  throw new Error('the migration did not stop within 10 s of migrate_cancel');
}
