#!/usr/bin/env node
// The `vmsim` executable: the process around cli() (exit code, a closed pipe, the debug switch).
import { cli, report } from './cli.js';
import { packageVersion } from './version.js';
import { processIo } from './io/io.js';
// Installs the max_wall watchdog for every run of this process.
import './watchdog.js';

// A reader that stops early (`vmsim run ... | head`) closes the pipe: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const io = processIo();
cli(process.argv.slice(2), io, packageVersion()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = report(e, io, Boolean(process.env.VMSIM_DEBUG));
  },
);
