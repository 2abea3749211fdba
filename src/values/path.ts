// Key paths (`jobs.backup.image`, `sidecars[0].image`) and walking them through a parsed document.
// A walk either finds the node, stops at the deepest existing map (so a caller may create the rest),
// or fails on a path that runs through a scalar, a sequence or an alias.
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { FileError, InputError } from '../runtime/errors.js';
import { lineOf } from './source.js';
import { cut } from './text.js';

export type Segment = string | number;

/** Parses `a.b[0].c`; the input name is used in the error. */
export function parsePath(path: string, input: string): Segment[] {
  const segments: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(path)) !== null) {
    consumed = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey) break;
      segments.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (expectKey) break;
      segments.push(Number(m[2]));
    } else {
      if (expectKey) break;
      expectKey = true;
    }
  }
  if (consumed !== path.length || expectKey || segments.length === 0) {
    throw new InputError(input, `'${cut(path)}' is not a key path; expected keys joined by '.', with [N] for list items (e.g. sidecars[0].image)`);
  }
  return segments;
}

export function formatPath(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function findPair(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<unknown, unknown> | undefined;
}

export type Walk =
  | { kind: 'found'; node: Node | null; pair?: Pair<unknown, unknown>; anchors: Node[] }
  /** `depth` segments exist; `map` is the node at that depth, where segment[depth] is missing. */
  | { kind: 'missing'; depth: number; map: YAMLMap; anchors: Node[] }
  | { kind: 'error'; error: FileError; depth: number };

function describe(node: unknown): string {
  if (isSeq(node)) return 'a sequence';
  if (isMap(node)) return 'a map';
  // `values: |` keeps YAML as text: editing inside it would be editing a string, which digestpin never does.
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) return 'a string block (YAML kept as text, which digestpin does not edit: move it to a map such as valuesObject, or mark the line in its own file)';
  if (isScalar(node)) return node.value === null ? 'empty' : `a scalar (${cut(String(node.value))})`;
  return 'empty';
}

function nodeLine(text: string, node: unknown, fallback: number): number {
  const range = (node as Node | null)?.range;
  return lineOf(text, range ? range[0] : fallback);
}

/** `, defined at line N`: where the anchor an alias points to is, so the user can find every value it shares. */
export function anchorAt(doc: Document.Parsed, text: string, alias: { source: string; resolve: (d: Document.Parsed) => unknown }): string {
  const target = alias.resolve(doc) as Node | undefined;
  if (!target?.range) return '';
  const at = text.lastIndexOf(`&${alias.source}`, target.range[0]);
  return `, defined at line ${lineOf(text, at >= 0 ? at : target.range[0])}`;
}

/** Walks `segments` from the document root, resolving aliases only when `allowAlias`. */
export function walk(doc: Document.Parsed, text: string, file: string, segments: readonly Segment[], allowAlias: boolean): Walk {
  let node: unknown = doc.contents;
  let pair: Pair<unknown, unknown> | undefined;
  const anchors: Node[] = [];
  const docStart = doc.range[0];
  for (let i = 0; i <= segments.length; i++) {
    const here = formatPath(segments.slice(0, i));
    if (isAlias(node)) {
      if (!allowAlias) {
        const msg = `'${here}' is an alias (*${node.source}); pinning it would change every user of &${node.source}${anchorAt(doc, text, node)} (give this key its own value, or allow aliases to change them all)`;
        return { kind: 'error', depth: i, error: new FileError(file, nodeLine(text, node, docStart), msg) };
      }
      node = node.resolve(doc);
    }
    if ((node as Node | null)?.range && (isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.push(node);
    if (i === segments.length) break;
    const seg = segments[i]!;
    if (typeof seg === 'string') {
      if (!isMap(node)) {
        if (i === 0 && (node === null || (isScalar(node) && node.value === null))) {
          return { kind: 'error', depth: 0, error: new FileError(file, nodeLine(text, node, docStart), 'document is empty') };
        }
        const msg = `'${here}' is ${describe(node)}, not a map, so '${formatPath(segments.slice(0, i + 1))}' can't be reached`;
        return { kind: 'error', depth: i, error: new FileError(file, nodeLine(text, node, docStart), msg) };
      }
      const found = findPair(node, seg);
      if (!found) return { kind: 'missing', depth: i, map: node, anchors };
      pair = found;
      node = found.value;
    } else {
      if (!isSeq(node)) {
        const msg = `'${here}' is ${describe(node)}, not a sequence, so '${formatPath(segments.slice(0, i + 1))}' can't be reached`;
        return { kind: 'error', depth: i, error: new FileError(file, nodeLine(text, node, docStart), msg) };
      }
      if (seg >= node.items.length) {
        const msg = `'${here}' has ${node.items.length} item(s), so '${formatPath(segments.slice(0, i + 1))}' does not exist`;
        return { kind: 'error', depth: i, error: new FileError(file, nodeLine(text, node, docStart), msg) };
      }
      pair = undefined;
      node = node.items[seg];
    }
  }
  return { kind: 'found', node: (node as Node | null) ?? null, pair, anchors };
}

/** Errors when a node the pin would change carries an anchor that an alias elsewhere uses. */
export function checkSharedAnchors(doc: Document.Parsed, text: string, file: string, anchors: readonly Node[], what: string): void {
  const named = anchors.filter((n) => (n as { anchor?: string }).anchor);
  if (named.length === 0) return;
  const used = new Map<string, number>();
  visit(doc, {
    Alias(_, alias) {
      if (!used.has(alias.source) && alias.range) used.set(alias.source, alias.range[0]);
    },
  });
  for (const node of named) {
    const anchor = (node as { anchor?: string }).anchor!;
    const at = used.get(anchor);
    if (at === undefined) continue;
    const msg = `'${what}' sits under anchor &${anchor}, which *${anchor} at line ${lineOf(text, at)} reuses; pinning would change both (allow aliases to do it anyway)`;
    // The anchor is written before the node's content (often on the key's line).
    const anchorAt = text.lastIndexOf(`&${anchor}`, node.range![0]);
    throw new FileError(file, lineOf(text, anchorAt >= 0 ? anchorAt : node.range![0]), msg);
  }
}
