// A QMP client (QEMU's monitor protocol over a unix socket), bounded in time and size: vmsim talks to
// a running QEMU only to measure it (qmp-measure.ts), so every wait has a deadline and every line a
// size limit, and QEMU's own lines are kept verbatim so a prediction can be rerun from them.
import { createConnection, type Socket } from 'node:net';
import { InputError, messages } from '../errors.js';

/** Longest line accepted from QEMU: its replies to the commands vmsim sends are a few hundred bytes. */
export const QMP_MAX_LINE_BYTES = 1024 * 1024;
/** Default wait for the connection, the greeting and each reply. */
export const QMP_TIMEOUT_MS = 10_000;
/** Asynchronous events kept aside (the latest this many), and in the transcript (the first this many). */
const MAX_EVENTS = 1000;
/** Replies nobody asked for (QEMU sends one per command): more than this is not QMP. */
const MAX_UNASKED = 16;

/** QEMU refused a command or the conversation failed: exit 2, since the socket given is the input. */
export class QmpError extends InputError {
  constructor(
    message: string,
    /** QMP's `error.class` and `error.desc` when QEMU answered with an error. */
    readonly qmp?: { class: string; desc: string },
  ) {
    super(message, { path: '--qmp' });
    this.name = 'QmpError';
  }
}

export interface QmpEvent {
  event: string;
  data?: unknown;
  timestamp?: { seconds: number; microseconds: number };
}

/** A reply: what `return` held, and the line as QEMU sent it (without its line ending). */
export interface QmpReply<T = unknown> {
  value: T;
  line: string;
}

interface Waiter {
  what: string;
  resolve: (line: string) => void;
  reject: (e: Error) => void;
}

/** Terminal control characters in QEMU's text are shown escaped, never obeyed. */
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The event a line announces, or undefined for anything else (replies, and lines not JSON: parsed later). */
function asEvent(line: string): QmpEvent | undefined {
  if (!line.includes('"event"')) return undefined;
  try {
    const v = JSON.parse(line) as { event?: unknown } | null;
    return typeof v === 'object' && v !== null && typeof v.event === 'string' ? (v as QmpEvent) : undefined;
  } catch {
    return undefined;
  }
}

export class QmpClient {
  /** Every line QEMU sent (greeting, replies, the first 1000 events), verbatim, in order. */
  readonly transcript: string[] = [];
  /** Asynchronous events received between replies. */
  readonly events: QmpEvent[] = [];
  /** The greeting's `QMP` object (QEMU's version and capabilities). */
  greeting: { version?: { qemu?: { major: number; minor: number; micro: number }; package?: string } } = {};
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private waiter: Waiter | undefined;
  private lines: string[] = [];
  private failure: Error | undefined;
  private busy = false;
  private eventLines = 0;

  private constructor(
    private readonly socket: Socket,
    readonly path: string,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (e) => this.fail(new QmpError(messages.qmpConnect(path, e.message))));
    socket.on('close', () => this.fail(new QmpError(messages.qmpClosed(path, this.waiter?.what ?? 'a reply'))));
  }

  /** Connect, read the greeting and leave capabilities negotiation: ready for commands. */
  static async connect(path: string, opts: { timeoutMs?: number } = {}): Promise<QmpClient> {
    const timeoutMs = opts.timeoutMs ?? QMP_TIMEOUT_MS;
    const socket = createConnection({ path });
    const client = new QmpClient(socket, path, timeoutMs);
    try {
      await client.connected();
      const greeting = client.parse(await client.nextLine('the greeting', timeoutMs));
      if (typeof greeting.QMP !== 'object' || greeting.QMP === null) throw new QmpError(messages.qmpNoGreeting(path));
      client.greeting = greeting.QMP as QmpClient['greeting'];
      await client.execute('qmp_capabilities', undefined, { timeoutMs });
      return client;
    } catch (e) {
      client.close();
      throw e;
    }
  }

  /** The QEMU version the greeting announced, e.g. "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)". */
  get qemuVersion(): string {
    const v = this.greeting.version;
    if (v?.qemu === undefined) return 'unknown';
    const pkg = v.package?.trim();
    return `${v.qemu.major}.${v.qemu.minor}.${v.qemu.micro}${pkg ? ` (${pkg})` : ''}`;
  }

  /** Run a command; its `return`, or a QmpError carrying QEMU's `error.desc`. */
  async execute<T = unknown>(command: string, args?: Record<string, unknown>, opts: { timeoutMs?: number } = {}): Promise<T> {
    return (await this.call<T>(command, args, opts)).value;
  }

  /** Run a command; its `return` and the reply line exactly as QEMU sent it. */
  async call<T = unknown>(command: string, args?: Record<string, unknown>, opts: { timeoutMs?: number } = {}): Promise<QmpReply<T>> {
    if (this.busy) throw new QmpError(messages.qmpBusy(this.path, command));
    this.busy = true;
    try {
      if (this.failure) throw this.failure;
      this.socket.write(`${JSON.stringify(args === undefined ? { execute: command } : { execute: command, arguments: args })}\n`);
      for (;;) {
        const line = await this.nextLine(command, opts.timeoutMs ?? this.timeoutMs);
        const msg = this.parse(line);
        if ('return' in msg) return { value: msg.return as T, line };
        const err = msg.error as { class?: unknown; desc?: unknown } | undefined;
        if (err !== undefined) {
          const [cls, desc] = [printable(String(err.class ?? 'Error')), printable(String(err.desc ?? ''))];
          throw new QmpError(messages.qmpCommandFailed(this.path, command, cls, desc), { class: cls, desc });
        }
        throw new QmpError(messages.qmpUnexpected(this.path, command, printable(line.slice(0, 200))));
      }
    } finally {
      this.busy = false;
    }
  }

  /** Close the socket (idempotent); pending and later calls fail. */
  close(): void {
    this.fail(new QmpError(messages.qmpClosed(this.path, 'a reply')));
    this.socket.destroy();
  }

  private connected(): Promise<void> {
    return this.within('the connection', this.timeoutMs, (resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', (e) => reject(new QmpError(messages.qmpConnect(this.path, e.message))));
    });
  }

  private nextLine(what: string, timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure) return Promise.reject(this.failure);
    return this.within(what, timeoutMs, (resolve, reject) => {
      this.waiter = { what, resolve, reject };
    });
  }

  /** A wait with a deadline: past it the connection is closed (its state is unknown) and the wait fails. */
  private within<T>(what: string, timeoutMs: number, start: (resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        const e = new QmpError(messages.qmpTimeout(this.path, what, timeoutMs));
        this.fail(e);
        this.socket.destroy();
        reject(e);
      }, timeoutMs);
      const done = <A>(f: (a: A) => void) => (a: A) => {
        clearTimeout(timer);
        this.waiter = undefined;
        f(a);
      };
      start(done(resolve), done(reject));
    });
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.push(chunk.subarray(start, nl));
      if (this.failure) return;
      const line = Buffer.concat(this.buffered).toString('utf8').replace(/\r$/, '');
      this.buffered = [];
      this.bufferedBytes = 0;
      start = nl + 1;
      if (line.trim() === '') continue;
      const event = asEvent(line);
      if (event !== undefined) {
        this.keepEvent(event, line);
        continue;
      }
      this.transcript.push(line);
      if (this.waiter) this.waiter.resolve(line);
      else if (this.lines.push(line) > MAX_UNASKED) {
        this.fail(new QmpError(messages.qmpUnasked(this.path, MAX_UNASKED)));
        this.socket.destroy();
        return;
      }
    }
    this.push(chunk.subarray(start));
  }

  private push(part: Buffer): void {
    this.bufferedBytes += part.length;
    if (this.bufferedBytes > QMP_MAX_LINE_BYTES) {
      this.fail(new QmpError(messages.qmpLineTooLong(this.path, QMP_MAX_LINE_BYTES)));
      this.socket.destroy();
      return;
    }
    if (part.length > 0) this.buffered.push(part);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }

  private keepEvent(e: QmpEvent, line: string): void {
    this.events.push(e);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    if (this.eventLines++ < MAX_EVENTS) this.transcript.push(line);
  }

  private parse(line: string): Record<string, unknown> {
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new QmpError(messages.qmpNotJson(this.path, printable(line.slice(0, 200))));
  }
}
