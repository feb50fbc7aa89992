// Fitting a working set to a measured curve: curves made by the model's own formulas
// (sim/world/workload.ts distinctPages) are recovered within a few per cent, the pattern that made
// them fits best, and the reference transcript's curve (a cycling writer over 64 MiB at 10,000
// pages/s) is fitted by both patterns within what page sampling resolves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curveOf, fitPattern, fitWorkload, type CurvePoint, type Pattern } from '../../sim/predict/fit.js';
import { parseTranscript } from '../../sim/predict/transcript.js';
import { distinctPages } from '../../sim/world/index.js';
import { ROOT } from '../helpers/cli.js';

const PAGE = 4096;
const MiB = 2 ** 20;
const MEMORY = 2048 * MiB;

/** D(t) of one group by the model's formula, at the calc-times of a measurement, with a spread of 1 MiB. */
const synthetic = (pattern: Pattern, pages: number, rate: number, times = [1, 2, 4, 8]): CurvePoint[] =>
  times.map((t) => ({ t_s: t, dirtied_bytes: distinctPages(pattern, pages, rate, t) * PAGE, sd_bytes: MiB }));

describe('fitting the measured curve', () => {
  for (const [pattern, pages, rate] of [
    ['random', 65536, 30000],
    ['random', 20000, 4000],
    ['sequential', 32768, 12000],
    ['sequential', 60000, 9000],
  ] as const) {
    it(`recovers a ${pattern} group of ${pages} pages at ${rate} pages/s within 3%`, () => {
      const f = fitPattern(synthetic(pattern, pages, rate), pattern, MEMORY, PAGE);
      expect(f.groups).toHaveLength(1);
      expect(Math.abs(f.groups[0].pages / pages - 1)).toBeLessThan(0.03);
      expect(Math.abs(f.groups[0].rate_pages_s / rate - 1)).toBeLessThan(0.03);
      expect(f.rms_pct).toBeLessThan(1);
    });
  }

  it('the pattern that made a curve fits it better than the other', () => {
    const points = synthetic('random', 65536, 30000);
    const random = fitPattern(points, 'random', MEMORY, PAGE);
    const sequential = fitPattern(points, 'sequential', MEMORY, PAGE);
    expect(random.chi2_per_point).toBeLessThan(sequential.chi2_per_point);
    expect(sequential.rms_bytes).toBeGreaterThan(5 * MiB);
  });

  it('the spread of a point: page sampling over the VM, and QEMU truncating the rate to whole MiB/s', () => {
    const [p1, , , p8] = curveOf(parseTranscript(readFileSync(join(ROOT, 'scenarios', 'reference', 'qemu-7.2', 'calc-dirty-rate-W64-R10000.jsonl'), 'utf8'), 'ref'));
    // 4096 pages per GiB of 512 MiB = 2048 samples; D = 41 MiB is p = 0.080 of memory.
    const sampling = 512 * MiB * Math.sqrt((0.080078125 * (1 - 0.080078125)) / 2048);
    expect(p1.sd_bytes).toBeCloseTo(Math.hypot(sampling, MiB / Math.sqrt(12)), 0);
    expect(p8.sd_bytes).toBeGreaterThan(p1.sd_bytes);
  });

  it('the reference curve: both patterns fit within what sampling resolves, near the 64 MiB and 10,000 pages/s the guest ran', () => {
    const fit = fitWorkload(parseTranscript(readFileSync(join(ROOT, 'scenarios', 'reference', 'qemu-7.2', 'calc-dirty-rate-W64-R10000.jsonl'), 'utf8'), 'ref'));
    expect(fit.chosen.map((f) => f.pattern).sort()).toEqual(['random', 'sequential']);
    const seq = fit.fits.find((f) => f.pattern === 'sequential')!;
    expect(Math.abs((seq.groups[0].pages * PAGE) / (64 * MiB) - 1)).toBeLessThan(0.1);
    expect(Math.abs(seq.groups[0].rate_pages_s / 10000 - 1)).toBeLessThan(0.1);
    for (const f of fit.fits) expect(f.rms_bytes).toBeLessThan(fit.noise_rms_bytes);
  });

  it('a clearly random curve with many points is not given the sequential pattern too', () => {
    const points = synthetic('random', 30000, 40000, [0.5, 1, 2, 4, 8]);
    const t = { memory_bytes: MEMORY, points: points.map((p, k) => ({ line: k + 2, calc_time_s: p.t_s, dirty_rate_MiBps: p.dirtied_bytes / MiB / p.t_s, mode: 'dirty-bitmap' })) };
    const fit = fitWorkload(t);
    expect(fit.chosen.map((f) => f.pattern)).toEqual(['random']);
  });

  it('two groups where one clearly misfits a curve of many points: a hot and a warm set', () => {
    const hot = synthetic('random', 5000, 50000, [0.25, 0.5, 1, 2, 4, 8, 16]);
    const warm = synthetic('random', 80000, 8000, [0.25, 0.5, 1, 2, 4, 8, 16]);
    const t = { memory_bytes: MEMORY, points: hot.map((p, k) => ({ line: k + 2, calc_time_s: p.t_s, dirty_rate_MiBps: (p.dirtied_bytes + warm[k].dirtied_bytes) / MiB / p.t_s, mode: 'dirty-bitmap' })) };
    const fit = fitWorkload(t);
    const best = fit.chosen[0];
    expect(best.pattern).toBe('random');
    expect(best.groups).toHaveLength(2);
    const [small, big] = [...best.groups].sort((a, b) => a.pages - b.pages);
    expect(Math.abs(small.pages / 5000 - 1)).toBeLessThan(0.1);
    expect(Math.abs(big.pages / 80000 - 1)).toBeLessThan(0.1);
    expect(best.chi2_per_point).toBeLessThan(fitPattern(curveOf(t), 'random', MEMORY, PAGE, 1).chi2_per_point / 2);
  });
});
