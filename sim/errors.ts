// Every message a user can see is built here, so wording stays consistent and tests can assert it.
// Exit codes: 2 bad input, 3 model error (an impossible transition), 4 a runaway guard fired.

export class VmsimError extends Error {
  readonly exitCode: number = 1;
}

/** Bad input: a scenario, an option, a quantity. One paragraph; never a stack trace. */
export class InputError extends VmsimError {
  override readonly exitCode = 2;
  constructor(message: string, readonly where?: { file?: string; path?: string }) {
    super(message);
    this.name = 'InputError';
  }
}

/** The model was asked to do something impossible (e.g. resume a VM that is running). */
export class ModelError extends VmsimError {
  override readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

/** A runaway guard fired: too many events or too much simulated time. */
export class LimitError extends VmsimError {
  override readonly exitCode = 4;
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** A sweep stopped by a signal; completed runs were written as partial output. 130 for SIGINT, 143 for SIGTERM. */
export class Interrupted extends VmsimError {
  override readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = 'Interrupted';
    this.exitCode = exitCode;
  }
}

const at = (file?: string, path?: string): string => {
  const parts = [file, path ? `field ${path}` : undefined].filter(Boolean);
  return parts.length ? `${parts.join(', ')}: ` : '';
};

export const messages = {
  badQuantity: (text: string, kind: string, examples: string) =>
    `cannot read "${text}" as ${kind}; expected a number with a unit, e.g. ${examples}`,
  notPositive: (text: string, kind: string) => `${kind} must be greater than zero, got "${text}"`,
  negative: (text: string, kind: string) => `${kind} must not be negative, got "${text}"`,
  tooLarge: (text: string, kind: string, limit: string) => `${kind} must be at most ${limit}, got "${text}"`,
  badNetem: (text: string, detail: string) =>
    `cannot read netem spec "${text}": ${detail}; expected e.g. "rate 10mbit delay 20ms jitter 2ms loss 0.1%"`,
  inField: (file: string | undefined, path: string | undefined, detail: string) => `${at(file, path)}${detail}`,
  scenarioMissing: () => 'name a scenario: a YAML or JSON file, or a shipped scenario such as isr-2005 (see the README)',
  fileMissing: (file: string) => `scenario file ${file} does not exist`,
  fileUnreadable: (file: string, why: string) => `cannot read ${file}: ${why}`,
  fileSyntax: (file: string, why: string) => `${file} is not valid YAML or JSON: ${why}`,
  unknownPolicy: (name: string, known: readonly string[]) =>
    `unknown policy "${name}"; known policies: ${known.join(', ')}`,
  policyKind: (name: string, kind: string, scenarioKind: string) =>
    `policy "${name}" is a ${kind} policy and cannot run scenarios of kind ${scenarioKind}`,
  badSet: (arg: string) => `--set takes PATH=VALUE (e.g. --set link.bandwidth=10Mbit/s), got "${arg}"`,
  unknownSetPath: (path: string, file: string) => `--set ${path}: ${file} has no field "${path}"`,
  setThroughScalar: (path: string, parent: string, file: string) =>
    `--set ${path}: ${parent} in ${file} is a single value (e.g. a netem string), not a mapping; set ${parent} as a whole`,
  badCliNumber: (flag: string, value: unknown, expected: string) => `--${flag} must be ${expected}, got ${String(value)}`,
  emptyLookaside: (device: string, what: string) => `lookaside source "${device}" does not hold ${what}; it holds no content the run could use`,
  unknownName: (what: string, name: string, known: readonly string[]) =>
    `unknown ${what} "${name}"; known: ${known.length ? known.join(', ') : '(none)'}`,
  badTransition: (vm: string, state: string, op: string) =>
    `VM "${vm}" cannot ${op} while ${state}`,
  tooManyEvents: (limit: number, now: number) =>
    `run stopped: more than ${limit} events processed (simulated time ${now.toFixed(3)} s); raise limits.max_events in the scenario if the run is meant to be this long`,
  tooMuchTime: (limit: number) =>
    `run stopped: simulated time passed ${limit} s; raise limits.max_time in the scenario if the run is meant to be this long`,
  pastEvent: (delay: number) => `cannot schedule an event ${delay} s in the past`,
  tooManyPending: (limit: number) => `run stopped: more than ${limit} events are scheduled at once`,
  notFinite: (what: string, v: number) => `${what} must be a finite number, got ${v}`,
  deadlock: (what: string, now: number) =>
    `run stopped at ${now.toFixed(3)} s: nothing left to happen but ${what} is still waiting`,
  // sweeps, shards and merging
  badAxis: (path: string, spec: string, detail: string) =>
    `--set ${path}=${spec}: ${detail}; an axis is a value, a comma-separated list (a,b,c) or a range ` +
    `LOW..HIGH:N (N evenly spaced points) or LOW..HIGH:log:N (N log-spaced points), e.g. 64kbit/s..1Gbit/s:log:40`,
  gridTooLarge: (points: number, limit: number) => `the sweep has ${points} points; at most ${limit} are allowed (split it into several sweeps)`,
  duplicatePoint: (key: string) =>
    `two points of the sweep have the same parameter values (${key}); remove the duplicate value (after unit conversion and rounding)`,
  badSweepFile: (file: string, detail: string) => `${file}: ${detail}`,
  noScenario: () => 'name a scenario: vmsim sweep SCENARIO, or `scenario:` in the --sweep file',
  badShard: (text: string) => `--shard takes K/N with 1 <= K <= N (e.g. --shard 2/8 runs the second of eight shares), got "${text}"`,
  notShardFile: (file: string, detail: string) => `${file} is not a complete vmsim shard file: ${detail}`,
  noShardFiles: (args: readonly string[]) =>
    `no shard files (shard-K-of-N.jsonl) found in ${args.join(', ')}; run \`vmsim sweep ... --shard K/N --out DIR\` first`,
  shardsDiffer: (a: string, b: string, what: string) => `${a} and ${b} come from different sweeps (${what} differ); merge only the shards of one sweep`,
  shardTwice: (k: number, n: number, a: string, b: string) => `shard ${k}/${n} is given twice (${a} and ${b})`,
  shardsMissing: (missing: readonly number[], n: number) =>
    `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')} missing; merge needs all ${n} shards of the sweep`,
  runFailed: (key: string, detail: string) => `run ${key}: ${detail}`,
  interrupted: (signal: string, done: number, total: number, files: readonly string[]) =>
    `interrupted by ${signal} after ${done} of ${total} runs; the completed runs are in ${files.join(', ')} (marked partial)`,
} as const;
