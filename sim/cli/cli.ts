// The vmsim command line: the commands, their options, and strict parsing before any work. A typo
// in an option never runs a job: every argument is checked against the command's own options
// first (with "did you mean"), then the command module is loaded and run. Command modules are
// imported only when their command runs, so `--help` and `validate` start quickly.
import type { Argv } from 'yargs';
import parseArgv from 'yargs-parser';
import { InputError, VmsimError, closest, messages } from '../errors.js';
import type { Args } from './args.js';
import type { Io } from './io/io.js';
import { asEnvironmentError } from './io/failure.js';

interface OptionSpec {
  type: 'string' | 'boolean';
  describe: string;
  /** Repeatable: every occurrence is kept. */
  repeat?: boolean;
}

interface CommandSpec {
  /** yargs command syntax: `run <scenario>`. */
  syntax: string;
  describe: string;
  positionals: Record<string, { describe: string; array?: boolean; optional?: boolean }>;
  options: Record<string, OptionSpec>;
  run: (args: Args, io: Io) => Promise<void>;
}

const SET = 'override a scenario field by its dotted path, with units (repeatable): --set link.bandwidth=10Mbit/s; a numeric field may be a distribution drawn anew each trial: uniform(LOW,HIGH), normal(MEAN,SD) or choice(A,B,...), e.g. --set vm.memory=uniform(1GiB,2GiB) (docs/ranges.md)';
const OUT_RUN = 'output folder (default: out/<scenario name>); replaced as a whole by the new outputs (a symbolic link is written through and stays a link)';

const POLICY_FILE =
  "run your own policy: an ES module whose default export is the policy (docs/policies.md), checked like a built-in one; its code runs (from any folder: you named it) once the scenario has validated (docs/security.md)";

const opt = (describe: string, type: OptionSpec['type'] = 'string', repeat = false): OptionSpec => ({ type, describe, repeat });

export const COMMANDS: Record<string, CommandSpec> = {
  run: {
    syntax: 'run <scenario>',
    describe:
      'run a scenario (a file, or the name of a shipped scenario) and write DIR/runs.csv (one row per run) and its tables: rounds.csv and remaining.csv (migration), timeline.csv (ISR), stages.csv (synthesis), interactions.csv (vdi), clones.csv (fork), migrations.csv, links.csv and operation.csv (cluster). Policy code runs only after the scenario validated, and only the file the run uses (--policy-file, else the chosen variant\'s or the scenario\'s policy, which must lie in the scenario\'s folder tree): docs/security.md',
    positionals: { scenario: { describe: 'scenario file (YAML/JSON) or shipped scenario name (see `vmsim scenarios`)' } },
    options: {
      policy: opt("policy to run (default: the scenario's; see `vmsim policies`)"),
      'policy-file': opt(POLICY_FILE),
      seed: opt("base seed, a whole number (default: the scenario's); each trial derives its own"),
      trials: opt("number of seeded trials (default: the scenario's)"),
      set: opt(SET, 'string', true),
      out: opt(OUT_RUN),
      trace: opt('also write every world event to this file: a .json file as trace-event JSON for ui.perfetto.dev or chrome://tracing, any other name as JSON lines'),
      'trace-format': opt('format of --trace, whatever its name: perfetto (trace-event JSON) or jsonl (one world event per line)'),
      quiet: opt('print nothing on success', 'boolean'),
    },
    run: async (a, io) => (await import('./commands/run.js')).cmdRun(a, io),
  },
  validate: {
    syntax: 'validate <scenario>',
    describe: "check a scenario file (and its policy options) without running it; runs no code: a policy file is checked as a path but not loaded, so its options are not checked (vmsim run would load it; docs/security.md)",
    positionals: { scenario: { describe: 'scenario file (YAML/JSON) or shipped scenario name' } },
    options: {
      set: opt(SET, 'string', true),
      policy: opt('check the options against this policy'),
      'policy-file': opt('check that this policy file exists and is a module (it is not loaded: validate runs no code)'),
    },
    run: async (a, io) => (await import('./commands/validate.js')).cmdValidate(a, io),
  },
  reproduce: {
    syntax: 'reproduce <name>',
    describe:
      "run a published experiment and compare with it: isr-2005 (every ISR policy at 100 Mb/s, 10 Mb/s, 1 Mb/s and 100 kbit/s) or qemu-7.2 (the 33 measured QEMU 7.2 migrations, one scenario per row)",
    positionals: { name: { describe: 'isr-2005 (or another scenario with a reproduce section), or qemu-7.2' } },
    options: {
      trials: opt("seeded trials per cell (default: the scenario's, 3 for isr-2005; qemu-7.2 runs each row once)"),
      seed: opt("base seed, a whole number (default: the scenario's)"),
      set: opt(`${SET}; applied to every run and recorded as a column of runs.csv, refused (exit 2) for a field the reproduction sets itself: isr-2005 link.bandwidth, policy, variant(s); qemu-7.2 each row's policy, options.max_bandwidth, options.xbzrle, vm.working_set, ...`, 'string', true),
      out: opt('output folder (default: out/<name>); replaced as a whole by the new outputs'),
      quiet: opt('print nothing on success', 'boolean'),
    },
    run: async (a, io) => (await import('./commands/reproduce.js')).cmdReproduce(a, io),
  },
  sweep: {
    syntax: 'sweep [scenario]',
    describe:
      "run a scenario over a grid of parameters on worker threads; write runs.csv, aggregate.csv, charts and report.html. Policy code runs only after the scenario, the sweep file and every axis validated, and only the files of the policies and variants the grid runs (a scenario or sweep file may name code only in its own folder tree): docs/security.md",
    positionals: { scenario: { describe: 'scenario file or shipped name (or `scenario:` in the --sweep file)', optional: true } },
    options: {
      set: opt(
        'an axis of the grid (repeatable): PATH=VALUE, PATH=A,B,C, PATH=LOW..HIGH:N (evenly spaced) or PATH=LOW..HIGH:log:N, with units: --set link.bandwidth=64kbit/s..1Gbit/s:log:40 --set policy=stop-and-copy; a VALUE may be a distribution drawn anew each trial (uniform(LOW,HIGH), normal(MEAN,SD), choice(A,B,...): docs/ranges.md), never an axis',
        'string',
        true,
      ),
      sweep: opt('a YAML sweep file (scenario, trials, seed, set: {PATH: AXIS}); flags win over it'),
      'policy-file': opt(
        'load your own policy from this ES module (repeatable, from any folder: you named it), so --set policy=NAME,... can name it (a path works there too); with one file and no policy or variant axis the sweep runs it; its code runs once the sweep has validated (docs/security.md)',
        'string',
        true,
      ),
      trials: opt("trials per point (default: the scenario's)"),
      seed: opt("base seed, a whole number (default: the scenario's); trial k of every point uses the same derived seed"),
      workers: opt('worker threads (default: one per core); results do not depend on it'),
      shard: opt('run only share K of N (e.g. 3/8) and write OUT/shard-K-of-N.jsonl for `vmsim merge`'),
      out: opt('output folder (default: out/<scenario name>-sweep); replaced as a whole by the new outputs (shards add their file)'),
      png: opt('also render every chart to PNG', 'boolean'),
      'detail-point': opt('the point whose per-run tables (progress over time, rounds, timeline; for a cluster the Gantt chart of migrations and the busiest links) the report shows for every variant (repeatable): PATH=VALUE on an axis, the nearest value swept; default: a telling point', 'string', true),
      quiet: opt('no progress display and no summary', 'boolean'),
    },
    run: async (a, io) => (await import('./commands/sweep.js')).cmdSweep(a, io),
  },
  merge: {
    syntax: 'merge <shards..>',
    describe: 'join the shard files of a sharded sweep (files, or folders holding them) into the files one unsharded run writes; refuses shards of another sweep or run with other code (vmsim version, policy file contents)',
    positionals: { shards: { describe: 'shard-K-of-N.jsonl files or folders', array: true } },
    options: {
      out: opt('output folder (default: out/<scenario name>-sweep)'),
      png: opt('also render every chart to PNG', 'boolean'),
      'detail-point': opt('as for sweep: the point the report shows up close (repeatable PATH=VALUE)', 'string', true),
      quiet: opt('print nothing on success', 'boolean'),
    },
    run: async (a, io) => (await import('./commands/merge.js')).cmdMerge(a, io),
  },
  explore: {
    syntax: 'explore',
    describe:
      'write the explorer: one self-contained HTML file that runs the simulator in a browser (offline, from disk): edit a shipped scenario, sweep a parameter, compare policies or variants, reproduce the ISR tables, download the same CSV as vmsim sweep',
    positionals: {},
    options: {
      out: opt('the HTML file to write (default: out/explorer.html)'),
      serve: opt('also serve it on localhost (127.0.0.1) and print the URL, until Ctrl-C', 'boolean'),
      port: opt(`the port to serve on with --serve (default: 8420; 0 takes any free one)`),
    },
    run: async (a, io) => (await import('./commands/explore.js')).cmdExplore(a, io),
  },
  scenarios: {
    syntax: 'scenarios',
    describe: 'list the shipped scenarios by kind, with their descriptions',
    positionals: {},
    options: {},
    run: async (_a, io) => (await import('./commands/scenarios.js')).cmdScenarios(io),
  },
  policies: {
    syntax: 'policies',
    describe: 'list the registered transfer policies by scenario kind',
    positionals: {},
    options: { 'policy-file': opt('also load and check the policy of this ES module (repeatable) and list it', 'string', true) },
    run: async (a, io) => (await import('./commands/policies.js')).cmdPolicies(a, io),
  },
  schema: {
    syntax: 'schema',
    describe: 'print the JSON Schema of scenario files (for editor completion)',
    positionals: {},
    options: { out: opt('write to this file instead of stdout') },
    run: async (a, io) => (await import('./commands/schema.js')).cmdSchema(a, io),
  },
  predict: {
    syntax: 'predict',
    describe:
      "predict a real VM's live migration from its own QEMU measurements (a transcript of QMP replies: query-memory-size-summary, query-dirty-rate after calc-dirty-rate at several calc-times, optionally an earlier migration's query-migrate; docs/predict.md): fit its working set to the measured curve, run every policy over max-bandwidth x downtime limit with what the measurement cannot tell as ranges, and write predict.csv, predict.md (also printed), report.html and the sweep's files",
    positionals: {},
    options: {
      transcript: opt('the QMP replies, one JSON object per line as QEMU sent them (vmsim predict writes it as transcript.jsonl beside its outputs)'),
      qmp: opt("measure a running QEMU instead: its QMP unix socket (-qmp unix:PATH,server,wait=off); takes about 16 s (calc-dirty-rate over 1, 2, 4 and 8 s), and the replies are kept as transcript.jsonl beside the outputs"),
      bandwidth: opt("QEMU max-bandwidth values, as a sweep axis: a list or a range with units (default 16MiB/s,64MiB/s,128MiB/s,512MiB/s; e.g. 32MiB/s..1GiB/s:log:6)"),
      'downtime-limit': opt('QEMU downtime-limit values, a list or range with units (default 100ms,300ms,1s)'),
      policies: opt('the policies to compare, comma-separated (default all): precopy, auto-converge (pre-copy with the capability), xbzrle (pre-copy with the capability), postcopy, hybrid (one pre-copy pass, then post-copy)'),
      link: opt("the link's own speed, which the stopped round and post-copy use (they are not rate limited), with its unit (default: what an earlier migration's switch-over in the transcript shows, its downtime-bytes over its downtime, else 10Gbit/s)"),
      deadline: opt('give up on a pre-copy not switched over after this long, reported as not converging (QEMU itself never gives up), with its unit (default 600s)'),
      trials: opt('draws of the uncertain inputs per setting (default 10)'),
      seed: opt('base seed, a whole number (default 0); trial k of every setting uses the same draws'),
      workers: opt('worker threads (default: one per core); results do not depend on it'),
      out: opt('output folder (default: out/predict); replaced as a whole by the new outputs'),
      quiet: opt('print no table and no progress (the ranges are still said on stderr)', 'boolean'),
    },
    run: async (a, io) => (await import('./commands/predict.js')).cmdPredict(a, io),
  },
};

const GLOBAL = ['help', 'h'];

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The option names as typed (`--trails`), in order, that the command does not know. */
function unknownOptions(args: readonly string[], known: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === '--') break;
    const m = /^--?([^=]+)/.exec(a);
    if (!m || /^-\d/.test(a)) continue;
    const names = a.startsWith('--') ? [m[1].replace(/^no-/, '')] : [...m[1]];
    for (const n of names) if (!known.includes(n) && !known.includes(camel(n)) && !out.includes(n)) out.push(n);
  }
  return out;
}

function checkArgs(args: readonly string[], argv: Args): CommandSpec {
  const name = argv._[0];
  if (name === undefined) throw new InputError(messages.noCommand(Object.keys(COMMANDS)));
  const cmd = COMMANDS[String(name)];
  if (cmd === undefined || !Object.hasOwn(COMMANDS, String(name))) throw new InputError(messages.unknownCommand(String(name), closest(String(name), Object.keys(COMMANDS))));
  const known = [...Object.keys(cmd.options), ...GLOBAL];
  const bad = unknownOptions(args, known);
  if (bad.length > 0) {
    const flag = (n: string): string => (n.length === 1 ? `-${n}` : `--${n}`);
    throw new InputError(messages.unknownOption(String(name), flag(bad[0]), closest(bad[0], Object.keys(cmd.options)), Object.keys(cmd.options)));
  }
  const extra = argv._.slice(1);
  const takesList = Object.values(cmd.positionals).some((p) => p.array);
  if (extra.length > 0 && !takesList) throw new InputError(messages.extraArgument(String(name), String(extra[0])));
  for (const a of args) {
    const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(a);
    if (m && cmd.options[m[1]]?.type === 'boolean' && m[2] !== 'true' && m[2] !== 'false') throw new InputError(messages.badCliValue(`--${m[1]}`, m[2], 'no value (it is a switch)'));
  }
  for (const [o, spec] of Object.entries(cmd.options)) {
    const v = argv[o];
    if (v === undefined) continue;
    if (spec.type === 'string' && !spec.repeat && Array.isArray(v)) throw new InputError(messages.optionTwice(`--${o}`));
    if (spec.type === 'boolean' && typeof v !== 'boolean') throw new InputError(messages.badCliValue(`--${o}`, String(v), 'no value (it is a switch)'));
  }
  return cmd;
}

/**
 * The command's arguments, parsed with yargs' own parser (yargs-parser) under the command's option
 * types. yargs itself, which takes longer to load than a `validate` takes to run, is loaded only to
 * write help.
 */
function parseCommand(list: readonly string[], cmd: CommandSpec): Args {
  const types = Object.entries(cmd.options);
  const argv = parseArgv([...list], {
    string: types.filter(([, o]) => o.type === 'string').map(([k]) => k),
    boolean: types.filter(([, o]) => o.type === 'boolean').map(([k]) => k),
    configuration: { 'duplicate-arguments-array': true, 'parse-numbers': false, 'parse-positional-numbers': false },
  }) as Args;
  const name = String(argv._[0]);
  const rest = argv._.slice(1).map(String);
  const positionals = Object.entries(cmd.positionals);
  for (const [k, p] of positionals) {
    if (p.array) {
      if (rest.length === 0) throw new InputError(messages.missingArgument(name, k, p.describe));
      argv[k] = rest.splice(0);
    } else if (rest.length > 0) argv[k] = rest.shift();
    else if (!p.optional) throw new InputError(name === 'run' || name === 'validate' ? messages.scenarioMissing() : messages.missingArgument(name, k, p.describe));
  }
  argv._ = [name, ...rest];
  return argv;
}

async function parser(io: Io): Promise<Argv> {
  const { default: yargs } = await import('yargs');
  let y = yargs()
    .scriptName('vmsim')
    .usage(
      '$0 <command> [options]\n\nDiscrete-event simulator of VM state transfer: Internet Suspend/Resume, live migration, VM handoff, cloudlet VM synthesis, a desktop VM following its user (EdgeVDI), VM fork onto many hosts (SnowFlock), evacuations and rebalancings of many VMs over a shared datacenter network (cluster).\nTimes are in seconds (s) or milliseconds (ms), sizes in bytes, rates in bit/s unless a column name says otherwise.',
    )
    .exitProcess(false)
    .version(false)
    .parserConfiguration({ 'duplicate-arguments-array': true })
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, io.columns || 100));
  for (const cmd of Object.values(COMMANDS)) {
    y = y.command(cmd.syntax, cmd.describe, (c) => {
      for (const [p, spec] of Object.entries(cmd.positionals)) c.positional(p, { type: 'string', describe: spec.describe, array: spec.array });
      for (const [o, spec] of Object.entries(cmd.options)) c.option(o, { type: spec.type, describe: spec.describe, requiresArg: spec.type === 'string' });
      return c;
    });
  }
  return y.fail((msg, err) => {
    throw err ?? new InputError(messages.usage(msg));
  });
}

/** Run `vmsim ARGS`; the exit code (0 ok, 2 bad input, 3 model error, 4 a limit, 5 the system failed a read or write, 130/143 a signal). */
export async function cli(args: readonly string[], io: Io, version = 'unknown'): Promise<number> {
  try {
    if (args.length === 1 && args[0] === '--version') {
      io.stdout(`${version}\n`);
      return 0;
    }
    const list = [...args];
    // Help is yargs' (loaded only for it); `vmsim run --help` is the help of run.
    if (list.includes('--help') || list.includes('-h')) {
      let help = '';
      await (await parser(io)).parseAsync(list, {}, (_e: unknown, _a: unknown, output: string) => {
        help = output;
      });
      io.stdout(help.endsWith('\n') ? help : `${help}\n`);
      return 0;
    }
    // A command comes first; it is checked and parsed under its own options before any work.
    if (list.length === 0 || list[0].startsWith('-')) throw new InputError(messages.noCommand(Object.keys(COMMANDS)));
    if (!Object.hasOwn(COMMANDS, list[0])) throw new InputError(messages.unknownCommand(list[0], closest(list[0], Object.keys(COMMANDS))));
    checkArgs(list, { _: [list[0]] });
    const argv = parseCommand(list, COMMANDS[list[0]]);
    await checkArgs(list, argv).run(argv, io);
    return 0;
  } catch (e) {
    return report(e, io, io.debug);
  }
}

/** Print a failure the way users see it: one paragraph, never a stack trace (unless VMSIM_DEBUG). */
export function report(e: unknown, io: Io, debug = false): number {
  // A full disk, a file-size limit, a read-only mount... anywhere: the machine's failure, not vmsim's (exit 5).
  const err = asEnvironmentError(e) ?? (e instanceof Error ? e : new Error(String(e)));
  if (err instanceof VmsimError) {
    io.stderr(`vmsim: ${err.message}\n`);
    return err.exitCode;
  }
  io.stderr(`vmsim: internal error: ${err.message}\n${debug ? (err.stack ?? '') + '\n' : '(set VMSIM_DEBUG=1 for a stack trace; please report this)\n'}`);
  return 1;
}
