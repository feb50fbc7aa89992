// The policies one invocation can use: the built-in ones and those loaded from the user's files,
// by name and by the texts that named their files. A loaded scenario carries its set
// (sim/pipeline/load.ts), a plan carries the set its points name, and every thread that runs a
// plan's jobs has the same set (worker threads load the same files).
import { InputError, messages } from './errors.js';
import type { TransferPolicy } from './policy.js';
import { noteSource } from './user-policy.js';
import { POLICIES } from '../policies/index.js';

/** The policies one invocation can use: the built-in ones and any loaded from the user's files. */
export class PolicySet {
  private readonly byName = new Map<string, TransferPolicy>();
  /** Policy files by the path they were named with and by absolute path -> policy name. */
  private readonly files = new Map<string, { name: string; file: string }>();

  constructor(builtIn: readonly TransferPolicy[] = POLICIES) {
    for (const p of builtIn) this.byName.set(p.name, p);
  }

  /**
   * Add a policy loaded from `file` (an absolute path), known also by `aliases` (the texts that named
   * the file). Names must not clash.
   */
  addFile(policy: TransferPolicy, file: string, aliases: readonly string[] = []): void {
    for (const a of aliases) {
      const f = this.files.get(a);
      if (f !== undefined && f.file !== file) throw new InputError(messages.policyFilesAlias(a, f.file, file));
    }
    this.add(policy, file);
    noteSource(policy, file);
    for (const a of [file, ...aliases]) this.files.set(a, { name: policy.name, file });
  }

  /** Add a policy object (handed to the API); `where` names it in messages. Names must not clash. */
  add(policy: TransferPolicy, where: string): void {
    const known = this.byName.get(policy.name);
    if (known !== undefined && known !== policy) {
      const other = this.fileOf(policy.name);
      throw new InputError(messages.policyNameClash(where, policy.name, other === undefined ? (POLICIES.includes(known) ? 'a built-in policy' : 'another policy given') : `the policy of ${other}`), { file: where, path: 'name' });
    }
    this.byName.set(policy.name, policy);
  }

  /** A policy by name, or by the path of the file it was loaded from. */
  find(nameOrFile: string): TransferPolicy | undefined {
    const f = this.files.get(nameOrFile);
    return this.byName.get(f ? f.name : nameOrFile);
  }

  /** The file a policy came from (undefined for a built-in policy). */
  fileOf(name: string): string | undefined {
    for (const f of this.files.values()) if (f.name === name) return f.file;
    return undefined;
  }

  /** Every policy of the set: the built-in ones first, then those added, in order. */
  all(): TransferPolicy[] {
    return [...this.byName.values()];
  }

  ofKind(kind: string): TransferPolicy[] {
    return [...this.byName.values()].filter((p) => p.kind === kind);
  }

  /** A copy, to add to without changing this one. */
  copy(): PolicySet {
    const c = new PolicySet([]);
    for (const [k, v] of this.byName) c.byName.set(k, v);
    for (const [k, v] of this.files) c.files.set(k, v);
    return c;
  }

  /** The files to load in a worker thread, so it has the same set. */
  get fileList(): string[] {
    return [...new Set([...this.files.values()].map((f) => f.file))];
  }
}

export const BUILT_IN = new PolicySet();
