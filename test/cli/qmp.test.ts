// The QMP client and the measurement against a fake QEMU on a unix socket: replies kept verbatim,
// events set aside, QEMU's errors carried, and every wait bounded (a silent socket, a huge line).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../sim/errors.js';
import { QMP_MAX_LINE_BYTES, QmpClient, QmpError } from '../../sim/cli/qmp.js';
import { measureSocket, measureVm } from '../../sim/cli/qmp-measure.js';
import { fakeQmp, QEMU_GREETING as GREETING, type FakeQmp, type Responder } from '../helpers/fake-qmp.js';

const MEMORY = '{"return": {"base-memory": 536870912, "plugged-memory": 0}}';
const STOP_EVENT = '{"timestamp": {"seconds": 1765000000, "microseconds": 1}, "event": "STOP"}';

let dir: string;
let fake: FakeQmp | undefined;
let received: string[] = [];

/** A fake QEMU in this file's folder; its path. */
async function fakeQemu(respond: Responder, greeting: string | null = GREETING): Promise<string> {
  fake = await fakeQmp(dir, respond, greeting);
  received = fake.received;
  return fake.path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vmsim-qmp-'));
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('QmpClient', () => {
  it('reads the greeting, negotiates capabilities and returns replies, keeping every line verbatim', async () => {
    const path = await fakeQemu((cmd, send) => send(cmd.execute === 'query-memory-size-summary' ? MEMORY : '{"return": {}}'));
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    try {
      expect(client.qemuVersion).toBe('7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)');
      const reply = await client.call('query-memory-size-summary');
      expect(reply.value).toEqual({ 'base-memory': 536870912, 'plugged-memory': 0 });
      expect(reply.line).toBe(MEMORY);
      expect(client.transcript).toEqual([GREETING, '{"return": {}}', MEMORY]);
      expect(received.map((l) => JSON.parse(l))).toEqual([{ execute: 'qmp_capabilities' }, { execute: 'query-memory-size-summary' }]);
    } finally {
      client.close();
    }
  });

  it('sets asynchronous events aside and returns the reply after them', async () => {
    const path = await fakeQemu((_cmd, send) => {
      send(STOP_EVENT);
      send('{"return": {"status": "paused", "running": false}}');
    });
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    try {
      expect(await client.execute('query-status')).toEqual({ status: 'paused', running: false });
      expect(client.events).toEqual([{ timestamp: { seconds: 1765000000, microseconds: 1 }, event: 'STOP' }]);
      expect(client.transcript.slice(-2)).toEqual([STOP_EVENT, '{"return": {"status": "paused", "running": false}}']);
    } finally {
      client.close();
    }
  });

  it('keeps memory bounded when QEMU sends events or replies nobody asked for', async () => {
    const path = await fakeQemu((cmd, send) => {
      if (cmd.execute === 'flood-events') for (let i = 0; i < 3000; i++) send(STOP_EVENT);
      else if (cmd.execute === 'flood-replies') for (let i = 0; i < 20; i++) send('{"return": {}}');
      send('{"return": {}}');
    });
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    try {
      await client.execute('flood-events');
      await client.execute('query-status');
      expect(client.events).toHaveLength(1000);
      expect(client.transcript.filter((l) => l === STOP_EVENT)).toHaveLength(1000);
      expect(client.transcript.at(-1)).toBe('{"return": {}}');
      await client.execute('flood-replies');
      await new Promise((r) => setTimeout(r, 200));
      await expect(client.execute('query-status')).rejects.toThrow(messages.qmpUnasked(path, 16));
    } finally {
      client.close();
    }
  });

  it("throws QEMU's error.desc for an error reply, and stays usable", async () => {
    const path = await fakeQemu((cmd, send) =>
      send(cmd.execute === 'calc-dirty-rate' ? '{"error": {"class": "GenericError", "desc": "the dirty rate is already being measured."}}' : '{"return": {}}'),
    );
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    try {
      const err = await client.execute('calc-dirty-rate', { 'calc-time': 1 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QmpError);
      expect((err as QmpError).message).toBe(messages.qmpCommandFailed(path, 'calc-dirty-rate', 'GenericError', 'the dirty rate is already being measured.'));
      expect((err as QmpError).qmp).toEqual({ class: 'GenericError', desc: 'the dirty rate is already being measured.' });
      expect((err as QmpError).exitCode).toBe(2);
      expect(await client.execute('stop')).toEqual({});
      expect(JSON.parse(received[1])).toEqual({ execute: 'calc-dirty-rate', arguments: { 'calc-time': 1 } });
    } finally {
      client.close();
    }
  });

  it('gives up on a command QEMU never answers, after the timeout', async () => {
    const path = await fakeQemu(() => undefined);
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    const err = await client.execute('query-migrate', undefined, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(messages.qmpTimeout(path, 'query-migrate', 200));
    // The conversation's state is unknown after a timeout: later commands fail at once.
    await expect(client.execute('query-status')).rejects.toBeInstanceOf(QmpError);
  });

  it('gives up on a socket that never greets', async () => {
    const path = await fakeQemu(() => undefined, null);
    await expect(QmpClient.connect(path, { timeoutMs: 200 })).rejects.toThrow(messages.qmpTimeout(path, 'the greeting', 200));
  });

  it('refuses a line over 1 MiB without waiting for its end', async () => {
    const path = await fakeQemu((_cmd, send) => send(`{"return": "${'x'.repeat(QMP_MAX_LINE_BYTES)}`));
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    await expect(client.execute('query-status', undefined, { timeoutMs: 5000 })).rejects.toThrow(messages.qmpLineTooLong(path, QMP_MAX_LINE_BYTES));
  });

  it('refuses a peer that is not QMP, and a path with no socket', async () => {
    const path = await fakeQemu(() => undefined, '{"hello": 1}');
    await expect(QmpClient.connect(path, { timeoutMs: 2000 })).rejects.toThrow(messages.qmpNoGreeting(path));
    const missing = join(dir, 'missing.sock');
    await expect(QmpClient.connect(missing, { timeoutMs: 2000 })).rejects.toThrow(/cannot talk to QEMU's monitor socket: .*ENOENT/);
  });
});

/** A fake QEMU measuring dirty rates: `measuring` for the first `slow` polls of each window. */
function dirtyRateQemu(opts: { slow: number; migrate: string; never?: boolean }): Responder {
  let calc = 0;
  let polls = 0;
  return (cmd, send) => {
    if (cmd.execute === 'query-memory-size-summary') return send(MEMORY);
    if (cmd.execute === 'calc-dirty-rate') {
      calc = Number(cmd.arguments?.['calc-time']);
      polls = 0;
      return send('{"return": {}}');
    }
    if (cmd.execute === 'query-dirty-rate') {
      polls++;
      if (opts.never || polls <= opts.slow) return send(`{"return": {"status": "measuring", "sample-pages": 4096, "mode": "page-sampling", "start-time": 3094, "calc-time": ${calc}}}`);
      return send(`{"return": {"status": "measured", "sample-pages": 4096, "dirty-rate": ${Math.round(40 / (calc * 10))}, "mode": "page-sampling", "start-time": 3094, "calc-time": ${calc}}}`);
    }
    if (cmd.execute === 'query-migrate') return send(opts.migrate);
    send('{"error": {"class": "CommandNotFound", "desc": "The command nope has not been found"}}');
  };
}

describe('measureVm', () => {
  const COMPLETED = '{"return": {"status": "completed", "ram": {"duplicate": 110000, "normal": 21000}}}';

  it('keeps the memory size, one measured reply per window and a completed migration, with progress', async () => {
    const path = await fakeQemu(dirtyRateQemu({ slow: 2, migrate: COMPLETED }));
    const progress: string[] = [];
    const m = await measureSocket(path, { calcTimesS: [0.1, 0.2], onProgress: (t) => progress.push(t), timeoutMs: 5000 });
    expect(progress).toEqual([messages.qmpMeasuring(0.1, 1, 2), messages.qmpMeasuring(0.2, 2, 2)]);
    expect(m.memoryBytes).toBe(536870912);
    expect(m.dirtyRates).toEqual([
      { calcTimeS: 0.1, dirtyRateMiBs: 40 },
      { calcTimeS: 0.2, dirtyRateMiBs: 20 },
    ]);
    expect(m.earlierMigration).toBe(true);
    expect(m.qemuVersion).toMatch(/^7\.2\.22 /);
    expect(m.lines).toEqual([
      MEMORY,
      '{"return": {"status": "measured", "sample-pages": 4096, "dirty-rate": 40, "mode": "page-sampling", "start-time": 3094, "calc-time": 0.1}}',
      '{"return": {"status": "measured", "sample-pages": 4096, "dirty-rate": 20, "mode": "page-sampling", "start-time": 3094, "calc-time": 0.2}}',
      COMPLETED,
    ]);
    const calcs = received.map((l) => JSON.parse(l) as { execute: string; arguments?: unknown }).filter((c) => c.execute === 'calc-dirty-rate');
    expect(calcs.map((c) => c.arguments)).toEqual([
      { 'calc-time': 0.1, 'sample-pages': 4096 },
      { 'calc-time': 0.2, 'sample-pages': 4096 },
    ]);
  });

  it('leaves out query-migrate when no migration completed', async () => {
    const path = await fakeQemu(dirtyRateQemu({ slow: 0, migrate: '{"return": {}}' }));
    const m = await measureSocket(path, { calcTimesS: [0.05], timeoutMs: 5000 });
    expect(m.earlierMigration).toBe(false);
    expect(m.lines).toHaveLength(2);
  });

  it('stops waiting for a window QEMU never reports measured', async () => {
    const path = await fakeQemu(dirtyRateQemu({ slow: 0, migrate: '{"return": {}}', never: true }));
    const client = await QmpClient.connect(path, { timeoutMs: 5000 });
    try {
      await expect(measureVm(client, { calcTimesS: [0.05], marginMs: 300 })).rejects.toThrow(/calc-dirty-rate over 0\.05 s still "measuring" after \d+ ms/);
    } finally {
      client.close();
    }
  });
});
