// The whole experiment in the page's URL (its hash), so a link reopens it: a teaching assistant
// shares one link with a class. The hash is URL query syntax (readable, and a browser keeps it
// intact): v=1&scenario=NAME&text=...&compare=...&axis=...&values=...&set=...&trials=...&seed=...&detail=...
// `text` is there only when the scenario was edited or pasted. An old link (#NAME) still opens that
// scenario; what a link cannot restore is said, never dropped in silence.
import { messages } from '../errors.js';

/** The version of the hash's keys; a link of a newer one is read as far as its keys are known. */
export const LINK_VERSION = '1';

export interface Experiment {
  /** The shipped scenario's name, or the pasted one's. */
  scenario: string;
  /** The editor's text when it differs from the shipped file (always for a pasted one). */
  text?: string;
  /** Ticked compare items, "variant:NAME" or "policy:NAME". */
  compare: string[];
  axisPath: string;
  axisValues: string;
  moreSets: string;
  trials: string;
  seed: string;
  /** --detail-point texts (PATH=VALUE). */
  detail: string[];
}

const KEYS = ['v', 'scenario', 'text', 'compare', 'axis', 'values', 'set', 'trials', 'seed', 'detail'];

/** The hash (without "#") that reopens `x`. */
export function encodeLink(x: Experiment): string {
  const q = new URLSearchParams();
  q.set('v', LINK_VERSION);
  q.set('scenario', x.scenario);
  if (x.text !== undefined) q.set('text', x.text);
  for (const c of x.compare) q.append('compare', c);
  q.set('axis', x.axisPath);
  q.set('values', x.axisValues);
  if (x.moreSets.trim() !== '') q.set('set', x.moreSets);
  if (x.trials.trim() !== '') q.set('trials', x.trials);
  if (x.seed.trim() !== '') q.set('seed', x.seed);
  for (const d of x.detail) q.append('detail', d);
  return q.toString();
}

export interface Decoded {
  /** What the link gives; fields it does not give are absent (the page keeps its defaults). */
  experiment: Partial<Experiment> & { scenario?: string };
  /** What could not be restored, in words. */
  problems: string[];
}

/** Read a hash (with or without "#"): the experiment it gives and what it could not restore. */
export function decodeLink(hash: string): Decoded {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (h === '') return { experiment: {}, problems: [] };
  // An old link: #NAME opens that scenario.
  if (!h.includes('=')) return { experiment: { scenario: safeDecode(h) }, problems: [] };
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(h);
  } catch {
    return { experiment: {}, problems: [messages.linkUnreadable()] };
  }
  const problems: string[] = [];
  const v = q.get('v');
  if (v !== null && v !== LINK_VERSION) problems.push(messages.linkVersion(v, LINK_VERSION));
  const unknown = [...new Set([...q.keys()].filter((k) => !KEYS.includes(k)))];
  if (unknown.length > 0) problems.push(messages.linkUnknownKeys(unknown));
  const x: Decoded['experiment'] = {};
  const one = (k: string): string | undefined => q.get(k) ?? undefined;
  const set = <K extends keyof Experiment>(k: K, value: Experiment[K] | undefined): void => {
    if (value !== undefined) x[k] = value;
  };
  set('scenario', one('scenario'));
  set('text', one('text'));
  if (q.has('compare')) x.compare = q.getAll('compare');
  set('axisPath', one('axis'));
  set('axisValues', one('values'));
  set('moreSets', one('set'));
  set('trials', one('trials'));
  set('seed', one('seed'));
  if (q.has('detail')) x.detail = q.getAll('detail');
  return { experiment: x, problems };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
