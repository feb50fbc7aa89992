// Turning a loaded scenario into runs, for the CLI's commands: the policy choice (sim/choice.ts) and
// running a point's trials with errors naming the scenario file (sim/experiment/run-plan.ts).
export { inFile, runTrials, type RunPlan } from '../experiment/run-plan.js';
export { BUILT_IN, PolicySet, policyFor, preparePolicy, type PolicySource, type Prepared } from '../choice.js';
