// A small sweep with three variants (two tuned pre-copies and post-copy) over three bandwidths, in
// which pre-copy cannot converge at 10 Mbit/s before its 10 s deadline: a 32 MiB VM writing 2,000
// pages/s into a 2 MiB working set. 18 runs, a few seconds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const GOAL_VARIANTS = ['pre-50ms', 'pre-300ms', 'postcopy'];

export function writeGoalSweep(dir: string, scenario = 'precopy-qemu'): string {
  const file = join(dir, 'sweep.yaml');
  writeFileSync(
    file,
    [
      `scenario: ${scenario}`,
      'trials: 2',
      'variants:',
      '  pre-50ms: { policy: precopy, options: { rules: qemu, max_bandwidth: 1Gbit/s, downtime_limit: 50ms, deadline: 10s } }',
      '  pre-300ms: { policy: precopy, options: { rules: qemu, max_bandwidth: 1Gbit/s, downtime_limit: 300ms, deadline: 10s } }',
      '  postcopy: { policy: postcopy, options: {} }',
      'set:',
      '  vm.memory: 32MiB',
      '  vm.working_set: "[{name: hot, size: 2MiB, rate: 2000 pages/s}]"',
      '  link.bandwidth: 10Mbit/s..1Gbit/s:log:3',
      `  variant: [${GOAL_VARIANTS.join(', ')}]`,
      '',
    ].join('\n'),
  );
  return file;
}
