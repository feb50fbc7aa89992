// Which points of a scatter chart get their text label, so that no two labels print over each
// other or over another point's mark. Each point's pixel position comes from the chart's own
// scales (the domain is fixed here and written into the spec, so the estimate is the drawing), and
// each label's box from its text length and font size. Greedy and deterministic: the first and last
// point of each series are placed first, then the rest in axis order; a label goes above right of
// its point, else above left, below right, below left, above or below it, and is dropped when none
// of those is inside the plot and clear (over no kept label and no mark, nearer its own point than
// any other). A dropped label's text stays in the point's tooltip.

/** One axis of the plot: the scale's type, its domain and its length in pixels. */
export interface PixelScale {
  type: 'log' | 'linear';
  domain: readonly [number, number];
  /** Pixels from the domain's start to its end. */
  size: number;
}

/** Where a label sits against its point: above right, above left, below right, below left, above, below. */
export type LabelSide = 'ne' | 'nw' | 'se' | 'sw' | 'n' | 's';
/** In the order tried. */
export const LABEL_SIDES: readonly LabelSide[] = ['ne', 'nw', 'se', 'sw', 'n', 's'];

/** The gap between a point's centre and its label, in pixels, across and up or down. */
export const LABEL_DX = 6;
export const LABEL_DY = 6;
/** A point's mark, in px² (Vega-Lite's `size`). */
export const MARK_SIZE = 70;
/** Half the side of the box a point's mark covers: a circle of MARK_SIZE has a radius of 4.7 px. */
export const MARK_RADIUS = Math.ceil(Math.sqrt(MARK_SIZE / Math.PI));
/** Width of a character of the chart's sans-serif font, in em (DejaVu Sans' digits are 0.64 em, Arial's 0.56). */
export const CHAR_EM = 0.6;
/** A line of text is this many em high (ascent and descent). */
export const LINE_EM = 1.2;

/** A 1-2-5 step that cuts [0, span] into about `count` pieces (d3's tick step, which Vega's `nice` uses). */
function tickStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const e = raw / power;
  return power * (e >= Math.sqrt(50) ? 10 : e >= Math.sqrt(10) ? 5 : e >= Math.sqrt(2) ? 2 : 1);
}

/**
 * The domain a chart axis shows for these values: a log axis whole decades with room for a mark
 * at either end, a linear axis from zero to a round number. Written into the spec (`nice: false`) so
 * that labels are placed on the scale the chart draws.
 */
export function axisDomain(values: readonly number[], log: boolean, size: number): [number, number] {
  const xs = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (xs.length === 0) return log ? [1, 10] : [0, 1];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  if (log) {
    // About MARK_RADIUS pixels of room either side before rounding out to decades.
    const pad = ((Math.log10(hi) - Math.log10(lo)) * 2 * MARK_RADIUS) / Math.max(1, size - 4 * MARK_RADIUS) || 0.1;
    return [10 ** Math.floor(Math.log10(lo) - pad), 10 ** Math.ceil(Math.log10(hi) + pad)];
  }
  const from = Math.min(0, lo);
  const to = Math.max(0, hi);
  if (to === from) return [0, 1];
  const step = tickStep(to - from, 10);
  return [Math.floor(from / step) * step, Math.ceil(to / step) * step];
}

/** A value's distance in pixels from the start of the scale's domain. */
export function toPixel(v: number, s: PixelScale): number {
  const t = s.type === 'log' ? Math.log10 : (x: number): number => x;
  return ((t(v) - t(s.domain[0])) / (t(s.domain[1]) - t(s.domain[0]))) * s.size;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** How far a point is from a box (0 inside it). */
const distance = (x: number, y: number, b: Box): number => Math.hypot(Math.max(b.x0 - x, 0, x - b.x1), Math.max(b.y0 - y, 0, y - b.y1));

/** The box of a label of `chars` characters on `side` of a point at (px, py), y down. */
export function labelBox(px: number, py: number, chars: number, fontSize: number, side: LabelSide): Box {
  const w = chars * CHAR_EM * fontSize;
  const h = LINE_EM * fontSize;
  const x0 = side === 'n' || side === 's' ? px - w / 2 : side === 'ne' || side === 'se' ? px + LABEL_DX : px - LABEL_DX - w;
  const y0 = side.startsWith('n') ? py - LABEL_DY - h : py + LABEL_DY;
  // A pixel of room all round: Vega rounds a text's baseline to whole pixels.
  return { x0: x0 - 1, y0: y0 - 1, x1: x0 + w + 1, y1: y0 + h + 1 };
}

export interface LabelPoint {
  series: string;
  /** Order along the series (the swept parameter's value); ties keep the input order. */
  order: number;
  x: number;
  y: number;
  text: string;
}

/** A label placed: the side of its point it sits on and its text. */
export interface PlacedLabel {
  side: LabelSide;
  text: string;
}

/**
 * For each point (in the input order), its label's side and text, or null where it has none.
 * Points of one series on the same pixel share one label ("2, 3, 4"), on the first of them placed.
 * `fontSize` in pixels; x grows right, y grows up (as the data do).
 */
export function placeLabels(points: readonly LabelPoint[], xs: PixelScale, ys: PixelScale, fontSize: number): Array<PlacedLabel | null> {
  const px = points.map((p) => toPixel(p.x, xs));
  const py = points.map((p) => ys.size - toPixel(p.y, ys));
  const marks: Box[] = points.map((_, i) => ({ x0: px[i] - MARK_RADIUS, y0: py[i] - MARK_RADIUS, x1: px[i] + MARK_RADIUS, y1: py[i] + MARK_RADIUS }));
  const series = [...new Set(points.map((p) => p.series))];
  const along = series.map((s) =>
    points
      .map((p, i) => ({ p, i }))
      .filter((e) => e.p.series === s)
      .sort((a, b) => a.p.order - b.p.order || a.i - b.i)
      .map((e) => e.i),
  );
  const ends = along.flatMap((idx) => [...new Set([idx[0], idx[idx.length - 1]])]);
  const rest = along.flatMap((idx) => idx.slice(1, -1));
  const at = (i: number): string => JSON.stringify([points[i].series, Math.round(px[i]), Math.round(py[i])]);
  const same = (i: number, j: number): boolean => Math.round(px[i]) === Math.round(px[j]) && Math.round(py[i]) === Math.round(py[j]);
  const texts = new Map<string, string[]>();
  for (const idx of along) for (const i of idx) if (points[i].text !== '') texts.set(at(i), [...new Set([...(texts.get(at(i)) ?? []), points[i].text])]);
  const kept: Box[] = [];
  const done = new Set<string>();
  const placed: Array<PlacedLabel | null> = points.map(() => null);
  for (const i of [...ends, ...rest]) {
    if (points[i].text === '' || done.has(at(i))) continue;
    done.add(at(i));
    const text = texts.get(at(i))!.join(', ');
    for (const side of LABEL_SIDES) {
      const b = labelBox(px[i], py[i], [...text].length, fontSize, side);
      const inside = b.x0 >= 0 && b.x1 <= xs.size && b.y0 >= 0 && b.y1 <= ys.size;
      // A label as near another point as its own would be read as that point's (unless they coincide).
      const own = distance(px[i], py[i], b);
      const clear = !kept.some((k) => overlaps(k, b)) && !marks.some((m, j) => j !== i && (overlaps(m, b) || (distance(px[j], py[j], b) <= own && !same(i, j))));
      if (inside && clear) {
        placed[i] = { side, text };
        kept.push(b);
        break;
      }
    }
  }
  return placed;
}
