// Reading a QMP transcript: the shipped reference (512 MiB, four measured points), what a session
// holds besides the replies (greeting, acknowledgements, events, other replies), an earlier
// migration's counts, and every malformed transcript refused with the line and what is wrong.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, messages } from '../../sim/errors.js';
import { parseTranscript } from '../../sim/predict/transcript.js';
import { ROOT } from '../helpers/cli.js';

const REFERENCE = readFileSync(join(ROOT, 'scenarios', 'reference', 'qemu-7.2', 'calc-dirty-rate-W64-R10000.jsonl'), 'utf8');
const MEM = '{"return": {"base-memory": 536870912, "plugged-memory": 0}}';
const rate = (t: number, r: number, status = 'measured') => JSON.stringify({ return: { status, 'sample-pages': 4096, 'dirty-rate': r, mode: 'page-sampling', 'start-time': 1, 'calc-time': t } });
const MIGRATE = '{"return": {"status": "completed", "ram": {"total": 537403392, "duplicate": 97788, "normal": 69739, "transferred": 286611968, "page-size": 4096}, "total-time": 4025}}';

function refused(text: string): string {
  try {
    parseTranscript(text, 't.jsonl');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

describe('QMP transcript', () => {
  it('reads the reference transcript: 512 MiB, four points at 1, 2, 4 and 8 s', () => {
    const t = parseTranscript(REFERENCE, 'ref');
    expect(t.memory_bytes).toBe(512 * 2 ** 20);
    expect(t.points.map((p) => [p.calc_time_s, p.dirty_rate_MiBps, p.sample_pages, p.mode, p.line])).toEqual([
      [1, 41, 4096, 'page-sampling', 2],
      [2, 29, 4096, 'page-sampling', 3],
      [4, 16, 4096, 'page-sampling', 4],
      [8, 8, 4096, 'page-sampling', 5],
    ]);
    expect(t.migration).toBeUndefined();
  });

  it('skips the greeting, acknowledgements, events, blank lines and other replies; adds plugged memory', () => {
    const text = [
      '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}}, "capabilities": ["oob"]}}',
      '{"return": {}}',
      '',
      '{"return": {"base-memory": 536870912, "plugged-memory": 1073741824}}\r',
      '{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "RESUME"}',
      '{"return": {"running": true, "status": "running"}}',
      rate(1, 41),
      '{"return": {}}',
      rate(4, 16),
    ].join('\n');
    const t = parseTranscript(text, 't');
    expect(t.memory_bytes).toBe(1536 * 2 ** 20);
    expect(t.points.map((p) => p.calc_time_s)).toEqual([1, 4]);
  });

  it("reads an earlier migration's RAM counts from its query-migrate reply", () => {
    const t = parseTranscript(`${REFERENCE}${MIGRATE}\n`, 't');
    expect(t.migration).toEqual({ line: 6, total_bytes: 537403392, duplicate_pages: 97788, normal_pages: 69739, transferred_bytes: 286611968, page_size_bytes: 4096 });
  });

  it("reads the earlier migration's switch-over (downtime and downtime-bytes) when the reply has both", () => {
    const reply = (downtime: unknown, bytes: unknown) =>
      JSON.stringify({ return: { status: 'completed', downtime, 'total-time': 4025, ram: { total: 537403392, duplicate: 97788, normal: 69739, transferred: 286611968, 'downtime-bytes': bytes } } });
    const t = parseTranscript(`${REFERENCE}${reply(15, 18537777)}\n`, 't');
    expect([t.migration?.downtime_ms, t.migration?.downtime_bytes]).toEqual([15, 18537777]);
    // QEMU before 7.1 has no downtime-bytes: no switch-over, the counts still read.
    const old = parseTranscript(`${REFERENCE}{"return": {"status": "completed", "downtime": 15, "ram": {"total": 537403392, "duplicate": 1, "normal": 2, "transferred": 3}}}\n`, 't');
    expect([old.migration?.downtime_ms, old.migration?.downtime_bytes, old.migration?.normal_pages]).toEqual([undefined, undefined, 2]);
    expect(refused(`${REFERENCE}${reply('15', 18537777)}\n`)).toBe(`t.jsonl, line 6: ${messages.transcriptBadField('query-migrate', 'downtime', 'a number of at least 0', '15')}`);
  });

  it('refuses a line that is not JSON, naming the line', () => {
    expect(refused(`${MEM}\n${rate(1, 4)}\nnot json\n${rate(2, 3)}`)).toMatch(/^t\.jsonl, line 3: not a JSON object \(a transcript holds one QMP reply per line, as QEMU sends them\): /);
    expect(refused(`${MEM}\n[1, 2]`)).toBe(messages.transcriptLine('t.jsonl', 2, messages.transcriptNotJson('got a list')));
  });

  it('refuses a dirty-rate reply that is not measured', () => {
    expect(refused(`${MEM}\n${rate(1, 4)}\n${rate(2, 0, 'measuring')}`)).toBe(messages.transcriptLine('t.jsonl', 3, messages.transcriptNotMeasured('measuring')));
  });

  it("refuses QEMU's error replies, with QEMU's description", () => {
    expect(refused(`${MEM}\n{"error": {"class": "GenericError", "desc": "the dirty rate is already being measured."}}`)).toBe(
      messages.transcriptLine('t.jsonl', 2, messages.transcriptQmpError('the dirty rate is already being measured.')),
    );
  });

  it('refuses a reply with a field of the wrong type', () => {
    expect(refused(`${MEM}\n${JSON.stringify({ return: { status: 'measured', 'calc-time': 1, 'dirty-rate': '41' } })}`)).toBe(
      messages.transcriptLine('t.jsonl', 2, messages.transcriptBadField('query-dirty-rate', 'dirty-rate', 'a number of at least 0', '41')),
    );
  });

  it('refuses a query-migrate of a migration that has not completed', () => {
    expect(refused(`${REFERENCE}{"return": {"status": "active", "ram": {"total": 1, "duplicate": 1, "normal": 1, "transferred": 1}}}`)).toBe(
      messages.transcriptLine('t.jsonl', 6, messages.transcriptMigrateStatus('active')),
    );
  });

  it('refuses a transcript without the memory size, or with fewer than two calc-times', () => {
    expect(refused(`${rate(1, 4)}\n${rate(2, 3)}`)).toBe(messages.transcriptNoMemory('t.jsonl'));
    expect(refused(`${MEM}\n${rate(1, 4)}\n${rate(1, 5)}`)).toBe(messages.transcriptFewPoints('t.jsonl', [1]));
    expect(refused(MEM)).toBe(messages.transcriptFewPoints('t.jsonl', []));
  });
});
