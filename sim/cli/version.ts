// The package's version for `vmsim --version`, read without loading anything else (the start of
// every command pays for what main.ts imports).
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  const pkg = new URL('../../../package.json', import.meta.url);
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
