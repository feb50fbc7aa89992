// Stops a run that overstays limits.max_wall even inside one event that never returns (a user's
// policy in `for(;;){}`): node:vm's timeout interrupts the running code from a helper thread of
// V8's, in this thread, so a run keeps its trace callbacks and start-up pays no worker thread.
// Installed on import by every Node entry that runs simulations (main.ts, the pool's worker,
// node-api.ts).
import { Script } from 'node:vm';
import { setInterrupter, type Interrupter } from '../engine/index.js';

const SLOT = '__vmsimWatched';
const script = new Script(`globalThis.${SLOT}()`, { filename: 'vmsim-watchdog' });

const watched: Interrupter = <T>(ms: number, fn: () => T, onTimeout: () => Error): T => {
  const g = globalThis as unknown as Record<string, unknown>;
  const outer = g[SLOT];
  g[SLOT] = fn;
  try {
    return script.runInThisContext({ timeout: Math.ceil(ms) }) as T;
  } catch (e) {
    if ((e as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw onTimeout();
    throw e;
  } finally {
    g[SLOT] = outer;
  }
};

setInterrupter(watched);
