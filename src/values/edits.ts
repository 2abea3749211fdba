// Text edits against the original bytes: replace one scalar, insert keys, remove a key. Each edit
// keeps the surrounding style (quotes, indentation, flow or block, line endings); applyEdits splices
// them in from the end so earlier offsets stay valid.
import { isMap, isScalar, isSeq, parse, Scalar, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { FileError } from '../runtime/errors.js';
import type { PinChange } from './types.js';
import { columnOf, lineOf, lineStart, startsLine, type SourceFile } from './source.js';
import { isDigest } from './reference.js';
import { cut } from './text.js';

export interface PendingChange {
  key: string;
  kind: PinChange['kind'];
  before?: string;
  after?: string;
  /** Offset inside the edit's text where the key or scalar starts. */
  at: number;
}

export interface Edit {
  start: number;
  end: number;
  text: string;
  changes: PendingChange[];
}

/** A key to create: a scalar, or a nested map of further entries. */
export interface NewEntry {
  key: string;
  value: string | NewEntry[];
  /** Dotted path reported in the change. */
  changeKey: string;
  /** Quote style to copy from a neighbour; plain when the value stays a string that way. */
  style?: Scalar.Type;
}

export type ScalarStyle = Scalar.Type | undefined;

function plainIsSafe(value: string): boolean {
  if (value === '' || !/^[A-Za-z0-9_./][A-Za-z0-9_./:@+-]*$/.test(value)) return false;
  if (/:$/.test(value)) return false;
  if (isDigest(value)) return true;
  // Both schemas: `1.20` would be a number, `yes` a boolean under YAML 1.1.
  return parse(value) === value && parse(value, { version: '1.1' }) === value;
}

/** Renders a string scalar in the given quote style, falling back to double quotes when plain would change its type. */
export function renderScalar(value: string, style: ScalarStyle): string {
  if (style === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (style === Scalar.QUOTE_DOUBLE || !plainIsSafe(value)) return JSON.stringify(value);
  return value;
}

function renderKey(key: string, style: ScalarStyle): string {
  return style === Scalar.QUOTE_DOUBLE || style === Scalar.QUOTE_SINGLE ? renderScalar(key, style) : renderScalar(key, undefined);
}

export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function isEmptyValue(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

function pairKeyStart(pair: Pair<unknown, unknown>): number {
  return (pair.key as Node).range![0];
}

function pairEnd(pair: Pair<unknown, unknown>): number {
  const keyEnd = (pair.key as Node).range![1];
  const value = pair.value as Node | null;
  return value?.range ? Math.max(keyEnd, value.range[1]) : keyEnd;
}

function colonAfterKey(src: SourceFile, pair: Pair<unknown, unknown>): number {
  let i = (pair.key as Node).range![1];
  while (src.text[i] === ' ' || src.text[i] === '\t') i++;
  if (src.text[i] !== ':') throw new FileError(src.file, lineOf(src.text, i), 'unsupported key syntax (expected "key: value")');
  return i;
}

/** Sets the string value of `pair` (or of a sequence item `node`), keeping its quote style. Returns no edit when it already holds `value`. */
export function setScalar(
  src: SourceFile,
  pair: Pair<unknown, unknown> | undefined,
  node: unknown,
  value: string,
  key: string,
  emptyStyle?: ScalarStyle,
  anyScalar = false,
): Edit | undefined {
  if (isEmptyValue(node) && (!isScalar(node) || node.range![0] === node.range![1])) {
    if (!pair) throw new FileError(src.file, undefined, `'${key}' has no value to replace`);
    const colon = colonAfterKey(src, pair);
    return { start: colon + 1, end: colon + 1, text: ` ${renderScalar(value, emptyStyle)}`, changes: [{ key, kind: 'changed', after: value, at: 1 }] };
  }
  const line = lineOf(src.text, (node as Node).range![0]);
  if (!isScalar(node)) throw new FileError(src.file, line, `'${key}' is a ${isSeq(node) ? 'sequence' : isMap(node) ? 'map' : 'node'}, not a string`);
  if (node.value !== null && typeof node.value !== 'string' && !anyScalar) {
    throw new FileError(src.file, line, `'${key}' is ${cut(String(node.value))} (${typeof node.value}), not a string`);
  }
  if (node.value === value) return undefined;
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    throw new FileError(src.file, line, `'${key}' is a block scalar; write it as a one-line value first`);
  }
  const before = node.value === null ? undefined : String(node.value);
  const style = node.value === null ? emptyStyle : node.type;
  return { start: node.range![0], end: node.range![1], text: renderScalar(value, style), changes: [{ key, kind: 'changed', before, after: value, at: 0 }] };
}

/** Indentation step of the document's nested block maps (2 when it has none). */
export function indentUnit(src: SourceFile, doc: Document.Parsed): number {
  let unit = 0;
  visit(doc, {
    Pair(_, pair) {
      const value = pair.value;
      if (isMap(value) && !value.flow && value.items.length > 0 && pair.key && (pair.key as Node).range) {
        const child = columnOf(src.text, pairKeyStart(value.items[0] as Pair<unknown, unknown>));
        const parent = columnOf(src.text, (pair.key as Node).range![0]);
        if (child > parent && startsLine(src.text, (pair.key as Node).range![0])) {
          unit = child - parent;
          return visit.BREAK;
        }
      }
      return undefined;
    },
  });
  return unit || 2;
}

function blockLines(entries: NewEntry[], indent: string, unit: string, keyStyle: ScalarStyle, out: { line: string; change?: PendingChange }[]): void {
  for (const e of entries) {
    const k = renderKey(e.key, keyStyle);
    if (typeof e.value === 'string') {
      out.push({ line: `${indent}${k}: ${renderScalar(e.value, e.style)}`, change: { key: e.changeKey, kind: 'created', after: e.value, at: indent.length } });
    } else {
      out.push({ line: `${indent}${k}:` });
      blockLines(e.value, indent + unit, unit, keyStyle, out);
    }
  }
}

function flowText(entries: NewEntry[], keyStyle: ScalarStyle, changes: PendingChange[], offset: number): string {
  let text = '';
  for (const [i, e] of entries.entries()) {
    if (i > 0) text += ', ';
    const k = `${renderKey(e.key, keyStyle)}: `;
    if (typeof e.value === 'string') {
      changes.push({ key: e.changeKey, kind: 'created', after: e.value, at: offset + text.length });
      text += k + renderScalar(e.value, e.style);
    } else {
      text += `${k}{${flowText(e.value, keyStyle, changes, offset + text.length + k.length + 1)}}`;
    }
  }
  return text;
}

/** Inserts new lines after the line holding `offset` (at the end, the file's missing final newline stays missing). */
export function insertLines(src: SourceFile, offset: number, lines: { line: string; change?: PendingChange }[]): Edit {
  const nl = src.text.indexOf('\n', offset);
  const changes: PendingChange[] = [];
  let text = '';
  const atEnd = nl === -1;
  for (const [i, l] of lines.entries()) {
    if (atEnd || i > 0) text += atEnd ? src.eol : '';
    if (l.change) changes.push({ ...l.change, at: text.length + l.change.at });
    text += l.line + (atEnd ? '' : src.eol);
  }
  const at = atEnd ? src.text.length : nl + 1;
  return { start: at, end: at, text, changes };
}

/**
 * Adds entries to an existing map after `after` (or first, when null and the map's first key starts its own line).
 * Block maps get new lines at the map's indentation; flow maps get `, key: value` beside the neighbour.
 */
export function insertIntoMap(src: SourceFile, doc: Document.Parsed, map: YAMLMap, after: Pair<unknown, unknown> | null, entries: NewEntry[]): Edit {
  const first = map.items[0] as Pair<unknown, unknown> | undefined;
  const keyStyle = first && isScalar(first.key) ? first.key.type : undefined;
  if (map.flow) {
    const changes: PendingChange[] = [];
    if (!after && !first) {
      const text = flowText(entries, keyStyle, changes, 0);
      return { start: map.range![0] + 1, end: map.range![0] + 1, text, changes };
    }
    if (!after) {
      const text = flowText(entries, keyStyle, changes, 0) + ', ';
      return { start: pairKeyStart(first!), end: pairKeyStart(first!), text, changes };
    }
    const text = `, ${flowText(entries, keyStyle, changes, 2)}`;
    return { start: pairEnd(after), end: pairEnd(after), text, changes };
  }
  if (!first) throw new FileError(src.file, lineOf(src.text, map.range![0]), 'empty block map');
  const col = columnOf(src.text, pairKeyStart(first));
  const unit = ' '.repeat(indentUnit(src, doc));
  const lines: { line: string; change?: PendingChange }[] = [];
  blockLines(entries, ' '.repeat(col), unit, keyStyle, lines);
  if (!after && startsLine(src.text, pairKeyStart(first))) {
    const at = lineStart(src.text, pairKeyStart(first));
    const changes: PendingChange[] = [];
    let text = '';
    for (const l of lines) {
      if (l.change) changes.push({ ...l.change, at: text.length + l.change.at });
      text += l.line + src.eol;
    }
    return { start: at, end: at, text, changes };
  }
  const anchor = after ?? (map.items[map.items.length - 1] as Pair<unknown, unknown>);
  return insertLines(src, Math.max(pairEnd(anchor) - 1, pairKeyStart(anchor)), lines);
}

/** Gives an empty block key (`image:` with nothing, or only comments, below it) its entries on new lines. */
export function fillEmptyPair(src: SourceFile, doc: Document.Parsed, pair: Pair<unknown, unknown>, entries: NewEntry[]): Edit {
  const colon = colonAfterKey(src, pair);
  const nl = src.text.indexOf('\n', colon);
  const rest = src.text.slice(colon + 1, nl === -1 ? undefined : nl).trim();
  const keyStart = pairKeyStart(pair);
  if ((rest !== '' && !rest.startsWith('#')) || !startsLine(src.text, keyStart)) {
    throw new FileError(src.file, lineOf(src.text, keyStart), 'can only fill an empty key that is on its own line');
  }
  const unit = indentUnit(src, doc);
  const lines: { line: string; change?: PendingChange }[] = [];
  blockLines(entries, ' '.repeat(columnOf(src.text, keyStart) + unit), ' '.repeat(unit), undefined, lines);
  return insertLines(src, colon, lines);
}

/** Turns `old: value` into `key: newValue` in place: a removed key's line is reused for a created one. */
export function replacePair(pair: Pair<unknown, unknown>, entry: NewEntry, removedKey: string): Edit {
  const keyNode = pair.key as Scalar;
  const text = `${renderKey(entry.key, keyNode.type)}: ${renderScalar(entry.value as string, entry.style)}`;
  const changes: PendingChange[] = [
    { key: removedKey, kind: 'removed', before: stringValue(pair.value) ?? String((pair.value as Scalar | null)?.value ?? ''), at: 0 },
    { key: entry.changeKey, kind: 'created', after: entry.value as string, at: 0 },
  ];
  return { start: keyNode.range![0], end: pairEnd(pair), text, changes };
}

/** True when a comment follows the pair on its line (`tag: 1.0  # app version`). */
export function hasTrailingComment(src: SourceFile, pair: Pair<unknown, unknown>): boolean {
  const end = pairEnd(pair);
  const lineEnd = src.text.indexOf('\n', end);
  return src.text.slice(end, lineEnd === -1 ? undefined : lineEnd).trim().startsWith('#');
}

/**
 * Removes a key with its value: its whole line in a block map, the item and one comma in a flow map.
 * A comment on the removed line stays where it was, on its own line, since it may describe more than the key.
 */
export function removePair(src: SourceFile, map: YAMLMap, pair: Pair<unknown, unknown>, key: string): Edit {
  const start = pairKeyStart(pair);
  const end = pairEnd(pair);
  const line = lineOf(src.text, start);
  const before = stringValue(pair.value);
  const change: PendingChange = { key, kind: 'removed', before, at: 0 };
  if (map.flow) {
    const i = map.items.indexOf(pair as never);
    const next = map.items[i + 1] as Pair<unknown, unknown> | undefined;
    const prev = map.items[i - 1] as Pair<unknown, unknown> | undefined;
    if (next) return { start, end: pairKeyStart(next), text: '', changes: [change] };
    if (prev) return { start: pairEnd(prev), end, text: '', changes: [change] };
    return { start, end, text: '', changes: [change] };
  }
  const lineEnd = src.text.indexOf('\n', Math.max(end - 1, start));
  const sameLine = src.text.slice(end, lineEnd === -1 ? undefined : lineEnd).trim();
  if (!startsLine(src.text, start) || (sameLine !== '' && !sameLine.startsWith('#'))) {
    throw new FileError(src.file, line, `can't remove '${key}': it shares its line with other YAML`);
  }
  if (sameLine.startsWith('#')) return { start, end: src.text.indexOf('#', end), text: '', changes: [change] };
  const from = lineStart(src.text, start);
  // The last line of a file without a final newline takes the previous line's ending with it.
  if (lineEnd === -1) return { start: from > 0 ? from - src.eol.length : 0, end: src.text.length, text: '', changes: [change] };
  return { start: from, end: lineEnd + 1, text: '', changes: [change] };
}

export interface Applied {
  text: string;
  /** Each change with its offset in the new text. */
  located: { change: Omit<PinChange, 'line'>; offset: number }[];
  /** Maps an offset in the old text to the new text (for offsets outside every edit). */
  shift: (offset: number) => number;
}

/** Splices the edits into the text, refusing overlaps; returns the new text and where each change landed. */
export function applyEdits(src: SourceFile, edits: Edit[]): Applied {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i).map((x) => x.e);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.start < prev.end) {
      throw new FileError(src.file, lineOf(src.text, cur.start), `two pins change the same YAML (${prev.changes[0]?.key ?? '?'} and ${cur.changes[0]?.key ?? '?'})`);
    }
  }
  let text = '';
  let last = 0;
  const located: Applied['located'] = [];
  for (const e of sorted) {
    text += src.text.slice(last, e.start);
    for (const { at, ...change } of e.changes) located.push({ change, offset: text.length + at });
    text += e.text;
    last = e.end;
  }
  text += src.text.slice(last);
  const shift = (offset: number) => {
    let delta = 0;
    for (const e of sorted) if (e.end <= offset) delta += e.text.length - (e.end - e.start);
    return offset + delta;
  };
  return { text, located, shift };
}
