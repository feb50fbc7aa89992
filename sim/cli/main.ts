#!/usr/bin/env node
// The composition root: the one place where sim, policies, scenarios and reports meet.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { z } from 'zod';
import { join } from 'node:path';
import { loadScenario } from '../../scenarios/load.js';
import { ScenarioSchema } from '../../scenarios/schema.js';
import { POLICIES } from '../../policies/index.js';
import { runsCsv, tablesCsv } from '../../reports/csv.js';
import { REMAINING_COLUMNS, ROUND_COLUMNS } from '../results/migration-tables.js';
import { basename, dirname, resolve } from 'node:path';
import { InputError, VmsimError, messages } from '../errors.js';
import { PendingFile, writeAll } from './output.js';
import { preparePolicy, runTrials } from './runs.js';
import { summaryTable } from './summary.js';
import { cmdReproduce } from './reproduce.js';
import type { SweepArgs } from './sweep-command.js';
import type { MergeArgs } from './merge.js';

// Not `array: true`: that would swallow the scenario name in `run --set a=b SCENARIO`. Repeated
// flags still accumulate (yargs' duplicate-arguments-array).
const setOption = {
  type: 'string',
  describe: 'override a scenario field by its dotted path, with units (repeatable): --set link.bandwidth=10Mbit/s',
  requiresArg: true,
} as const;

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function checkInt(flag: string, v: number | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < min) throw new InputError(messages.badCliNumber(flag, v, min === 0 ? 'a whole number' : `a whole number of at least ${min}`));
  return v;
}

async function cmdRun(argv: { scenario: string; policy?: string; seed?: number; trials?: number; set?: string | string[]; out?: string; trace?: string; quiet: boolean }): Promise<void> {
  const seed = checkInt('seed', argv.seed, 0);
  const trials = checkInt('trials', argv.trials, 1);
  const loaded = loadScenario(argv.scenario, list(argv.set));
  const prepared = preparePolicy(loaded, argv.policy);
  const outDir = argv.out ?? join('out', loaded.scenario.name);
  const trace = argv.trace === undefined ? undefined : new PendingFile(argv.trace);
  let records;
  try {
    records = runTrials({
      loaded,
      prepared,
      baseSeed: seed ?? loaded.scenario.seed,
      trials: trials ?? loaded.scenario.trials,
      trace: trace === undefined ? undefined : (e) => trace.write(JSON.stringify(e) + '\n'),
    });
  } catch (e) {
    await trace?.abort();
    throw e;
  }
  const tables = tablesCsv(records, { rounds: ROUND_COLUMNS, remaining: REMAINING_COLUMNS });
  const written = writeAll(outDir, [{ name: 'runs.csv', content: runsCsv(records) }, ...tables.map((t) => ({ name: `${t.name}.csv`, content: t.csv }))]);
  await trace?.commit();
  if (!argv.quiet) {
    process.stdout.write(summaryTable(records) + '\n');
    process.stdout.write(`wrote ${[...written, ...(argv.trace ? [argv.trace] : [])].join(', ')}\n`);
  }
}

function cmdValidate(argv: { scenario: string; set?: string | string[]; policy?: string }): void {
  const loaded = loadScenario(argv.scenario, list(argv.set));
  preparePolicy(loaded, argv.policy);
  process.stdout.write(`${loaded.file}: ok (${loaded.scenario.kind} scenario "${loaded.scenario.name}", policy ${argv.policy ?? loaded.scenario.policy})\n`);
}

function cmdPolicies(): void {
  const w = Math.max(...POLICIES.map((p) => p.name.length));
  for (const p of POLICIES) process.stdout.write(`${p.name.padEnd(w)}  ${p.kind.padEnd(9)}  ${p.summary}\n`);
}

function cmdSchema(argv: { out?: string }): void {
  const json = JSON.stringify(z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }), null, 2) + '\n';
  if (argv.out) writeAll(dirname(resolve(argv.out)), [{ name: basename(argv.out), content: json }]);
  else process.stdout.write(json);
}

export async function main(args: string[]): Promise<number> {
  let failure: Error | undefined;
  const parser = yargs(args)
    .scriptName('vmsim')
    .usage('$0 <command> [options]\n\nDiscrete-event simulator of VM state transfer: Internet Suspend/Resume, live migration, VM handoff, cloudlet VM synthesis, a desktop VM following its user (EdgeVDI), VM fork onto many hosts (SnowFlock).\nTimes are in seconds (s) or milliseconds (ms), sizes in bytes, rates in bit/s unless a column name says otherwise.')
    .command(
      'run <scenario>',
      'run a scenario (a file, or the name of a shipped scenario) and write DIR/runs.csv (one row per run) and its tables: rounds.csv and remaining.csv (migration), timeline.csv (ISR), stages.csv (synthesis), interactions.csv (vdi), clones.csv (fork)',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML/JSON) or shipped scenario name' })
          .option('policy', { type: 'string', describe: "policy to run (default: the scenario's)" })
          .option('seed', { type: 'number', describe: "base seed (default: the scenario's); each trial derives its own" })
          .option('trials', { type: 'number', describe: "number of seeded trials (default: the scenario's)" })
          .option('set', setOption)
          .option('out', { type: 'string', describe: 'output directory (default: out/<scenario name>)' })
          .option('trace', { type: 'string', describe: 'write every world event as JSON lines to this file' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing on success' }),
      (a) => cmdRun(a as never),
    )
    .command(
      'validate <scenario>',
      'check a scenario file (and its policy options) without running it',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('set', setOption)
          .option('policy', { type: 'string', describe: 'check the options against this policy' }),
      (a) => cmdValidate(a as never),
    )
    .command(
      'reproduce <name>',
      "run a published experiment and compare with it: isr-2005 (every ISR policy at 100 Mb/s, 10 Mb/s, 1 Mb/s, 100 kbit/s) or qemu-7.2 (the 33 measured QEMU 7.2 migrations, one scenario per row)",
      (y) =>
        y
          .positional('name', { type: 'string', demandOption: true, describe: 'isr-2005 (or another scenario with a reproduce section), or qemu-7.2' })
          .option('trials', { type: 'number', describe: "seeded trials per cell (default: the scenario's, 3 for isr-2005; qemu-7.2 runs each row once)" })
          .option('seed', { type: 'number', describe: "base seed (default: the scenario's)" })
          .option('set', setOption)
          .option('out', { type: 'string', describe: 'output directory (default: out/<name>)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing on success' }),
      (a) => {
        const args = a as unknown as { name: string; trials?: number; seed?: number; set?: string | string[]; out?: string; quiet: boolean };
        return cmdReproduce({ name: args.name, trials: checkInt('trials', args.trials, 1), seed: checkInt('seed', args.seed, 0), out: args.out, set: list(args.set), quiet: args.quiet });
      },
    )
    .command(
      'sweep [scenario]',
      'run a scenario over a grid of parameters on worker threads; write runs.csv, aggregate.csv, charts and report.html',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'scenario file or shipped name (or `scenario:` in the --sweep file)' })
          .option('set', {
            ...setOption,
            describe:
              'an axis of the grid (repeatable): PATH=VALUE, PATH=A,B,C, PATH=LOW..HIGH:N (evenly spaced) or PATH=LOW..HIGH:log:N, with units: --set link.bandwidth=64kbit/s..1Gbit/s:log:40 --set policy=stop-and-copy',
          })
          .option('sweep', { type: 'string', describe: 'a YAML sweep file (scenario, trials, seed, set: {PATH: AXIS}); flags win over it' })
          .option('trials', { type: 'number', describe: "trials per point (default: the scenario's)" })
          .option('seed', { type: 'number', describe: "base seed (default: the scenario's); trial k of every point uses the same derived seed" })
          .option('workers', { type: 'number', describe: 'worker threads (default: one per core); results do not depend on it' })
          .option('shard', { type: 'string', describe: 'run only share K of N (e.g. 3/8) and write OUT/shard-K-of-N.jsonl for `vmsim merge`' })
          .option('out', { type: 'string', describe: 'output directory (default: out/<scenario name>-sweep)' })
          .option('png', { type: 'boolean', default: false, describe: 'also render every chart to PNG' })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress display and no summary' }),
      async (a) => {
        const args = a as unknown as SweepArgs & { set?: string | string[] };
        const trials = checkInt('trials', args.trials, 1);
        const seed = checkInt('seed', args.seed, 0);
        const workers = checkInt('workers', args.workers, 1);
        const { cmdSweep } = await import('./sweep-command.js');
        await cmdSweep({ ...args, set: list(args.set), trials, seed, workers });
      },
    )
    .command(
      'merge <shards..>',
      'join the shard files of a sharded sweep (files, or folders holding them) into the files one unsharded run writes',
      (y) =>
        y
          .positional('shards', { type: 'string', array: true, demandOption: true, describe: 'shard-K-of-N.jsonl files or folders' })
          .option('out', { type: 'string', describe: 'output directory (default: out/<scenario name>-sweep)' })
          .option('png', { type: 'boolean', default: false, describe: 'also render every chart to PNG' })
          .option('quiet', { type: 'boolean', default: false, describe: 'print nothing on success' }),
      async (a) => {
        const { cmdMerge } = await import('./merge.js');
        await cmdMerge(a as unknown as MergeArgs);
      },
    )
    .command('policies', 'list the registered transfer policies', {}, () => cmdPolicies())
    .command(
      'schema',
      'print the JSON Schema of scenario files (for editor completion)',
      (y) => y.option('out', { type: 'string', describe: 'write to this file instead of stdout' }),
      (a) => cmdSchema(a as never),
    )
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      failure = err ?? new InputError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    failure = e as Error;
  }
  if (failure === undefined) return 0;
  if (failure instanceof VmsimError) {
    process.stderr.write(`vmsim: ${failure.message}\n`);
    return failure.exitCode;
  }
  process.stderr.write(`vmsim: internal error: ${failure.message}\n${process.env.VMSIM_DEBUG ? (failure.stack ?? '') + '\n' : '(set VMSIM_DEBUG=1 for a stack trace; please report this)\n'}`);
  return 1;
}

// A reader that stops early (`vmsim run ... | head`) closes the pipe: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});

