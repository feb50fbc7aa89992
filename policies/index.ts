// The policy registry: one import and one line per policy.
import type { TransferPolicy } from '../sim/policy.js';
import { InputError, byCloseness, messages } from '../sim/errors.js';
import { stopAndCopy } from './migration/stop-and-copy.js';
import { baseline } from './isr/baseline.js';
import { fullyProactive } from './isr/fully-proactive.js';
import { demandFetch } from './isr/demand-fetch.js';
import { dongleLka } from './isr/dongle-lka.js';
import { dvdLka } from './isr/dvd-lka.js';
import { jukeboxLka } from './isr/jukebox-lka.js';
import { lookaside } from './isr/lookaside.js';
import { precopy } from './migration/precopy.js';
import { postcopy } from './migration/postcopy.js';
import { hybrid } from './migration/hybrid.js';
import { handoff } from './migration/handoff.js';
import { synthesis } from './edge/synthesis.js';
import { vdiLaunch } from './edge/vdi-launch.js';
import { vdiRemote } from './edge/vdi-remote.js';
import { vdiMigrate } from './edge/vdi-migrate.js';
import { fork } from './edge/fork.js';
import { sequential } from './cluster/sequential.js';
import { allAtOnce } from './cluster/all-at-once.js';
import { concurrent } from './cluster/concurrent.js';

export const POLICIES: readonly TransferPolicy[] = [
  stopAndCopy,
  precopy,
  postcopy,
  hybrid,
  handoff,
  baseline,
  fullyProactive,
  demandFetch,
  dongleLka,
  dvdLka,
  jukeboxLka,
  lookaside,
  synthesis,
  vdiLaunch,
  vdiRemote,
  vdiMigrate,
  fork,
  sequential,
  allAtOnce,
  concurrent,
];

export function findPolicy(name: string): TransferPolicy | undefined {
  return POLICIES.find((x) => x.name === name);
}

/** The policies that run scenarios of this kind. */
export function policiesOf(kind: string): TransferPolicy[] {
  return POLICIES.filter((p) => p.kind === kind);
}

export function getPolicy(name: string): TransferPolicy {
  const p = findPolicy(name);
  if (p === undefined) throw new InputError(messages.unknownPolicy(name, byCloseness(name, POLICIES.map((x) => x.name))));
  return p;
}
