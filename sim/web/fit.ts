// A faceted chart (a metric against one swept parameter, one small chart per value of the others)
// laid out for the width the page has: as many columns of readable cells as fit, wrapping the rest,
// instead of the report's three columns scaled down until the ticks are 7 px. Only the layout
// changes; the data and encodings are the CLI's spec.
import type { TopLevelSpec } from 'vega-lite';

/** Room a cell needs beside its plot: the y axis, its title and the gap to the next cell (px). */
const CELL_CHROME = 95;
const MIN_CELL = 220;
const MAX_CELL = 340;

/** `spec` with its facet columns and cell width fitted to `width` px (other specs unchanged). */
export function fitFacets(spec: TopLevelSpec, width: number): TopLevelSpec {
  const s = spec as unknown as { facet?: unknown; columns?: number; spec?: { width?: unknown } };
  if (s.facet === undefined || s.spec === undefined || typeof s.columns !== 'number') return spec;
  const room = Math.max(MIN_CELL + CELL_CHROME, Math.floor(width));
  // The fewest columns whose cells are at most MAX_CELL wide, then cells as wide as the room allows.
  const columns = Math.max(1, Math.min(s.columns, Math.floor(room / (MIN_CELL + CELL_CHROME))));
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(room / columns) - CELL_CHROME));
  return { ...(spec as object), columns, spec: { ...s.spec, width: cell } } as unknown as TopLevelSpec;
}

/** Whether the spec is faceted or stacked in panels (a cluster's Gantt chart): its figure takes the row's full width. */
export const isFaceted = (spec: TopLevelSpec): boolean => (spec as { facet?: unknown }).facet !== undefined || (spec as { vconcat?: unknown }).vconcat !== undefined;
