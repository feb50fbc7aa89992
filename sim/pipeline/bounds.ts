// What a scenario or sweep file may hold, checked before it is parsed. The YAML library resolves a
// mapping's keys against each other (to refuse duplicates), which costs the square of the mapping's
// size: a bound on keys per mapping keeps the whole parse linear in the file's size, and bounds on
// bytes and nesting keep its time and stack small. Checked on the library's concrete syntax tree,
// which is built in one linear pass. Platform-neutral: the CLI and the browser call it alike.
import { Parser, isScalar, visit, type Document } from 'yaml';
import { InputError, fmtBytes, messages } from '../errors.js';

/** The most a scenario or sweep file may weigh (its text; a file on disk is refused before it is read). */
export const MAX_TEXT_BYTES = 1024 * 1024;
/** Keys of one mapping (a scenario's own mappings hold tens; variants may be many). */
export const MAX_KEYS = 10_000;
/** Variants of one scenario (each is a scenario of its own to validate and run). */
export const MAX_VARIANTS = 10_000;
/** Levels of nesting (a scenario's deepest field is a few levels down). */
export const MAX_DEPTH = 64;

/** A node of the library's concrete syntax tree, as far as counting needs it. */
interface Node {
  type: string;
  offset: number;
  items?: Array<{ key?: Node | null; value?: Node | null; sep?: unknown[] }>;
  value?: Node | null;
  start?: { source?: string };
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The 1-based line of an offset, for messages. */
const lineOf = (text: string, offset: number): string => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return `line ${fmt(line)}`;
};

/** Refuse a text over the bounds (exit 2, naming the limit); return it unchanged otherwise. */
export function checkBounds(text: string, file: string): string {
  const fail = (what: string, limit: string): never => {
    throw new InputError(messages.overBound(file, what, limit), { file });
  };
  // A character is at least a byte: a text within the bound in characters may still be larger in
  // bytes only when it is not ASCII, and its parse time follows its characters.
  if (text.length > MAX_TEXT_BYTES) fail(`it holds ${fmtBytes(text.length)} or more`, fmtBytes(MAX_TEXT_BYTES));
  const walk = (node: Node | null | undefined, depth: number, top: boolean): void => {
    if (node === null || node === undefined) return;
    if (depth > MAX_DEPTH) fail(`it nests deeper than ${MAX_DEPTH} levels`, `${MAX_DEPTH} levels of nesting`);
    const items = node.items;
    if (items !== undefined) {
      const isMap = node.type === 'block-map' || (node.type === 'flow-collection' && node.start?.source === '{');
      if (isMap && items.length > MAX_KEYS) fail(`the mapping at ${lineOf(text, node.offset)} has ${fmt(items.length)} keys`, `${fmt(MAX_KEYS)} keys per mapping`);
      for (const it of items) {
        if (top && isMap && it.key && keyText(it.key) === 'variants') checkVariants(it.value, fail);
        walk(it.key, depth + 1, false);
        walk(it.value, depth + 1, false);
      }
    }
    if (node.value !== undefined) walk(node.value, node.type === 'document' ? depth : depth + 1, node.type === 'document');
  };
  try {
    for (const token of new Parser().parse(text)) walk(token as unknown as Node, 0, false);
  } catch (e) {
    if (e instanceof RangeError) fail(`it nests deeper than ${MAX_DEPTH} levels`, `${MAX_DEPTH} levels of nesting`);
    throw e;
  }
  return text;
}

/** A key's name as written (quotes stripped: `"variants"` in JSON names the same key). */
function keyText(key: Node): string | undefined {
  const source = (key as unknown as { source?: string }).source;
  if (key.type === 'scalar') return source;
  if (key.type === 'double-quoted-scalar' || key.type === 'single-quoted-scalar') return source?.slice(1, -1);
  return undefined;
}

/** The 1-based line and column of an offset. */
function position(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `line ${fmt(line)}, column ${fmt(offset - start + 1)}`;
}

/**
 * Refuse a key that appears twice in one mapping, in one pass with a set per mapping (the YAML
 * library's own check compares each key with every other). Keys are compared as the object built
 * from the document names them (`1` and `"1"` are one key there, so they are one key here).
 */
export function checkUniqueKeys(doc: Document, text: string, file: string): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key as { value?: unknown; range?: [number, number, number] } | null;
        const name = key === null ? '' : isScalar(key) ? String(key.value) : JSON.stringify(key);
        if (seen.has(name)) {
          const at = key?.range ? ` (${position(text, key.range[0])})` : '';
          throw new InputError(messages.fileSyntax(file, `the key "${name}" appears twice in one mapping${at}`), { file });
        }
        seen.add(name);
      }
    },
  });
}

function checkVariants(value: Node | null | undefined, fail: (what: string, limit: string) => never): void {
  const n = value?.items?.length ?? 0;
  if (n > MAX_VARIANTS) fail(`it has ${fmt(n)} variants`, `${fmt(MAX_VARIANTS)} variants`);
}
