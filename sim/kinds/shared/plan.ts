// Running a policy's plan to its end: the run stops when the plan returns; a plan that is still
// waiting when nothing is left to happen is a deadlock, and a plan that failed stops the run with
// its own error.
import type { ProcessBody } from '../../engine/index.js';
import { ModelError, messages } from '../../errors.js';
import type { World } from '../../world/index.js';

export function runPlan(world: World, policyName: string, body: ProcessBody<void>): void {
  const plan = world.sim.process(body);
  plan.then(() => world.sim.stop());
  world.sim.run();
  if (plan.state !== 'processed') throw new ModelError(messages.deadlock(`policy "${policyName}"`, world.now));
  if (!plan.ok) throw plan.error as Error;
}
