// The form that adds a variant (a name, a policy, its options) to the scenario without writing YAML:
// the page writes the `variants:` entry into the scenario's text, so the file downloaded and the
// command shown rerun exactly what the page ran. The new text is checked as `vmsim validate` checks
// it (the variant's options against its policy), so every message is the CLI's.
import YAML, { isMap } from 'yaml';
import { loadScenario, type Loaded } from '../api.js';
import { InputError, messages } from '../errors.js';
import { choosePolicy } from '../choice.js';

export interface NewVariant {
  name: string;
  policy: string;
  /** The options as YAML (a map; `{downtime_limit: 2s}` or one `key: value` a line); empty: the policy's defaults. */
  options: string;
}

export interface Added {
  /** The scenario's text with the variant (and, the first time, the compared policies as variants). */
  text: string;
  loaded: Loaded;
  /** The compare items to tick now: "variant:NAME". */
  ticked: string[];
}

function optionsOf(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = YAML.parse(text);
  } catch (e) {
    throw new InputError(messages.variantOptions((e as Error).message.split('\n')[0]));
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new InputError(messages.variantOptions(`expected a map of option: value, got ${JSON.stringify(v)}`));
  return v as Record<string, unknown>;
}

/**
 * The scenario's text with `v` added to its variants. A scenario without variants gets, before it, one
 * variant per policy being compared (`policies`: its own with the scenario's options, any other with
 * its defaults), so what was ticked stays in the comparison. Throws the CLI's InputError.
 */
export function addVariant(text: string, file: string, v: NewVariant, policies: readonly string[]): Added {
  const name = v.name.trim();
  const options = optionsOf(v.options);
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) loadScenario(text, { file }); // the CLI's message for the file itself
  const had = doc.get('variants');
  const existing = isMap(had) ? had.items.map((p) => String((p.key as { value?: unknown })?.value ?? p.key)) : [];
  if (existing.includes(name)) throw new InputError(messages.variantExists(name));
  const ticked: string[] = [];
  const put = (n: string, policy: string, opts: Record<string, unknown>): void => {
    const node = doc.createNode(Object.keys(opts).length > 0 ? { policy, options: opts } : { policy });
    node.flow = true;
    doc.setIn(['variants', n], node);
    ticked.push(`variant:${n}`);
  };
  if (!isMap(had)) {
    const own = String(doc.get('policy') ?? '');
    const ownOptions = (doc.toJS() as { options?: Record<string, unknown> }).options ?? {};
    for (const p of policies) if (p !== name) put(p, p, p === own ? ownOptions : {});
  }
  put(name, v.policy, options);
  const out = doc.toString({ lineWidth: 0 });
  const loaded = loadScenario(out, { file });
  // The variant's options against its policy, as a run of it checks them (the CLI's message).
  for (const t of ticked) choosePolicy(loadScenario(out, { file, set: { variant: t.slice('variant:'.length) } }), undefined);
  return { text: out, loaded, ticked };
}
