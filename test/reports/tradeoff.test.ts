// Trade-off charts label their points without printing labels over each other or over a mark
// (report polish, seen in screenshots: post-copy's downtime is 0.5 ms at every bandwidth, so its
// eight labels sat on one line). Checked on the SVG Vega draws, so the scales the labels were placed
// on are the ones drawn.
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../reports/aggregate.js';
import { CHAR_EM, placeLabels, type PixelScale } from '../../reports/point-labels.js';
import { renderSvg } from '../../reports/render.js';
import { sweepCharts } from '../../reports/sweep-charts.js';
import type { RunRecord } from '../../sim/results/record.js';

/** 100 Mbit/s to 10 Gbit/s in 8 log steps, as `--set link.bandwidth=100Mbit/s..10Gbit/s:log:8`. */
const BWS = Array.from({ length: 8 }, (_, i) => 1e8 * 100 ** (i / 7));

/**
 * The sweep of the screenshot in miniature: post-copy stops 0.5 ms at every bandwidth while its
 * guest loses 14.5 s down to 0.145 s; pre-copy converges from 720 Mbit/s on, its points in a cluster;
 * stop-and-copy loses what it stops.
 */
function sweep(): RunRecord[] {
  const out: RunRecord[] = [];
  for (const bw of BWS) {
    for (let trial = 0; trial < 2; trial++) {
      const base = { scenario: 'lab', kind: 'migration', seed: trial, trial, params: { 'link.bandwidth_bps': bw }, goal: 'converged' };
      const copy = 6.9e9 / bw;
      out.push({ ...base, variant: 'precopy', policy: 'precopy', metrics: bw < 7e8 ? { total_time_ms: NaN, downtime_ms: NaN, guest_lost_s: NaN, converged: 0 } : { total_time_ms: 8300 + 4e12 / bw, downtime_ms: 2.8e11 / bw, guest_lost_s: 2.8e8 / bw, converged: 1 } });
      out.push({ ...base, variant: 'postcopy', policy: 'postcopy', metrics: { total_time_ms: copy * 1.03e3, downtime_ms: 0.5, guest_lost_s: 1.45e9 / bw, converged: 1 } });
      out.push({ ...base, variant: 'stop-and-copy', policy: 'stop-and-copy', metrics: { total_time_ms: copy * 1e3, downtime_ms: copy * 1e3, guest_lost_s: copy, converged: 1 } });
    }
  }
  return out;
}

interface Box {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const overlap = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The labels Vega drew (text marks of 9 px) as boxes: a character 0.6 em wide, 0.79 em above the baseline and 0.21 em below. */
function labelBoxes(svg: string): Box[] {
  const re = /<text [^>]*text-anchor="(start|middle|end)" transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*font-size="9px"[^>]*>([^<]*)<\/text>/g;
  return [...svg.matchAll(re)].map(([, anchor, x, y, text]) => {
    const w = [...text].length * CHAR_EM * 9;
    const x0 = Number(x) - (anchor === 'start' ? 0 : anchor === 'middle' ? w / 2 : w);
    return { text, x0, x1: x0 + w, y0: Number(y) - 0.79 * 9, y1: Number(y) + 0.21 * 9 };
  });
}

/** The point marks' centres (filled symbols with a tooltip naming the point). */
const pointCentres = (svg: string): Array<[number, number]> => [...svg.matchAll(/aria-label="[^"]*point: [^"]*"[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

type Spec = { data: { values: Array<{ variant: string; point: string; label: string }> }; layer: Array<{ encoding: { x: { scale: { type: string; domain: number[] } } } }> };

describe('trade-off chart labels', () => {
  const charts = sweepCharts(aggregate(sweep()), 'lab', 'migration').filter((c) => c.name.startsWith('tradeoff-'));

  it('post-copy on one line: its first and last point labelled, each label its own point\'s', () => {
    const spec = charts.find((c) => c.name === 'tradeoff-downtime_ms-vs-guest_lost_s')!.spec as unknown as Spec;
    const post = spec.data.values.filter((v) => v.variant === 'postcopy');
    expect(post).toHaveLength(8);
    expect(post.find((v) => v.point === '100 Mbit/s')!.label).toBe('100 Mbit/s');
    expect(post.find((v) => v.point === '10 Gbit/s')!.label).toBe('10 Gbit/s');
    const shown = post.filter((v) => v.label !== '');
    // A label is the point's own text, never another's; a dropped one is still in the tooltip's field.
    for (const v of shown) expect(v.label).toBe(v.point);
    expect(post.every((v) => v.point !== '')).toBe(true);
  });

  for (const name of ['tradeoff-downtime_ms-vs-guest_lost_s', 'tradeoff-total_time_ms-vs-guest_lost_s']) {
    it(`${name}: no label drawn over another label or over another point's mark`, async () => {
      const chart = charts.find((c) => c.name === name)!;
      const { svg, warnings } = await renderSvg(chart.spec);
      expect(warnings).toEqual([]);
      const labels = labelBoxes(svg).filter((b) => /bit\/s$/.test(b.text));
      expect(labels.length).toBeGreaterThanOrEqual(6);
      for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) expect(overlap(labels[i], labels[j]), `${labels[i].text} over ${labels[j].text}`).toBe(false);
      const centres = pointCentres(svg);
      expect(centres).toHaveLength(21);
      for (const l of labels) {
        // Its own point is the nearest; every other mark (a 5 px radius) is clear of it.
        const d = centres.map(([x, y]) => Math.hypot(Math.max(l.x0 - x, 0, x - l.x1), Math.max(l.y0 - y, 0, y - l.y1)));
        const own = d.indexOf(Math.min(...d));
        const hits = centres.filter(([x, y], k) => k !== own && x + 5 > l.x0 && x - 5 < l.x1 && y + 5 > l.y0 && y - 5 < l.y1);
        expect(hits, l.text).toEqual([]);
        expect(d.filter((v) => v <= d[own]), `${l.text}: as near another point`).toHaveLength(1);
      }
    });
  }
});

describe('placeLabels', () => {
  const scale = (size: number): PixelScale => ({ type: 'linear', domain: [0, 100], size });

  it('places the ends of each series first, then the rest in order, and drops what has no room', () => {
    // Five points 4 px apart on one line: no room between them for more than the ends.
    const points = [0, 1, 2, 3, 4].map((i) => ({ series: 'a', order: i, x: 40 + i, y: 50, text: `p${i}` }));
    const placed = placeLabels(points, scale(400), scale(200), 9);
    expect(placed[0]).not.toBeNull();
    expect(placed[4]).not.toBeNull();
    expect(placed.slice(1, 4)).toEqual([null, null, null]);
  });

  it('one label for points of a series on one pixel, naming them all', () => {
    const points = [1, 2, 3].map((i) => ({ series: 'a', order: i, x: i === 1 ? 20 : 60, y: 50, text: String(i) }));
    const placed = placeLabels(points, scale(400), scale(200), 9);
    expect(placed.map((p) => p?.text ?? null)).toEqual(['1', null, '2, 3']);
  });

  it('keeps labels inside the plot: a point at the right edge gets its label on its left', () => {
    const placed = placeLabels([{ series: 'a', order: 0, x: 100, y: 50, text: 'far right' }], scale(400), scale(200), 9);
    expect(placed[0]!.side).toBe('nw');
  });
});
