// The files the CLI reads (sim/cli/io/files.ts): a scenario argument resolved to a file (a path first,
// then a shipped scenario by name, with the closest name suggested), and a missing file refused by name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputError } from '../helpers/errors.js';
import { shippedFile } from '../helpers/scenarios.js';
import { messages } from '../../sim/errors.js';
import { loadNamedScenario, resolveScenario } from '../../sim/cli/io/files.js';

const SHIPPED = shippedFile('stop-and-copy');

describe('the scenario files the CLI reads', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vmsim-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolveScenario finds the shipped stop-and-copy scenario', () => {
    expect(resolveScenario('stop-and-copy', process.cwd()).file).toBe(SHIPPED);
    expect(resolveScenario(SHIPPED, '/').file).toBe(SHIPPED);
    const err = inputError(() => resolveScenario('no-such-scenario', process.cwd()));
    expect(err.message).toBe(messages.fileMissing('no-such-scenario', []));
    expect(inputError(() => resolveScenario('stop-and-cpy', process.cwd())).message).toBe(messages.fileMissing('stop-and-cpy', ['stop-and-copy']));
  });

  it('a missing file', () => {
    const file = join(dir, 'nope.yaml');
    const err = inputError(() => loadNamedScenario(file));
    expect(err.message).toBe(messages.fileMissing(file, []));
  });
});
