// IsrContext.recentWrites(): the chunks the session at the suspend site wrote, most recent first,
// each once; exactly what a warm resume site lacks (the dirty state).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { parseSets } from '../../scenarios/load.js';
import { load, read } from '../../sim/pipeline/index.js';
import { buildScenario } from '../../scenarios/build.js';
import { isrContext, type IsrSetup } from '../../sim/kinds/isr/context.js';
import { localWritesBy } from '../../sim/kinds/isr/driver.js';

describe('recentWrites', () => {
  it('lists the chunks written before the suspend, latest operation first, each once', () => {
    const file = join(ROOT, 'scenarios', 'isr', 'isr-2005.yaml');
    const { scenario } = load(read(file, readFileSync(file, 'utf8')), parseSets(['resume_cache=warm']));
    const { world, setup } = buildScenario(scenario, 2005);
    const s = setup as IsrSetup;
    const { ctx } = isrContext(world, s, 'test');
    const recent = [...ctx.recentWrites()];
    // In write order, operation by operation; the latest write of a chunk is what counts.
    const order = [...localWritesBy(s.workload, 0.5)];
    const latest = order.filter((c, i) => order.lastIndexOf(c) === i).reverse();
    expect(recent).toEqual(latest);
    expect(recent.length).toBeGreaterThan(3);
    expect(new Set(recent).size).toBe(recent.length);
    // A warm resume site lacks exactly these chunks.
    expect([...ctx.missingChunks()].sort((a, b) => a - b)).toEqual([...recent].sort((a, b) => a - b));
  });
});
