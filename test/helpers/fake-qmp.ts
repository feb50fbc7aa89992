// A fake QEMU monitor on a unix socket, for the QMP client's tests and the harness's: it greets as
// QEMU 7.2 does (its spacing, CRLF line ends), answers qmp_capabilities, and hands every other
// command to a responder.
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';

export const QEMU_GREETING =
  '{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian 1:7.2+dfsg-7+deb12u18+b3"}, "capabilities": ["oob"]}}';

export interface QmpCommand {
  execute: string;
  arguments?: Record<string, unknown>;
}
export type Responder = (cmd: QmpCommand, send: (line: string) => void) => void;

export interface FakeQmp {
  path: string;
  /** Every command line received, verbatim. */
  received: string[];
  commands: () => QmpCommand[];
  close: () => Promise<void>;
}

let count = 0;

/** Listen in `dir`; greet with `greeting` (none when null). */
export function fakeQmp(dir: string, respond: Responder, greeting: string | null = QEMU_GREETING): Promise<FakeQmp> {
  const path = join(dir, `qmp-${count++}.sock`);
  const received: string[] = [];
  const sockets: Socket[] = [];
  const server = createServer((sock) => {
    sockets.push(sock);
    const send = (line: string) => sock.write(`${line}\r\n`);
    if (greeting !== null) send(greeting);
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        received.push(line);
        const cmd = JSON.parse(line) as QmpCommand;
        if (cmd.execute === 'qmp_capabilities') send('{"return": {}}');
        else respond(cmd, send);
      }
    });
    sock.on('error', () => undefined);
  });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  const commands = () => received.map((l) => JSON.parse(l) as QmpCommand);
  return new Promise((resolve) => server.listen(path, () => resolve({ path, received, commands, close })));
}
