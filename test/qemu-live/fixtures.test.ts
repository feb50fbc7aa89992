// The recorded real-QEMU fixtures (test/fixtures/qemu-live/) keep the format predictions are checked
// against (docs/development.md#real-qemu-in-the-loop): a transcript of QEMU's measurement replies and
// an outcome with exactly these fields, each consistent with its case name and its own numbers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { parseCase } from './record.js';

const DIR = join(ROOT, 'test', 'fixtures', 'qemu-live');
const CASES = readdirSync(DIR).filter((f) => statSync(join(DIR, f)).isDirectory());
const KEYS = [
  'case', 'qemu_version', 'workload', 'max_bandwidth_Bps', 'downtime_limit_ms', 'mode', 'cap_s', 'outcome', 'total_time_ms',
  'downtime_ms', 'setup_time_ms', 'ram_transferred_bytes', 'ram_duplicate_pages', 'ram_normal_pages', 'dirty_sync_count', 'recorded_at',
];
const MiB = 1024 * 1024;

describe('test/fixtures/qemu-live', () => {
  it('holds the recorded cases, each under 1 MB', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(4);
    for (const c of CASES) {
      const bytes = readdirSync(join(DIR, c)).reduce((sum, f) => sum + statSync(join(DIR, c, f)).size, 0);
      expect(bytes, c).toBeLessThan(1_000_000);
    }
  });

  it.each(CASES)('%s: a transcript of the memory size and four measured windows, as QEMU sent them', (c) => {
    const lines = readFileSync(join(DIR, c, 'transcript.jsonl'), 'utf8').trimEnd().split('\n');
    const replies = lines.map((l) => JSON.parse(l) as { return: Record<string, unknown> });
    // QEMU's own spacing: the lines were kept verbatim, not re-serialised.
    for (const l of lines) expect(l).toMatch(/^\{"return": \{"/);
    expect(replies[0].return['base-memory']).toBe(512 * MiB);
    const windows = replies.slice(1).filter((r) => r.return.status === 'measured');
    expect(windows.map((r) => r.return['calc-time'])).toEqual([1, 2, 4, 8]);
    for (const w of windows) expect(w.return['sample-pages']).toBe(4096);
  });

  it.each(CASES)('%s: an outcome with the fixture format, consistent with its case and itself', (c) => {
    const o = JSON.parse(readFileSync(join(DIR, c, 'outcome.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(KEYS);
    const k = parseCase(c);
    expect(o).toMatchObject({ case: c, mode: k.mode, max_bandwidth_Bps: k.maxBandwidthMiBs * MiB, downtime_limit_ms: 300, cap_s: 120 });
    expect(o.workload).toEqual({ dirty_mb: k.dirtyMb, dirty_rate_pages_s: k.dirtyRatePagesS });
    const bytes = Number(o.ram_transferred_bytes);
    expect(bytes).toBeGreaterThanOrEqual(Number(o.ram_normal_pages) * 4096);
    if (o.outcome === 'completed') {
      expect(Number(o.downtime_ms)).toBeGreaterThan(0);
      expect(Number(o.total_time_ms)).toBeLessThan(120_000);
    } else {
      expect(o.outcome).toBe('did-not-converge');
      expect(o.downtime_ms).toBeNull();
      // The rate limit holds while iterating: about max-bandwidth x the cap went out.
      expect(bytes / (Number(o.max_bandwidth_Bps) * 120)).toBeGreaterThan(0.9);
    }
  });
});
