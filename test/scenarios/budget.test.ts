// The memory estimate behind limits.max_memory (scenarios/budget.ts) against what built worlds
// really hold in typed arrays after a run (counted by walking the world's object graph): never
// below it (or a run could pass the check and still not fit), and not wildly above it (or
// sensible runs would be refused).
import { describe, expect, it } from 'vitest';
import { estimate } from '../../scenarios/budget.js';
import { buildScenario } from '../../scenarios/build.js';
import { readScenario } from '../helpers/scenarios.js';
import { choosePolicy } from '../../sim/choice.js';
import { runOne } from '../../sim/run.js';

/** Bytes of every distinct ArrayBuffer reachable from `root`. */
function typedBytes(root: unknown): number {
  const seen = new Set<unknown>();
  const buffers = new Set<ArrayBufferLike>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      buffers.add(v.buffer);
      continue;
    }
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    for (const k of Object.getOwnPropertyNames(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (d && 'value' in d) stack.push(d.value);
    }
  }
  let n = 0;
  for (const b of buffers) n += b.byteLength;
  return n;
}

function held(scenario: string, sets: string[]): { estimated: number; measured: number } {
  const loaded = readScenario(scenario, sets);
  const prepared = choosePolicy(loaded, undefined);
  const { world, setup } = buildScenario(loaded.scenario, 1);
  const record = runOne({ scenario: loaded.scenario.name, world, setup, policy: prepared.policy, options: prepared.options, seed: 1, trial: 0 });
  return { estimated: estimate(loaded.scenario).bytes, measured: typedBytes([world, setup, record]) };
}

describe('the memory estimate', () => {
  it.each<[string, string[]]>([
    ['stop-and-copy', ['vm.memory=512MiB']],
    ['precopy-qemu', ['vm.memory=512MiB']],
    ['postcopy', ['vm.memory=256MiB']],
    ['handoff', ['vm.memory=64MiB', 'vm.disk.size=256MiB']],
    ['vdi', ['vm.memory=64MiB']],
    ['isr-2005', []],
  ])('%s %j: at least what the world holds after a run, at most 4x', (scenario, sets) => {
    const { estimated, measured } = held(scenario, sets);
    expect(measured).toBeGreaterThan(100_000);
    expect(estimated).toBeGreaterThanOrEqual(measured);
    expect(estimated).toBeLessThanOrEqual(4 * measured + 100_000);
  });

  it('fork: at least its typed arrays (the estimate also counts the heap maps of the page draw)', () => {
    const { estimated, measured } = held('fork', ['clones=8']);
    expect(measured).toBeGreaterThan(100_000);
    expect(estimated).toBeGreaterThanOrEqual(measured);
  });

  it('grows with the fields that make a run big and names the biggest', () => {
    const small = estimate(readScenario('fork', ['clones=2']).scenario);
    const big = estimate(readScenario('fork', ['clones=32']).scenario);
    expect(big.bytes).toBeGreaterThan(small.bytes * 4);
    expect(estimate(readScenario('stop-and-copy', ['vm.memory=64GiB']).scenario).parts[0].fields).toBe('vm.memory / vm.page_size');
  });
});
