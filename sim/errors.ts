// Every message a user can see is built here, so wording stays consistent and tests can assert it.
// Exit codes: 2 bad input, 3 model error (an impossible transition, or a user's policy that failed),
// 4 a runaway guard fired.

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

/**
 * A policy the user wrote (a policy file, or one handed to the API) failed while it ran: it threw, or
 * asked the model for something impossible. Exit 3 like a model error, but the message names the
 * policy and its file, since the bug is there and not in vmsim.
 */
export class PolicyError extends VmsimError {
  override readonly exitCode = 3;
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
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

/** Edit distance (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known names ordered closest first (ties keep their order). */
export function byCloseness(name: string, known: readonly string[]): string[] {
  const n = name.toLowerCase();
  return known
    .map((k, i) => ({ k, i, d: distance(n, k.toLowerCase()) - (k.toLowerCase().startsWith(n) || n.startsWith(k.toLowerCase()) ? 1 : 0) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.k);
}

/** The known name a typo most likely meant, if one is close enough to suggest. */
export function closest(name: string, known: readonly string[]): string | undefined {
  // Never the very name that was refused ("reproduce" (did you mean "reproduce"?)).
  const best = byCloseness(name, known).find((k) => k !== name);
  if (best === undefined) return undefined;
  const d = distance(name.toLowerCase(), best.toLowerCase());
  return d <= Math.max(1, Math.floor(Math.max(name.length, best.length) / 3)) ? best : undefined;
}


/** Bytes in binary units for messages: "5.6 GiB". */
export const fmtBytes = (b: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = b;
  let k = 0;
  while (v >= 1024 && k < units.length - 1) {
    v /= 1024;
    k++;
  }
  return `${k === 0 ? v : Number(v.toPrecision(3))} ${units[k]}`;
};

const article = (w: string): string => (/^[aeiou]/i.test(w) ? 'an' : 'a');

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
  notPlainNumber: (text: string) => `cannot read "${text}" as a number (this field has no unit)`,
  badNetem: (text: string, detail: string) =>
    `cannot read netem spec "${text}": ${detail}; expected e.g. "rate 10mbit delay 20ms jitter 2ms loss 0.1%"`,
  inField: (file: string | undefined, path: string | undefined, detail: string) => `${at(file, path)}${detail}`,
  scenarioMissing: () => 'name a scenario: a YAML or JSON file, or a shipped scenario such as isr-2005 (`vmsim scenarios` lists them)',
  fileMissing: (arg: string, guesses: readonly string[]) =>
    `no scenario file "${arg}" and no shipped scenario of that name${guesses.length ? `; did you mean "${guesses[0]}"?` : ''} (\`vmsim scenarios\` lists the shipped ones)`,
  scenarioIsFolder: (arg: string) => `"${arg}" is a folder, not a scenario file, and no shipped scenario has that name`,
  folderShadows: (arg: string, file: string) => `"${arg}" here is a folder, not a scenario file; using the shipped scenario ${arg} (${file})`,
  fileUnreadable: (file: string, why: string) => `cannot read ${file}: ${why}`,
  fileSyntax: (file: string, why: string) => `${file} is not valid YAML or JSON: ${why}`,
  // trust-io: special and oversized files, parsing bounds, environment failures, signals.
  notRegularFile: (file: string, what: string) => `cannot read ${file}: it is ${what}, not a regular file`,
  fileTooLarge: (file: string, size: string | undefined, cap: string, kind: string) =>
    `cannot read ${file}: it ${size === undefined ? 'holds' : `is ${size},`} more than the ${cap} ${article(kind)} ${kind} may be`,
  overBound: (file: string, what: string, limit: string) =>
    `${file}: ${what}; a scenario or sweep file may hold at most ${limit} (docs/cli.md, "Bad input, limits and exit codes")`,
  environment: (action: string, path: string, cause: string, kept: boolean) =>
    `cannot ${action} ${path}: ${cause}${kept ? '; the previous outputs there are unchanged' : ''}`,
  outLinkLoop: (flag: string, path: string) => `${flag} ${path}: it is a symbolic link that never reaches a file or folder (a loop)`,
  stoppedServing: (signal: string, file: string) => `stopped serving by ${signal}; ${file} stays written`,
  unknownPolicy: (name: string, known: readonly string[]) =>
    `unknown policy "${name}"; known policies: ${known.join(', ')}`,
  unknownPolicyOfKind: (where: string, name: string, kind: string, known: readonly string[]) =>
    `${where}: unknown policy "${name}"${closest(name, known) ? ` (did you mean "${closest(name, known)}"?)` : ''}; policies of kind ${kind}: ${known.join(', ')}`,
  policyKind: (name: string, kind: string, scenarioKind: string) =>
    `policy "${name}" is a ${kind} policy and cannot run scenarios of kind ${scenarioKind}`,
  policyKindAt: (where: string, name: string, kind: string, scenarioKind: string, known: readonly string[]) =>
    `${where}: policy "${name}" is ${article(kind)} ${kind} policy and cannot run ${article(scenarioKind)} ${scenarioKind} scenario; policies of kind ${scenarioKind}: ${known.join(', ')}`,
  unknownVariant: (where: string, name: string, known: readonly string[], guess: string | undefined) =>
    `${where}: no variant "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; ${known.length ? `the scenario declares: ${known.join(', ')}` : 'the scenario declares no variants (add a `variants:` section)'}`,
  policyAndVariant: (variant: string, flag = '--policy') => `${flag} and the scenario's variant "${variant}" both choose the policy; give one (--set variant=NAME picks a variant)`,
  policyNameClash: (file: string, name: string, other: string) => `${file}, field name: the policy is named "${name}", as ${other} is; give it a name of its own`,
  // policies from the user's files (and handed to the API)
  policyFileType: (file: string) => `${file}: a policy file is a JavaScript ES module (.js or .mjs) whose default export is the policy`,
  policyFileTypeScript: (file: string, node: string) =>
    `${file}: Node ${node} cannot load TypeScript itself; compile it (npx tsc, see docs/policies.md) and name the .js file, or use Node 22.18 or newer, which strips the types`,
  policyFileLoad: (file: string, detail: string) => `${file}: cannot load it as an ES module: ${detail}`,
  policyFileCommonJs: (file: string, detail: string) => `${file}: cannot load it as an ES module: ${detail} (CommonJS? a policy file is an ES module: \`export default definePolicy({...})\`)`,
  noPolicyExport: (file: string, named: readonly string[]) =>
    `${file}: exports no policy: its default export must be the policy (\`export default definePolicy({...})\`)${named.length ? `; it exports only ${named.map((n) => `"${n}"`).join(', ')}` : ''}`,
  // trust-code: when code runs, what a shard records of it, what a reproduction fixes
  policyOutsideFolder: (where: string, text: string, folder: string, why: string) =>
    `${where}: policy file "${text}" is outside ${folder} (${why}); a scenario or sweep file may name policy code only in its own folder or below it. To run code from elsewhere, name it yourself: --policy-file PATH (docs/security.md)`,
  policyNotRun: (file: string) => `policy file ${file} was not loaded: validate runs no code, so its options were not checked (\`vmsim run\` would load it)`,
  shardsCodeDiffer: (a: string, b: string, what: string) =>
    `${a} and ${b} were run with different code (${what}); merged results would mix two versions: run every shard again with the same vmsim and policy files`,
  reproductionFixes: (name: string, path: string, why: string) => `--set ${path}: reproduce ${name} fixes this field (${why}); to vary it, run the scenario with \`vmsim run\` or \`vmsim sweep\``,
  notAPolicy: (file: string, what: string) => `${file}: its default export is ${what}, not a policy (an object with name, kind, summary, options and plan)`,
  policyFileNotLoaded: (where: string, text: string) =>
    `${where}: "${text}" is a policy file, and it was not loaded: policy files load only in Node, with the CLI (vmsim run, vmsim sweep) or vmsim's API (loadPolicyFile, or the scenario with loadScenarioFile, then pass the policy in \`policies\`); the explorer page runs built-in policies only`,
  policyTwice: () => '--policy and --policy-file both choose the policy; give one (--policy NAME for a registered policy, --policy-file FILE for your own)',
  policyFilesAlias: (text: string, a: string, b: string) => `policy file "${text}" names two files, ${a} and ${b}; write one of them another way (e.g. an absolute path)`,
  policyFailed: (name: string, file: string | undefined, t: number, detail: string) =>
    `policy "${name}"${file === undefined ? '' : ` (${file})`} failed at simulated time ${Number(t.toPrecision(9))} s: ${detail}`,
  optionOfOtherRules: (rules: string, chosen: string) => `an option of rules: ${rules}, not of rules: ${chosen} (the rules these options follow); set rules: ${rules} to use it`,
  badSet: (arg: string) => `--set takes PATH=VALUE (e.g. --set link.bandwidth=10Mbit/s), got "${arg}"`,
  unknownSetPath: (path: string, file: string, guess?: string) =>
    `--set ${path}: ${file} has no field "${path}"${guess === undefined ? '' : `; did you mean "${guess}"?`}`,
  setThroughScalar: (path: string, parent: string, file: string) =>
    `--set ${path}: ${parent} in ${file} is a single value (e.g. a netem string), not a mapping; set ${parent} as a whole`,
  badCliNumber: (flag: string, value: unknown, expected: string) => `--${flag} must be ${expected}, got "${String(value)}"`,
  badCliValue: (flag: string, value: string, expected: string) => `${flag} takes ${expected}, got "${value}"`,
  noCommand: (known: readonly string[]) => `name a command first (its options follow it): ${known.join(', ')} (vmsim --help says more)`,
  scenarioDisagrees: (given: string, sweepFile: string, inFile: string) =>
    `the scenario "${given}" on the command line is not the sweep file ${sweepFile}'s scenario "${inFile}"; give one of them (drop the positional scenario to run the sweep file's)`,
  freeTextAxis: () => 'a free-text field takes one value (a comma in it is text), never a list of values to sweep',
  baseWithChanges: (description: string, fixed: readonly string[]) => `Based on: ${description}; this sweep sets ${fixed.join(', ')}`,
  ownDefaults: (others: readonly string[], own: string) =>
    `${others.join(', ')} ran with ${others.length === 1 ? 'its' : 'their'} own default options (and the --set options.X ${others.length === 1 ? 'it has' : 'they have'}); the scenario's options are ${own}'s`,
  badTraceFormat: (given: string, known: readonly string[]) => `--trace-format takes ${known.join(' or ')}, got "${given}"`,
  traceFormatWithoutTrace: () => '--trace-format says how to write --trace FILE: give --trace too',
  unknownCommand: (name: string, guess: string | undefined) =>
    `unknown command "${name}"${guess ? `; did you mean "${guess}"?` : ''} (vmsim --help lists the commands)`,
  unknownOption: (command: string, flag: string, guess: string | undefined, known: readonly string[]) =>
    `${command}: unknown option ${flag}${guess ? `; did you mean --${guess}?` : ''} (options of ${command}: ${known.length ? known.map((k) => `--${k}`).join(', ') : 'none'}); nothing was run`,
  extraArgument: (command: string, arg: string) => `${command}: unexpected argument "${arg}" (vmsim ${command} --help shows its arguments); nothing was run`,
  missingArgument: (command: string, name: string, what: string) => `${command}: name ${name === 'shards' ? 'the shard files' : `the ${name}`}: ${what}`,
  optionTwice: (flag: string) => `${flag} is given more than once; give it once`,
  usage: (detail: string) => `${detail.replace(/\.$/, '')} (vmsim --help shows the usage)`,
  outEmpty: (flag: string) => `${flag} is empty; name a folder (or file) for the outputs, e.g. ${flag} out/NAME`,
  outBad: (flag: string, path: string, why: string) => `${flag} ${path}: ${why}; nothing was run`,
  badReference: (where: string, ref: string, why: string) => `${where}: cannot use reference "${ref}": ${why}`,
  noReproduce: (file: string) => `${file}: has no "reproduce" section, so there is no published experiment to reproduce (isr-2005 has one)`,
  noTrials: (name: string) => `reproduce ${name} runs each reference row once (the model of a row is deterministic); --trials does not apply`,
  emptyLookaside: (device: string, what: string) => `lookaside source "${device}" does not hold ${what}; it holds no content the run could use`,
  // what a policy asked of its kind's context that the model cannot do (sim/kinds)
  notReached: (policy: string, moment: string) => `policy "${policy}" finished without reaching "${moment}"`,
  noDisk: (vm: string) => `VM "${vm}" has no disk`,
  imageNotThere: (vm: string, site: string) => `cannot launch VM "${vm}" at ${site}: its memory image is not there`,
  missNotServed: (policy: string, chunk: number, site: string) => `policy "${policy}" served a miss without bringing chunk ${chunk} to ${site}`,
  overlayOversent: (policy: string, sent: number, overlay: number) => `policy "${policy}" sent ${sent} bytes of a ${overlay}-byte overlay`,
  notResumed: (policy: string) => `policy "${policy}" finished without resuming the synthesised VM`,
  overlayUndersent: (policy: string, sent: number, overlay: number) => `policy "${policy}" sent ${sent} of ${overlay} overlay bytes`,
  notAClone: (policy: string, name: string, clones: readonly string[]) => `policy "${policy}" named "${name}", not a clone (clones: ${clones.join(', ')})`,
  notAPage: (policy: string, page: number, pages: number) => `policy "${policy}" named page ${page}; memory has ${pages}`,
  cloneTooEarly: (policy: string, clone: string) => `policy "${policy}" started clone "${clone}" before its descriptor arrived`,
  cloneTwice: (policy: string, clone: string) => `policy "${policy}" started clone "${clone}" twice`,
  workloadTooEarly: (policy: string, clone: string) => `policy "${policy}" ran the workload of clone "${clone}" before it was running`,
  pageLeftAbsent: (policy: string, page: number, clone: string) => `policy "${policy}" left page ${page} of clone "${clone}" absent without a fault to wait on`,
  resumedBeforePage: (policy: string, clone: string, page: number) => `policy "${policy}" resumed clone "${clone}" before page ${page} was present`,
  cloneUnfinished: (policy: string, clone: string) => `policy "${policy}" finished before clone "${clone}" ran its workload to the end`,
  unknownName: (what: string, name: string, known: readonly string[]) =>
    `unknown ${what} "${name}"; known: ${known.length ? known.join(', ') : '(none)'}`,
  badTransition: (vm: string, state: string, op: string) =>
    `VM "${vm}" cannot ${op} while ${state}`,
  tooManyEvents: (limit: number, now: number) =>
    `run stopped: more than ${limit} events processed (simulated time ${now.toFixed(3)} s); raise limits.max_events in the scenario if the run is meant to be this long`,
  tooLongWall: (limit: number, now: number, events: number) =>
    `run stopped: it took more than ${limit} s of wall-clock time (limits.max_wall) and had reached ${now.toFixed(3)} s of simulated time after ${events} events; raise limits.max_wall (e.g. --set limits.max_wall=10min) if the run is meant to be this long`,
  overBudget: (file: string, bytes: number, fields: string, limit: number) =>
    `${file}: refused before starting: the run would hold about ${fmtBytes(bytes)} of model state, mostly for ${fields}, more than limits.max_memory (${fmtBytes(limit)}); reduce ${fields} or raise limits.max_memory`,
  tooMuchTime: (limit: number) =>
    `run stopped: simulated time passed ${limit} s; raise limits.max_time in the scenario if the run is meant to be this long`,
  pastEvent: (delay: number) => `cannot schedule an event ${delay} s in the past`,
  tooManyPending: (limit: number) => `run stopped: more than ${limit} events are scheduled at once`,
  notFinite: (what: string, v: number) => `${what} must be a finite number, got ${v}`,
  // trust-limits: the library's argument checks (sim/api-args.ts), missing fields, capped lists
  apiArgument: (fn: string, what: string, expected: string, got: string) => `${fn}: ${what} must be ${expected}, got ${got}`,
  apiNoRecords: (fn: string) => `${fn}: the result holds no run records; there is nothing to write`,
  missingField: (expected?: string) => `missing (required${expected ? `; expected ${expected}` : ''})`,
  otherKindFields: (keys: readonly string[], more: number) =>
    `${keys.map((k) => `"${k}"`).join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}: field${keys.length + more > 1 ? 's' : ''} of another scenario kind, not of this one`,
  badName: (key: string, why: string) => `the name "${key}" is not allowed${why ? `: ${why}` : ''}`,
  apiCycle: (fn: string, path: string) => `${fn}: the scenario object contains itself at ${path || 'its top level'}; a scenario is a tree of plain values`,
  // the world and the engine
  workloadFootprint: (footprint: number, diskChunks: number) => `the workload reads ${footprint} chunks but the disk has only ${diskChunks}`,
  workloadWrites: (written: number, footprint: number) => `the workload writes ${written} chunks but reads only ${footprint}; writes go to chunks it has read`,
  workloadOperations: (apps: number, n: number) => `the workload's ${apps} applications need at least one operation each, but it has only ${n} operations`,
  noComputeTime: (thinkTotal: number, localDuration: number) =>
    `field workload.local_duration: the think times drawn for this seed (workload.think, quick_think, quick_share: ${thinkTotal} s in all) leave no compute time within the local duration (${localDuration} s); raise local_duration or lower the think times`,
  forkPages: (need: number, pages: number) => `fork workload needs ${need} distinct pages of ${pages}`,
  linkMissesSite: (link: string, site: string) => `link "${link}" does not touch site "${site}"`,
  readOnlyDevice: (device: string) => `lookaside device "${device}" is read-only`,
  noLink: (from: string, to: string) => `no link joins "${from}" and "${to}"`,
  xbzrleTooSmall: (cacheBytes: number, pageBytes: number) => `an XBZRLE cache of ${cacheBytes} bytes holds no ${pageBytes}-byte page`,
  eventTwice: () => 'an event can be triggered only once',
  interruptFinished: () => 'cannot interrupt a process that has finished',
  interruptSelf: () => 'a process cannot interrupt itself',
  badHold: (seconds: number) => `a process cannot hold for ${seconds} s`,
  badYield: (y: unknown) => `a process may yield an Event or a number of seconds, not ${String(y)}`,
  deadlock: (what: string, now: number) =>
    `run stopped at ${now.toFixed(3)} s: nothing left to happen but ${what} is still waiting`,
  // sweeps, shards and merging
  badAxis: (path: string, spec: string, detail: string) =>
    `--set ${path}=${spec}: ${detail}; an axis is a value, a comma-separated list (a,b,c) or a range ` +
    `LOW..HIGH:N (N evenly spaced points) or LOW..HIGH:log:N (N log-spaced points), e.g. 64kbit/s..1Gbit/s:log:40`,
  gridTooLarge: (points: number, limit: number) => `the sweep has ${points} points; at most ${limit} are allowed (split it into several sweeps)`,
  tooManyRuns: (points: number, trials: number, limit: number) =>
    `the sweep has ${points} points x ${trials} trials = ${points * trials} runs; at most ${limit} are allowed (split it into several sweeps)`,
  optionAppliesToNone: (path: string, ran: readonly string[]) =>
    `--set ${path}: no variant of the sweep has this option (${ran.join(', ')}); an option axis applies to the variants whose policy has the option`,
  duplicatePoint: (key: string) =>
    `two points of the sweep have the same parameter values (${key}); remove the duplicate value (after unit conversion and rounding)`,
  badSweepFile: (file: string, detail: string) => `${file}: ${detail}`,
  badDetailPoint: (text: string, detail: string, axes: readonly string[]) =>
    `--detail-point ${text}: ${detail}; name an axis of the sweep and a value, e.g. --detail-point ${axes[0] ?? 'link.bandwidth'}=VALUE (the nearest value swept is shown)${axes.length > 0 ? `; axes: ${axes.join(', ')}` : ''}`,
  noScenario: () => 'name a scenario: vmsim sweep SCENARIO, or `scenario:` in the --sweep file',
  badShard: (text: string) => `--shard takes K/N with 1 <= K <= N (e.g. --shard 2/8 runs the second of eight shares), got "${text}"`,
  // the explorer page (sim/web): links that reopen an experiment, the variant form
  linkUnreadable: () => 'this link could not be read (it was cut short or changed); the page opened with its defaults',
  linkVersion: (got: string, known: string) => `this link was made by another version of the explorer (link version ${got}, this page reads ${known}); what it could, it restored`,
  linkUnknownKeys: (keys: readonly string[]) => `this link has settings this page does not know (${keys.join(', ')}); they were left out`,
  linkNoScenario: (name: string, known: readonly string[]) => `this link names the scenario "${name}", which this page does not ship${known.length > 0 ? ` (${known.slice(0, 8).join(', ')}${known.length > 8 ? ', ...' : ''})` : ''}; the page opened the first one`,
  linkNoCompare: (items: readonly string[]) => `this link ticks ${items.map((i) => `"${i.replace(/^(variant|policy):/, '')}"`).join(', ')}, which this scenario does not offer; ${items.length > 1 ? 'they were' : 'it was'} left unticked`,
  linkRestored: (problems: readonly string[]) => `The link was restored, but: ${problems.join('; ')}.`,
  variantExists: (name: string) => `a variant named "${name}" exists already in this scenario: choose another name`,
  variantOptions: (detail: string) => `options: ${detail}; write them as YAML, e.g. {downtime_limit: 2s, auto_converge: true}, or leave empty for the policy's defaults`,
  notShardFile: (file: string, detail: string, line?: number) =>
    `${file}${line === undefined ? '' : `, line ${line}`}: not a complete vmsim shard file: ${detail}`,
  noShardFiles: (args: readonly string[]) =>
    `no shard files (shard-K-of-N.jsonl) found in ${args.join(', ')}; run \`vmsim sweep ... --shard K/N --out DIR\` first`,
  partialShards: (files: readonly string[]) =>
    `${files.join(', ')} ${files.length > 1 ? 'are partial shards' : 'is a partial shard'}: stopped before ${files.length > 1 ? 'they' : 'it'} finished; run ${files.length > 1 ? 'those shards' : 'that shard'} again, then merge`,
  shardsDiffer: (a: string, b: string, what: string) => `${a} and ${b} come from different sweeps (${what} differ); merge only the shards of one sweep`,
  shardTwice: (k: number, n: number, a: string, b: string) => `shard ${k}/${n} is given twice (${a} and ${b})`,
  shardsMissing: (missing: readonly number[], n: number) =>
    `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')} missing; merge needs all ${n} shards of the sweep`,
  runFailed: (key: string, detail: string) => `run ${key}: ${detail}`,
  // the pipeline (sim/pipeline): loading and resolving a scenario's runs, and runs kept when a sweep stops
  unknownField: (key: string) => `unknown field "${key}"`,
  unknownFields: (hints: readonly string[], more = 0) =>
    `unknown field${hints.length + more > 1 ? 's' : ''} ${hints.join(', ')}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}`,
  notMapping: () => 'expected a mapping of scenario fields at the top level',
  notPlainData: (detail: string) => `expected plain data (mappings, lists, text, numbers, true/false): ${detail}`,
  expectedOneOf: (options: readonly unknown[]) => `expected one of ${options.map((o) => `"${String(o)}"`).join(', ')}`,
  netemOrMapping: () => 'expected a netem-style string or a mapping of fields',
  fromSet: (detail: string, path: string, text: string) => `${detail} (from --set ${path}=${text})`,
  wholeAtLeastOne: (got: unknown) => `expected a whole number of at least 1, got ${String(got)}`,
  trialsRange: (max: number, got: unknown) => `expected a whole number from 1 to ${max}, got ${String(got)}`,
  inScenarioFile: (file: string, detail: string) => `${file}: ${detail}`,
  optionProblems: (where: string, policy: string, problems: readonly string[]) => `${where} ${policy}): ${problems.join('; ')}`,
  stoppedBySignal: (signal: string) => `Stopped by ${signal}`,
  stoppedByError: (detail: string) => `Stopped by an error: ${detail}`,
  rangeNotNumber: (text: string) => `cannot read "${text}" as a number (this field has no unit)`,
  rangeFewPoints: (count: number) => `a range needs at least 2 points, got ${count}`,
  rangeUnreadable: (item: string) => `cannot read "${item}" as a range (missing ":N", the number of points?)`,
  rangeLogZero: () => 'a log-spaced range needs both ends greater than zero',
  emptyAxisValue: () => 'an empty value',
  // the explorer (`vmsim explore`, and the page it writes)
  portWithoutServe: () => '--port applies only with --serve (vmsim explore --serve --port 8420)',
  portInUse: (port: number) => `--port ${port}: the port is in use; choose another (--port 0 takes any free one)`,
  serving: (url: string, file: string) => `serving ${file} at ${url} (Ctrl-C stops)`,
  compareBoth: () => 'choose variants or policies to compare, not both: a sweep compares along one variant axis or one policy axis (declare a variant for a policy to compare it with variants)',
  cancelled: (done: number, total: number) => `cancelled after ${done} of ${total} runs`,
  workerStopped: (detail: string) => `the simulation stopped unexpectedly: ${detail} (reload the page to start again)`,
  notEmbedded: (ref: string) => `${ref} is not in this page (it holds only the reference data shipped with vmsim); run \`vmsim reproduce\` for a scenario with reference data of its own`,
  interrupted: (signal: string, done: number, total: number, files: readonly string[]) =>
    `interrupted by ${signal} after ${done} of ${total} runs; the completed runs are in ${files.join(', ')} (marked partial)`,
  // inputs as ranges (sim/distribution.ts, scenarios/ranges.ts, sim/pipeline/trial.ts): a field written as a distribution
  distributionUnreadable: (text: string) => `cannot read "${text}" as a distribution; expected uniform(low, high), normal(mean, sd) or choice(v1, v2, ...)`,
  distributionUnknown: (fn: string) => `unknown distribution "${fn}"; expected uniform(low, high), normal(mean, sd) or choice(v1, v2, ...)`,
  distributionArity: (text: string, fn: string, names: string, got: number) => `${text}: ${fn} takes 2 values (${names}), got ${got}`,
  distributionEmptyValue: (text: string) => `${text}: an empty value between commas`,
  distributionEmptyChoice: (text: string) => `${text}: a choice needs at least one value`,
  distributionValue: (text: string, what: string, detail: string) => `${text}: ${what}: ${detail}`,
  distributionNotWhole: (value: string) => `this field takes whole numbers, got ${value}`,
  distributionBackwards: (text: string) => `${text}: the low end is above the high end`,
  distributionNegativeSd: (text: string) => `${text}: the standard deviation must not be negative`,
  distributionOutsideDomain: (tries: number) => `${tries} draws in a row fell outside the values this field accepts; move the mean inside them or narrow the sd`,
  distributionOutOfField: (text: string, what: string, detail: string) => `${text}: ${what} is not a value this field accepts: ${detail}`,
  distributionNotHere: (text: string, why: string) => `${text}: a distribution cannot go here: ${why}`,
  distributionFixedField: () => 'only a number or a quantity with a unit can vary from trial to trial, and this field is neither',
  distributionSetting: (what: string) => `${what} is the same for every trial`,
  distributionOnAxis: (path: string) => `${path} is a sweep axis and a distribution: a field either varies over the grid (an axis) or from trial to trial (a distribution), not both; give it one value per point, or one distribution`,
  distributionCut: (text: string) => `"${text}" is a distribution cut at its comma: inside a YAML flow mapping or list ({...} or [...]) quote it, e.g. rate: "uniform(1000 pages/s, 8000 pages/s)"`,
  drawnOverBudget: (trial: number, drawn: string, detail: string) => `trial ${trial} drew ${drawn}: ${detail}`,
  drawnInvalid: (trial: number, drawn: string, detail: string) => `trial ${trial} drew ${drawn}, which the scenario refuses: ${detail}`,
  // vmsim predict (sim/predict): reading a QMP transcript, the command's options
  transcriptLine: (file: string, line: number, detail: string) => `${file}, line ${line}: ${detail}`,
  transcriptNotJson: (detail: string) => `not a JSON object (a transcript holds one QMP reply per line, as QEMU sends them): ${detail}`,
  transcriptQmpError: (desc: string) => `QEMU answered with an error: ${desc}`,
  transcriptNotMeasured: (status: string) =>
    `a query-dirty-rate reply with status "${status}", not "measured": run query-dirty-rate again once calc-dirty-rate has finished (after its calc-time) and keep only that reply`,
  transcriptBadField: (reply: string, field: string, expected: string, got: unknown) => `${reply} reply: field "${field}" should be ${expected}, got ${JSON.stringify(got)}`,
  transcriptMigrateStatus: (status: string) =>
    `a query-migrate reply with status "${status}": only a completed migration's counts tell the zero pages; leave this reply out, or capture it after a migration of this VM completed`,
  transcriptNoMemory: (file: string) => `${file}: no query-memory-size-summary reply (its "base-memory" is the VM's memory size); capture one: {"execute": "query-memory-size-summary"}`,
  transcriptFewPoints: (file: string, got: readonly number[]) =>
    `${file}: measured dirty rates at ${got.length === 0 ? 'no calc-time' : `only calc-time ${got.join(', ')} s`}; the curve needs at least two different calc-times (e.g. 1, 2, 4 and 8 s): calc-dirty-rate {"calc-time": T, "sample-pages": 4096}, then query-dirty-rate, for each`,
  predictSource: () => 'give the measurement: --transcript FILE (QMP replies, one per line) or --qmp SOCKET (a running QEMU\'s QMP unix socket), not both',
  predictList: (option: string, detail: string) => `${option}: ${detail}`,
  // the QMP client and the measurements it takes of a running QEMU (sim/cli/qmp.ts, qmp-measure.ts)
  qmpConnect: (path: string, detail: string) => `--qmp ${path}: cannot talk to QEMU's monitor socket: ${detail}`,
  qmpTimeout: (path: string, what: string, ms: number) => `--qmp ${path}: no answer to ${what} within ${ms} ms (is it a QMP socket, and is QEMU running?)`,
  qmpClosed: (path: string, what: string) => `--qmp ${path}: the connection closed while waiting for ${what}`,
  qmpNoGreeting: (path: string) => `--qmp ${path}: expected QEMU's QMP greeting ({"QMP": ...}) first; is this a QMP socket (-qmp unix:PATH,server)?`,
  qmpLineTooLong: (path: string, max: number) => `--qmp ${path}: a line longer than ${max} bytes; QMP's replies to vmsim's commands are far shorter`,
  qmpNotJson: (path: string, line: string) => `--qmp ${path}: expected one JSON object per line, got "${line}"`,
  qmpUnexpected: (path: string, command: string, line: string) => `--qmp ${path}: ${command}: expected {"return": ...} or {"error": ...}, got "${line}"`,
  qmpCommandFailed: (path: string, command: string, cls: string, desc: string) => `--qmp ${path}: QEMU refused ${command}: ${desc} (${cls})`,
  qmpUnasked: (path: string, max: number) => `--qmp ${path}: more than ${max} replies to commands never sent; is this a QMP socket?`,
  qmpBusy: (path: string, command: string) => `--qmp ${path}: ${command} sent while another command was waiting for its reply (one at a time)`,
  qmpNotMeasured: (path: string, calcTimeS: number, status: string, ms: number) =>
    `--qmp ${path}: calc-dirty-rate over ${calcTimeS} s still "${status}" after ${ms} ms (QEMU 5.2 or later measures dirty rates)`,
  qmpMeasuring: (calcTimeS: number, i: number, n: number) => `measuring dirty rate over ${calcTimeS} s (${i} of ${n})`,
  // the cluster kind (sim/kinds/cluster, policies/cluster): many VMs over a shared network
  clusterNameTwice: (what: string, name: string) => `${what} "${name}" is given twice (names must be unique once templates are expanded)`,
  clusterMissingHost: (name: string, known: readonly string[]) => `no host "${name}"${known.length > 0 ? ` (hosts: ${known.slice(0, 5).join(', ')}${known.length > 5 ? ', ...' : ''})` : ''}`,
  clusterMissingVm: (name: string) => `no VM "${name}"`,
  clusterOwnHost: (vm: string, host: string) => `VM ${vm} is already on host ${host}: a migration must go to another host`,
  clusterOverMemory: (host: string, used: number, memory: number) => `host ${host} holds ${used} bytes of VM memory, more than its memory (${memory} bytes)`,
  clusterNoPath: (a: string, b: string) => `no path between hosts ${a} and ${b}: connect them with links (or a topology)`,
  clusterNoRoom: (vm: string, bytes: number) => `no host has room for VM ${vm} (${bytes} bytes) outside the evacuated ones`,
  clusterCycle: (moves: readonly string[]) => `these migrations cannot be ordered without a host exceeding its memory (a cycle): ${moves.slice(0, 5).join(', ')}${moves.length > 5 ? ', ...' : ''}`,
  clusterOneOperation: () => 'give exactly one of migrations, evacuate, rebalance',
  clusterMovedTwice: (vm: string) => `VM ${vm} is migrated twice; give one migration per VM`,
  clusterUnknownMigrationPolicy: (name: string, known: readonly string[]) => `unknown migration policy "${name}" (migration policies: ${known.join(', ')})`,
  clusterBadNode: (name: string) => `"${name}" is neither a host nor a switch`,
  clusterRateOrTrace: () => 'give either rate or trace (not both)',
  clusterTemplateName: (name: string) => `"${name}" names ${'{'}i} templates only when count is given`,
  // the counted memory model (vm.model: counted)
  countedNoPages: (vm: string) => `VM ${vm} has vm.model: counted, which keeps no page identities; this needs vm.model: pages`,
  countedPolicy: (policy: string, why: string) => `vm.model: counted keeps counts of pages, not page identities, and policy ${policy} ${why}; use vm.model: pages`,
  countedPattern: (pattern: string) => `vm.model: counted supports random, zipf and sequential groups; a ${pattern} group needs vm.model: pages`,
  countedVerb: (verb: string) => `${verb} needs page identities, which vm.model: counted does not keep; the policy must refuse vm.model: counted (its check)`,
  // sequential groups on the counted memory model
  countedSequentialFaults: () => "vm.model: counted does not model post-copy faults of a sequential group (its writer's accesses come in address order, the counted fault stream draws them at random); use vm.model: pages or a random group",
  // the cluster kind on the counted memory model (vms[].model, default counted)
  clusterCountedPattern: (pattern: string) => `model: counted (a cluster VM's default) supports random and zipf groups; a ${pattern} group needs model: pages on this VM template`,
  clusterCountedPolicy: (policy: string, template: number) => `migration policy ${policy} reads page identities, which model: counted (a cluster VM's default) does not keep; give vms.${template}.model: pages, or a policy that runs on counted memory (stop-and-copy, precopy with rules: qemu, postcopy)`,
  clusterCountedOption: (problem: string, template: number) => `${problem} (in a cluster: vms.${template}.model: pages)`,
} as const;
