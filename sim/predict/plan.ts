// A prediction as a sweep: the scenario built from the transcript, planned by the sweep's own planner
// (every point loaded, resolved and validated before anything runs), its definition naming the
// command that reproduces it. Platform-neutral: the CLI reads or records the transcript and runs
// the plan on its executor; a test runs it in this thread.
import YAML from 'yaml';
import { planSweep, shellQuote, type SweepPlan } from '../experiment/sweep-plan.js';
import { read } from '../pipeline/index.js';
import { fitWorkload, type WorkloadFit } from './fit.js';
import { predictScenario, type PredictSettings } from './scenario.js';
import { parseTranscript, type Transcript } from './transcript.js';

/** The scenario and transcript files a prediction writes beside its outputs (so it can be rerun). */
export const SCENARIO_FILE = 'scenario.yaml';
export const TRANSCRIPT_FILE = 'transcript.jsonl';

export interface PredictSpec extends PredictSettings {
  /** The transcript's text and its name (for messages). */
  text: string;
  file: string;
  trials: number;
  seed: number;
  /** The command line that reproduces the prediction (the report shows it). */
  command: string;
}

export interface PredictPlan {
  transcript: Transcript;
  fit: WorkloadFit;
  plan: SweepPlan;
  /** What is a range and why. */
  ranges: string[];
  /** What the prediction leaves out. */
  notes: string[];
  scenarioText: string;
}

/** Read, fit, build and plan a prediction; bad input is an InputError before anything runs. */
export function planPrediction(spec: PredictSpec): PredictPlan {
  const transcript = parseTranscript(spec.text, spec.file);
  const fit = fitWorkload(transcript);
  const built = predictScenario(transcript, fit, spec);
  const notes = built.alternatives.map((a) => `# The prediction also runs ${a}\n`).join('');
  const scenarioText = `# Written by vmsim predict from ${spec.file}; rerun with: ${spec.command}\n${notes}${YAML.stringify(built.doc)}`;
  const scenario = read(SCENARIO_FILE, scenarioText);
  const plan = planSweep({
    scenarioArg: SCENARIO_FILE,
    scenario,
    axes: built.axes,
    trials: spec.trials,
    seed: spec.seed,
    title: `Prediction: ${spec.file}`,
    description: `${built.doc.description as string}; ${spec.trials} trials per point over the ranges below`,
  });
  plan.definition.command = spec.command;
  return { transcript, fit, plan, ranges: built.ranges, notes: built.notes, scenarioText };
}

/** The command line that reproduces a prediction from its recorded transcript. */
export function predictCommand(s: { transcript: string; bandwidth: string; downtime_limit: string; policies: readonly string[]; link?: string; deadline: string; trials: number; seed: number }): string {
  return [
    'vmsim predict',
    `--transcript ${shellQuote(s.transcript)}`,
    `--bandwidth ${shellQuote(s.bandwidth)}`,
    `--downtime-limit ${shellQuote(s.downtime_limit)}`,
    `--policies ${shellQuote(s.policies.join(','))}`,
    ...(s.link === undefined ? [] : [`--link ${shellQuote(s.link)}`]),
    `--deadline ${shellQuote(s.deadline)}`,
    `--trials ${s.trials}`,
    `--seed ${s.seed}`,
  ].join(' ');
}
