// QEMU processes of the harness: started with the reference's machine, watched through their serial
// console, and always ended by their PID (stop(), and stopAll() on the harness's own signals and
// exit), so no QEMU outlives the run that started it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { QmpClient } from '../../sim/cli/qmp.js';
import { QEMU } from './guest.js';

/** Console text kept per VM: the boot log and a few minutes of the dirtier's lines are far less. */
const MAX_CONSOLE_CHARS = 4 * 1024 * 1024;

export interface MachineSpec {
  kernel: string;
  initrd: string;
  append: string;
  memMiB: number;
  qmpPath: string;
  /** tcp:127.0.0.1:PORT for a destination. */
  incoming?: string;
}

export interface ConsoleLine {
  text: string;
  /** Host time (Date.now()) the line arrived. */
  at: number;
}

const running = new Set<ChildProcess>();

/** End every QEMU still running (by PID, SIGKILL: used on the harness's exit and signals). */
export function stopAll(): void {
  for (const child of running) if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  running.clear();
}

export class Qemu {
  readonly console: ConsoleLine[] = [];
  private consoleChars = 0;
  private partial = '';
  private readonly exited: Promise<number | null>;
  private readonly stderr: string[] = [];
  private readonly child: ChildProcess;

  constructor(readonly spec: MachineSpec) {
    const args = [
      ...['-accel', 'tcg', '-machine', 'pc', '-cpu', 'qemu64', '-m', String(spec.memMiB), '-smp', '1'],
      // No default devices: no VGA memory or NIC option ROM in the migrated RAM (as the reference's ram.total).
      ...['-nodefaults', '-display', 'none', '-serial', 'stdio'],
      ...['-kernel', spec.kernel, '-initrd', spec.initrd, '-append', spec.append],
      ...['-qmp', `unix:${spec.qmpPath},server=on,wait=off`],
      ...(spec.incoming ? ['-incoming', spec.incoming] : []),
    ];
    this.child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => this.receive(s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => this.stderr.push(s));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        running.delete(this.child);
        resolve(code);
      });
      this.child.on('error', (e) => {
        this.stderr.push(String(e));
        running.delete(this.child);
        resolve(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && running.has(this.child);
  }

  /** QEMU's own error output (why it refused to start). */
  get errors(): string {
    return this.stderr.join('').trim();
  }

  /** Connect to its QMP socket once QEMU has created it (bounded). */
  async qmp(timeoutMs: number): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`QEMU exited before its QMP socket opened: ${this.errors}`);
      if (existsSync(this.spec.qmpPath)) {
        try {
          return await QmpClient.connect(this.spec.qmpPath, { timeoutMs: Math.max(1000, deadline - Date.now()) });
        } catch (e) {
          if (Date.now() >= deadline) throw e;
        }
      }
      if (Date.now() >= deadline) throw new Error(`no QMP socket at ${this.spec.qmpPath} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Wait until `count` console lines match `pattern` (bounded); the matching lines. */
  async waitForConsole(pattern: RegExp, count: number, timeoutMs: number): Promise<ConsoleLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hits = this.console.filter((l) => pattern.test(l.text));
      if (hits.length >= count) return hits;
      if (!this.alive) throw new Error(`QEMU exited while waiting for ${pattern} on its console: ${this.errors}`);
      if (Date.now() >= deadline) throw new Error(`${pattern} seen ${hits.length} of ${count} times on the console after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGTERM by PID, SIGKILL after `graceMs`; resolves once the process is gone. */
  async stop(graceMs = 5000): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || !this.alive) return;
    process.kill(pid, 'SIGTERM');
    const timer = setTimeout(() => this.alive && process.kill(pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private receive(s: string): void {
    const parts = (this.partial + s).split('\n');
    this.partial = parts.pop() ?? '';
    const at = Date.now();
    for (const p of parts) {
      const text = p.replace(/\r$/, '');
      if (this.consoleChars + text.length > MAX_CONSOLE_CHARS) continue;
      this.consoleChars += text.length + 1;
      this.console.push({ text, at });
    }
  }
}
