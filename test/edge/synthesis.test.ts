// VM synthesis: each stage's time from its own rate; not pipelined, the stages add up; pipelined,
// the slowest stage sets the pace (from the chunked mechanism, not a formula); bad overlays exit 2.
import { describe, expect, it } from 'vitest';
import { loadNamedScenario } from '../../sim/cli/files.js';
import { inputError } from '../helpers/errors.js';
import { runEdge } from './helpers.js';

// scenarios/edge/synthesis.yaml: 100 MB overlay at 40% (250 MB decompressed), 100 Mbit/s + 5 ms,
// decompress 100 MB/s, disk write 60 MB/s, disk read 100 MB/s, 1 GB memory image, 1 s VMM start.
const TRANSFER = (100e6 * 8) / 100e6 + 0.005;
const DECOMPRESS = 250e6 / 100e6;
const APPLY = 250e6 / 60e6;
const RESUME = 1e9 / 100e6 + 1;

describe('synthesis, stages in sequence', () => {
  const m = runEdge('synthesis').metrics;

  it('measures each stage at its own rate', () => {
    expect(m.overlay_bytes).toBe(100e6);
    expect(m.overlay_decompressed_bytes).toBeCloseTo(250e6, 0);
    expect(m.transfer_s).toBeCloseTo(TRANSFER, 9);
    expect(m.decompress_s).toBeCloseTo(DECOMPRESS, 9);
    expect(m.apply_s).toBeCloseTo(APPLY, 9);
    expect(m.resume_s).toBeCloseTo(RESUME, 9);
  });

  it('takes the sum of the stage times', () => {
    expect(m.synthesis_s).toBeCloseTo(m.transfer_s + m.decompress_s + m.apply_s + m.resume_s, 9);
    expect(m.synthesis_s).toBeCloseTo(TRANSFER + DECOMPRESS + APPLY + RESUME, 9);
    // The first use adds the user's first request and reply over the link.
    expect(m.time_to_first_use_s).toBeCloseTo(m.synthesis_s + 0.01, 9);
  });

  it('grows with the overlay and shrinks with bandwidth', () => {
    const big = runEdge('synthesis', ['overlay.size=200MB']).metrics;
    const slow = runEdge('synthesis', ['link.bandwidth=5Mbit/s']).metrics;
    expect(big.transfer_s).toBeCloseTo(16.005, 9);
    expect(slow.transfer_s).toBeCloseTo(160.005, 9);
    expect(big.synthesis_s).toBeGreaterThan(m.synthesis_s);
  });
});

describe('synthesis, pipelined over chunks', () => {
  const cases: Array<[string, string[], number]> = [
    ['the link', [], TRANSFER],
    ['decompression', ['link.bandwidth=1Gbit/s', 'cloudlet.decompress=20MB/s'], 250e6 / 20e6],
    ['the disk', ['link.bandwidth=1Gbit/s', 'cloudlet.disk_write=10MB/s'], 250e6 / 10e6],
  ];
  it.each(cases)('is paced by its slowest stage: %s', (_, sets, slowest) => {
    const seq = runEdge('synthesis', sets).metrics;
    const pipe = runEdge('synthesis', [...sets, 'options.pipelined=true']).metrics;
    // Stage work is the same; only the overlap changes.
    expect(pipe.decompress_s).toBeCloseTo(seq.decompress_s, 9);
    expect(pipe.apply_s).toBeCloseTo(seq.apply_s, 9);
    const body = pipe.synthesis_s - pipe.resume_s;
    expect(Math.max(pipe.transfer_s, pipe.decompress_s, pipe.apply_s)).toBeCloseTo(slowest, 6);
    // One 1 MiB chunk of a 100 MB overlay through the other stages: about 1% more than the slowest.
    expect(body).toBeGreaterThanOrEqual(slowest);
    expect((body - slowest) / slowest).toBeLessThan(0.02);
    expect(pipe.synthesis_s).toBeLessThan(seq.synthesis_s);
  });

  it('with one chunk is the sequential case', () => {
    const one = runEdge('synthesis', ['options.pipelined=true', 'options.chunk=100MB']).metrics;
    expect(one.synthesis_s).toBeCloseTo(TRANSFER + DECOMPRESS + APPLY + RESUME, 9);
  });

  it('with a one-chunk buffer is stop-and-wait: the sequential time plus a latency per further chunk', () => {
    const tight = runEdge('synthesis', ['options.pipelined=true', 'options.buffer_chunks=1']).metrics;
    const chunks = Math.ceil(100e6 / 2 ** 20);
    expect(tight.synthesis_s).toBeCloseTo(TRANSFER + DECOMPRESS + APPLY + RESUME + (chunks - 1) * 0.005, 9);
  });
});

describe('synthesis, bad input', () => {
  it('refuses an overlay larger than the VM, naming the field', () => {
    const e = inputError(() => loadNamedScenario('synthesis', ['overlay.size=10GB']));
    expect(e.message).toMatch(/field overlay\.size: the overlay \(10000000000 bytes\) is larger than the VM/);
  });
  it('refuses an overlay that decompresses to more than the VM', () => {
    const e = inputError(() => loadNamedScenario('synthesis', ['overlay.size=4GB', 'overlay.compress_ratio=10%']));
    expect(e.message).toMatch(/field overlay\.size: the overlay decompresses to/);
  });
  it('refuses a memory delta larger than the base memory', () => {
    const e = inputError(() => loadNamedScenario('synthesis', ['overlay.size=1GB', 'overlay.memory_share=90%']));
    expect(e.message).toMatch(/field overlay\.memory_share: the memory delta/);
  });
  it('refuses a bare number', () => {
    const e = inputError(() => loadNamedScenario('synthesis', ['overlay.size=100']));
    expect(e.message).toMatch(/field overlay\.size/);
  });
});
