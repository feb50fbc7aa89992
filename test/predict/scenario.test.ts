// The scenario a prediction builds: the link's speed from the user, else from an earlier migration's
// switch-over (a range over QEMU's millisecond resolution), else a default said as such.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitWorkload } from '../../sim/predict/fit.js';
import { DEFAULT_LINK, predictScenario, type PredictSettings } from '../../sim/predict/scenario.js';
import { parseTranscript } from '../../sim/predict/transcript.js';
import { ROOT } from '../helpers/cli.js';

const REFERENCE = readFileSync(join(ROOT, 'scenarios', 'reference', 'qemu-7.2', 'calc-dirty-rate-W64-R10000.jsonl'), 'utf8');
const migrate = (downtime: number, bytes: number): string =>
  JSON.stringify({ return: { status: 'completed', downtime, ram: { total: 537403392, duplicate: 97788, normal: 69739, transferred: 286611968, 'downtime-bytes': bytes } } });
const SETTINGS: PredictSettings = { bandwidth: '64MiB/s', downtime_limit: '300ms', policies: ['precopy'], deadline: '600s' };

function built(extra: string, s: Partial<PredictSettings> = {}): { link: unknown; ranges: string[] } {
  const t = parseTranscript(`${REFERENCE}${extra}`, 't');
  const b = predictScenario(t, fitWorkload(t), { ...SETTINGS, ...s });
  return { link: (b.doc.link as { bandwidth: unknown }).bandwidth, ranges: b.ranges.filter((r) => r.startsWith('link.bandwidth')) };
}

describe("the prediction's link speed", () => {
  it("is the earlier migration's switch-over: its downtime-bytes over its downtime +-1 ms", () => {
    // 18,537,777 B in 15 ms: QEMU's two millisecond readings mean 14 to 16 ms.
    const { link, ranges } = built(`${migrate(15, 18537777)}\n`);
    expect(link).toBe('uniform(1158.6MB/s, 1324.1MB/s)'); // 18,537,777 B over 16 and 14 ms
    expect(ranges).toHaveLength(1);
    expect(ranges[0]).toContain('18.5 MB in 15 ms');
    expect(ranges[0]).toContain('fixed cost counted as copying');
  });

  it('leaves the host\'s stop time out of the copy when it is known', () => {
    const { link, ranges } = built(`${migrate(15, 18537777)}\n`, { stop_s: 0.002 });
    expect(link).toBe('uniform(1324.1MB/s, 1544.8MB/s)'); // over 14 and 12 ms
    expect(ranges[0]).not.toContain('fixed cost');
  });

  it('is the user\'s --link whatever the transcript holds, with nothing said', () => {
    expect(built(`${migrate(15, 18537777)}\n`, { link: '1Gbit/s' })).toEqual({ link: '1Gbit/s', ranges: [] });
  });

  it('is the default, said, when the switch-over is too short to resolve, absent, or not in the reply', () => {
    const short = built(`${migrate(2, 660000)}\n`);
    expect(short.link).toBe(DEFAULT_LINK);
    expect(short.ranges[0]).toContain('(2 ms) is too short');
    const none = built('');
    expect(none.link).toBe(DEFAULT_LINK);
    expect(none.ranges[0]).toContain('no earlier migration');
    const old = built('{"return": {"status": "completed", "ram": {"total": 537403392, "duplicate": 1, "normal": 2, "transferred": 3}}}\n');
    expect(old.ranges[0]).toContain('has no downtime and downtime-bytes');
    // A post-copy switch-over sends no RAM while stopped: nothing to measure.
    const post = built(`${migrate(5, 0)}\n`);
    expect(post.link).toBe(DEFAULT_LINK);
    expect(post.ranges[0]).toContain('sent no memory while the VM was stopped');
  });
});

describe('what a prediction says it leaves out', () => {
  const notes = (extra: string, s: Partial<PredictSettings> = {}) => {
    const t = parseTranscript(`${REFERENCE}${extra}`, 't');
    return predictScenario(t, fitWorkload(t), { ...SETTINGS, ...s }).notes;
  };

  it("the switch-over's fixed cost, and post-copy's downtime as a lower bound, unless the host's stop time is known", () => {
    const [n] = notes('', { policies: ['precopy', 'postcopy', 'hybrid'] });
    expect(n).toContain("leaves out the switch-over's fixed cost");
    expect(n).toContain('postcopy and hybrid send no memory while the VM is stopped, so their downtime here (0) is only a lower bound');
    expect(notes('')[0]).not.toContain('lower bound'); // pre-copy alone
    expect(notes(`${migrate(15, 18537777)}\n`)[0]).toContain("beyond what the earlier switch-over's speed counts of it");
    expect(notes('', { policies: ['postcopy'], stop_s: 0.001 })).toEqual([]);
  });
});
