// What a sweep writes, from records and its definition: per-run tables as CSV and charts recognised
// by their columns (migration progress, rounds, ISR timeline), and the partial output of a stopped sweep.
import { describe, expect, it } from 'vitest';
import { partialFiles, sweepFiles } from '../../sim/experiment/sweep-outputs.js';
import type { SweepDefinition } from '../../sim/experiment/sweep-plan.js';
import type { RunRecord } from '../../sim/results/record.js';

const def: SweepDefinition = {
  scenario: 'mig',
  description: 'd',
  kind: 'migration',
  scenarioArg: 'mig.yaml',
  scenarioText: 'kind: migration\n',
  axes: [
    { path: 'policy', spec: 'pre,post', values: ['pre', 'post'] },
    { path: 'link.bandwidth', spec: '1Mbit/s,1Gbit/s', values: ['1Mbit/s', '1Gbit/s'] },
  ],
  trials: 2,
  seed: 1,
  command: 'vmsim sweep mig.yaml --set policy=pre,post --set link.bandwidth=1Mbit/s,1Gbit/s --trials 2 --seed 1',
  runs: 8,
};

function records(): RunRecord[] {
  const out: RunRecord[] = [];
  for (const policy of ['pre', 'post']) {
    for (const bw of [1e6, 1e9]) {
      for (let trial = 0; trial < 2; trial++) {
        const k = policy === 'pre' ? 1 : 2;
        out.push({
          scenario: 'mig',
          kind: 'migration',
          variant: policy,
          policy,
          seed: 10 + trial,
          trial,
          params: { 'link.bandwidth_bps': bw },
          metrics: { total_time_ms: (8e9 / bw) * k + trial },
          tables: {
            rounds: [1, 2, 3].map((round) => ({ round, pages_sent: 100 / round, bytes_sent: (4e5 * k) / round })),
            progress: [0, 10, 20].map((t_ms) => ({ t_ms, remaining_bytes: 1e6 - t_ms * 1e4 * k })),
            timeline: [
              { phase: 'suspend', start_s: 0, end_s: 1 },
              { phase: 'resume', start_s: 1, end_s: 2 * k },
            ],
          },
        });
      }
    }
  }
  return out;
}

describe('sweepFiles', () => {
  it('writes tables as tidy CSV and charts them by their columns, every variant at one point', async () => {
    const files = await sweepFiles(records(), def);
    const names = files.map((f) => f.name);
    expect(names.filter((n) => !n.startsWith('charts/'))).toEqual(['runs.csv', 'aggregate.csv', 'tables/rounds.csv', 'tables/progress.csv', 'tables/timeline.csv', 'report.html']);
    for (const t of ['rounds', 'progress', 'timeline']) {
      expect(names).toContain(`charts/detail-${t}.vl.json`);
      expect(names).toContain(`charts/detail-${t}.svg`);
    }
    const rounds = String(files.find((f) => f.name === 'tables/rounds.csv')!.content).trimEnd().split('\n');
    expect(rounds[0]).toBe('variant,policy,link.bandwidth_bps,trial,seed,round,pages_sent,bytes_sent');
    expect(rounds).toHaveLength(1 + 8 * 3);
    expect(rounds[1]).toBe('pre,pre,1000000,0,10,1,100,400000');
    // The default point: where the total times differ most (8.0005 s against 16.0005 s at 1 Mbit/s;
    // 8.5 ms against 16.5 ms at 1 Gbit/s, where the trial's added millisecond counts); both variants, trial 0.
    const spec = JSON.parse(String(files.find((f) => f.name === 'charts/detail-rounds.vl.json')!.content));
    expect(spec.title).toBe('Bytes sent per round at link bandwidth 1 Mbit/s, trial 0');
    // In kB, the unit the values' magnitude calls for.
    expect(spec.encoding.y.title).toBe('Sent in the round (kB)');
    const shown = spec.data.values.map((v: { variant: string; value: number }) => [v.variant, Number(v.value.toPrecision(9))]);
    expect(shown).toEqual([...[1, 2, 3].map((round) => ['pre', Number((400 / round).toPrecision(9))]), ...[1, 2, 3].map((round) => ['post', Number((800 / round).toPrecision(9))])]);
    expect(String(files.find((f) => f.name === 'charts/detail-timeline.svg')!.content)).toContain('>suspend<');
    const html = String(files.find((f) => f.name === 'report.html')!.content);
    expect(html.match(/<figure /g)).toHaveLength(names.filter((n) => n.endsWith('.svg')).length);
    expect(html).toContain('One point up close: link bandwidth 1 Mbit/s');
    // --detail-point picks the nearest point swept.
    const picked = await sweepFiles(records(), def, { detail: { 'link.bandwidth_bps': 500e6 } });
    const at = JSON.parse(String(picked.find((f) => f.name === 'charts/detail-rounds.vl.json')!.content));
    expect(at.title).toBe('Bytes sent per round at link bandwidth 1 Gbit/s, trial 0');
    expect(String(picked.find((f) => f.name === 'report.html')!.content)).toContain('chosen with --detail-point (link bandwidth 500 Mbit/s; the nearest point swept)');
  });

  it('a stopped sweep writes its completed runs and a PARTIAL note', () => {
    const done = records().slice(0, 3);
    const files = partialFiles(done, def, 'Stopped by SIGINT');
    expect(files.map((f) => f.name)).toEqual(['runs.partial.csv', 'PARTIAL']);
    expect(String(files[0].content).trimEnd().split('\n')).toHaveLength(4);
    const note = String(files[1].content);
    expect(note.startsWith('PARTIAL: this sweep did not finish.\n')).toBe(true);
    expect(note).toContain('Stopped by SIGINT.');
    expect(note).toContain('holds the 3 of 8 runs that completed');
    expect(note).toContain(def.command);
  });
});
