// What a sweep writes, from records and its definition: per-run tables as CSV and charts recognised
// by their columns (migration progress, rounds, ISR timeline), and the partial output of a stopped sweep.
import { describe, expect, it } from 'vitest';
import { partialFiles, sweepFiles } from '../../sim/cli/sweep-files.js';
import type { SweepDefinition } from '../../sim/cli/sweep.js';
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
            rounds: [1, 2, 3].map((round) => ({ round, pages_sent: 100 / round, bytes: (4e5 * k) / round })),
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
  it('writes tables as tidy CSV and charts them by their columns', async () => {
    const files = await sweepFiles(records(), def);
    const names = files.map((f) => f.name);
    expect(names.filter((n) => !n.startsWith('charts/'))).toEqual(['runs.csv', 'aggregate.csv', 'tables/rounds.csv', 'tables/progress.csv', 'tables/timeline.csv', 'report.html']);
    for (const t of ['rounds', 'progress', 'timeline']) {
      expect(names).toContain(`charts/table-${t}.vl.json`);
      expect(names).toContain(`charts/table-${t}.svg`);
    }
    const rounds = String(files.find((f) => f.name === 'tables/rounds.csv')!.content).trimEnd().split('\n');
    expect(rounds[0]).toBe('variant,policy,link.bandwidth_bps,trial,seed,round,pages_sent,bytes');
    expect(rounds).toHaveLength(1 + 8 * 3);
    expect(rounds[1]).toBe('pre,pre,1000000,0,10,1,100,400000');
    // Charts of tables show one run per policy: its first point, trial 0.
    const spec = JSON.parse(String(files.find((f) => f.name === 'charts/table-rounds.vl.json')!.content));
    expect(spec.data.values).toEqual([
      ...[1, 2, 3].map((round) => ({ round, pages_sent: 100 / round, bytes: 4e5 / round, policy: 'pre' })),
      ...[1, 2, 3].map((round) => ({ round, pages_sent: 100 / round, bytes: 8e5 / round, policy: 'post' })),
    ]);
    expect(String(files.find((f) => f.name === 'charts/table-timeline.svg')!.content)).toContain('>suspend<');
    const html = String(files.find((f) => f.name === 'report.html')!.content);
    expect(html.match(/<figure /g)).toHaveLength(names.filter((n) => n.endsWith('.svg')).length);
    expect(html).toContain('Bytes per round (first point of each policy, trial 0)');
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
