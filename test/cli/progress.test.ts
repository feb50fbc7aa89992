// Progress off a terminal: plain lines at the first finished run, then at most every few seconds,
// then at the end; --quiet prints nothing. A fake clock makes the lines exact.
import { describe, expect, it } from 'vitest';
import { progressLine, startProgress } from '../../sim/cli/progress.js';

function fakeStream(): { write: (s: string) => void; text: () => string } {
  let out = '';
  return { write: (s: string) => void (out += s), text: () => out };
}

describe('progress', () => {
  it('formats runs done, share, rate and ETA', () => {
    expect(progressLine('sweep x', 120, 1000, 10)).toBe('sweep x: 120/1000 runs (12%), 12.0 runs/s, ETA 1 min 13 s');
    expect(progressLine('sweep x', 1000, 1000, 4)).toBe('sweep x: 1000/1000 runs (100%), 250 runs/s, done');
    expect(progressLine('s', 0, 10, 0)).toBe('s: 0/10 runs (0%), 0.00 runs/s, ETA ?');
  });

  it('plain lines: first run, then every 5 s, then the end', () => {
    const { write, text } = fakeStream();
    let t = 100;
    const p = startProgress({ total: 100, label: 'sw', write, now: () => t });
    for (let done = 1; done <= 100; done++) {
      t += 0.125; // exact in binary: 40 runs are exactly 5 s
      p.update(done);
    }
    p.stop();
    const lines = text().trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[1].split(' ')[1])).toEqual(['1/100', '41/100', '81/100', '100/100']);
    expect(lines[3]).toBe('sw: 100/100 runs (100%), 8.00 runs/s, done');
  });

  it('a stop after an interruption shows where it stopped; --quiet prints nothing', () => {
    const { write, text } = fakeStream();
    let t = 0;
    const p = startProgress({ total: 10, label: 'sw', write, now: () => t });
    t = 1;
    p.update(1);
    t = 2;
    p.update(2);
    p.note('stopping');
    p.stop();
    expect(text()).toBe('sw: 1/10 runs (10%), 1.00 runs/s, ETA 9 s\nstopping\nsw: 2/10 runs (20%), 1.00 runs/s, ETA 8 s\n');
    const q = fakeStream();
    const quiet = startProgress({ total: 10, label: 'sw', write: q.write, quiet: true });
    quiet.update(10);
    quiet.note('x');
    quiet.stop();
    expect(q.text()).toBe('');
  });
});
