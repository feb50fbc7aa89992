// Outputs are written to temporary names and renamed into place only when every file is ready, so
// an interrupted or failed run never leaves a half-written CSV, and a run that fails before its
// outputs exist leaves the output directory untouched.
import { copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface OutFile {
  name: string;
  content: string | Uint8Array;
}

export function writeAll(dir: string, files: readonly OutFile[]): string[] {
  const temps: Array<[string, string]> = [];
  try {
    for (const f of files) {
      const final = join(dir, f.name);
      mkdirSync(dirname(final), { recursive: true });
      const tmp = `${final}.tmp-${process.pid}`;
      writeFileSync(tmp, f.content);
      temps.push([tmp, final]);
    }
    for (const [tmp, final] of temps) renameSync(tmp, final);
  } catch (e) {
    for (const [tmp] of temps) rmSync(tmp, { force: true });
    throw e;
  }
  return temps.map(([, final]) => final);
}

/**
 * A line-by-line file (a trace) that appears under its name only when committed. It grows in the
 * system's temporary folder, so a run that fails creates nothing where the user asked for output.
 */
export class PendingFile {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  constructor(private readonly path: string) {
    this.tmp = join(tmpdir(), `vmsim-${process.pid}-${Date.now()}-${basename(path)}`);
    this.stream = createWriteStream(this.tmp);
  }
  write(line: string): void {
    this.stream.write(line);
  }
  async commit(): Promise<void> {
    await new Promise<void>((res, rej) => this.stream.end((e?: Error | null) => (e ? rej(e) : res())));
    mkdirSync(dirname(this.path), { recursive: true });
    try {
      renameSync(this.tmp, this.path);
    } catch {
      // Another file system: copy next to the target, then rename there (still atomic).
      const near = `${this.path}.tmp-${process.pid}`;
      copyFileSync(this.tmp, near);
      renameSync(near, this.path);
      rmSync(this.tmp, { force: true });
    }
  }
  async abort(): Promise<void> {
    await new Promise<void>((res) => this.stream.end(() => res()));
    rmSync(this.tmp, { force: true });
  }
}
