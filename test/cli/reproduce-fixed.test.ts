// A reproduction never silently drops an override (issue 19, item 3): a --set of a field the
// reproduction sets itself is refused, exit 2, naming the field and why, with nothing written; any
// other is applied and recorded (test/isr/reproduce-cli.test.ts and test/qemu/reproduce-cli.test.ts
// check the columns).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, vmsim } from '../helpers/cli.js';
import { expectInputFailure } from '../helpers/isr.js';
import { ISR_FIXED, QEMU_FIXED, refuseFixed } from '../../sim/cli/reproduce-fixed.js';
import { InputError } from '../../sim/errors.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
const tmp = mkdtempSync(join(tmpdir(), 'vmsim-reproduce-fixed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('a reproduction refuses overrides of the fields it sets', () => {
  it("isr-2005: the issue's link.bandwidth=1bit/s and policy=nope, and link as a whole, variant", async () => {
    const cases: Array<[string, string]> = [
      ['link.bandwidth=1bit/s', 'the bandwidth of each cell'],
      ['policy=nope', 'every policy of reproduce.policies'],
      ['link={bandwidth: 1bit/s, latency: 1ms}', 'it holds link.bandwidth'],
      ['variant=x', 'not variants'],
    ];
    for (const [set, why] of cases) {
      const r = await vmsim(['reproduce', 'isr-2005', '--set', set, '--out', join(tmp, 'o')]);
      expectInputFailure(r, `--set ${set.split('=')[0]}: reproduce isr-2005 fixes this field`, why);
      expect(existsSync(join(tmp, 'o'))).toBe(false);
    }
  });

  it("qemu-7.2: each row's mode, working set and max-bandwidth", async () => {
    for (const set of ['policy=precopy', 'options.max_bandwidth=1MiB/s', 'options.xbzrle=true', 'vm.working_set=[]', 'vm={memory: 1GiB}']) {
      const r = await vmsim(['reproduce', 'qemu-7.2', '--set', set, '--out', join(tmp, 'q')]);
      expectInputFailure(r, `--set ${set.split('=')[0]}: reproduce qemu-7.2 fixes this field`);
      expect(existsSync(join(tmp, 'q'))).toBe(false);
    }
  });

  it('fields the reproduction does not set pass (they are applied and recorded)', () => {
    expect(() => refuseFixed('isr-2005', ['link.latency=20ms', 'vm.memory=1GB', 'options.chunk=1MB'], ISR_FIXED)).not.toThrow();
    expect(() => refuseFixed('qemu-7.2', ['options.downtime_limit=30ms', 'link.latency=1ms', 'vm.memory=1GiB'], QEMU_FIXED)).not.toThrow();
    expect(() => refuseFixed('isr-2005', ['link.bandwidth.x=1'], ISR_FIXED)).toThrow(InputError);
  });
});
