// Setter markers: a line comment names what to update, so a repository that already marks its lines needs no
// config. digestpin's own form `# digestpin: NAME[:field]`, and Flux's `# {"$imagepolicy": "ns:NAME[:field]"}`.
// No field: the line holds one reference string; `:tag`, `:name`, `:digest` mark those parts of a split block.
import { isMap, isScalar, isSeq, visit, type Document, type Node, type Pair } from 'yaml';
import { FileError } from '../runtime/errors.js';
import type { Pin, TagOutcome } from './types.js';
import { lineOf, lineStart, type SourceFile } from './source.js';
import { setScalar, stringValue, type Edit } from './edits.js';
import { namesImage, scalarTarget } from './block.js';
import { splitTag } from './image-string.js';
import { keyPath, referenceEdit } from './pin-reference.js';
import { hint } from './hints.js';
import { cut } from './text.js';
import type { Planned } from './pin-helm.js';

export type MarkerField = 'reference' | 'tag' | 'name' | 'digest';

export interface Marker {
  /** Offset of the comment's `#`. */
  offset: number;
  /** The name as written: `ns:name` for Flux, `name` for digestpin. */
  name: string;
  field: MarkerField;
  flux: boolean;
}

const MARKER = /#\s*(?:\{\s*"\$imagepolicy"\s*:\s*"([^"\n]+)"\s*\}|digestpin:\s*([A-Za-z0-9_.\/-]+(?::[a-z]+)?))/g;
const FIELDS = new Set(['tag', 'name', 'digest']);

/** Every marker in the text, in order (a regex scan: linear, and the YAML is only walked when one is found). */
export function findMarkers(text: string): Marker[] {
  const out: Marker[] = [];
  for (const m of text.matchAll(MARKER)) {
    const flux = m[1] !== undefined;
    const parts = (m[1] ?? m[2]!).split(':');
    const last = parts[parts.length - 1]!;
    const hasField = parts.length > (flux ? 2 : 1) && FIELDS.has(last);
    const name = (hasField ? parts.slice(0, -1) : parts).join(':');
    out.push({ offset: m.index!, name, field: hasField ? (last as MarkerField) : 'reference', flux });
  }
  return out;
}

/** `--marker NAME` selects digestpin's `NAME`, and Flux's `ns:NAME` (by its full name or its policy name). */
export function markerMatches(marker: Marker, name: string): boolean {
  if (marker.name === name) return true;
  return marker.flux && marker.name.split(':')[1] === name;
}

interface Marked {
  marker: Marker;
  doc: Document.Parsed;
  pair: Pair<unknown, unknown>;
  key: string;
}

/** The `key: value` pair each marker's line holds. */
export function markedPairs(src: SourceFile, markers: Marker[]): Marked[] {
  const byLine = new Map(markers.map((m) => [lineStart(src.text, m.offset), m]));
  const out: Marked[] = [];
  for (const doc of src.docs) {
    visit(doc, {
      Pair(_, pair, ancestors) {
        const value = pair.value as Node | null;
        // Only a key whose value is a scalar on that line: a map starting there is the parent of the marked key.
        if (isMap(value) || isSeq(value)) return;
        const start = value?.range?.[0] ?? (pair.key as Node | null)?.range?.[0];
        if (start === undefined) return;
        const marker = byLine.get(lineStart(src.text, start));
        if (marker && marker.offset > start && isScalar(pair.key)) out.push({ marker, doc, pair: pair as Pair<unknown, unknown>, key: `${keyPath(ancestors)}${String(pair.key.value)}` });
      },
    });
  }
  for (const m of markers) {
    if (!out.some((x) => x.marker === m)) throw new FileError(src.file, lineOf(src.text, m.offset), `the marker for '${cut(m.name)}' is on a line with no key: value to pin`);
  }
  return out;
}

function fieldEdit(src: SourceFile, m: Marked, pin: Pin, tagged: boolean): Planned {
  const target = scalarTarget(src, m.doc, m.pair, m.key, Boolean(pin.allowAlias));
  const current = stringValue(target) ?? '';
  const at = lineOf(src.text, (m.pair.key as Node).range![0]);
  if (m.marker.field === 'name') {
    if (!pin.repository || namesImage([current], pin.repository)) return { edits: [] };
    if (!pin.setRepository) throw new FileError(src.file, at, `'${m.key}' names ${cut(current)}, not ${pin.repository}${hint(src, 'set-repository', (h) => `pass ${h} to replace it`)}`);
    const edit = setScalar(src, m.pair, target, pin.repository, m.key);
    return { edits: edit ? [edit] : [] };
  }
  if (m.marker.field === 'digest') {
    const edit = setScalar(src, m.pair, target, pin.digest, m.key);
    return { edits: edit ? [edit] : [], previousDigest: current || undefined };
  }
  // `:tag`: with a `:digest` line beside it the tag stays a tag; alone, it carries the digest (`v1@sha256:…`).
  const parts = splitTag(current);
  if (pin.tag?.mode === 'remove') throw new FileError(src.file, at, `'${m.key}' is marked as the tag; a marked tag is set, never removed${hint(src, 'remove-tag', (h) => `drop ${h}`)}`);
  const base = pin.tag?.mode === 'set' ? pin.tag.value : parts.tag;
  if (!base && !tagged) throw new FileError(src.file, at, `'${m.key}' has no tag to carry the digest${hint(src, 'tag', (h) => `pass ${h}`)}`);
  const value = tagged ? base : `${base}@${pin.digest}`;
  const edit = setScalar(src, m.pair, target, value, m.key, undefined, true);
  const tag: TagOutcome = { target: m.key, action: base === parts.tag ? 'kept' : 'set', ...(parts.tag ? { before: parts.tag } : {}), after: base };
  return { edits: edit ? [edit] : [], previousDigest: parts.digest || undefined, tag };
}

export function planMarker(src: SourceFile, pin: Pin, name: string): Planned {
  const markers = findMarkers(src.text).filter((m) => markerMatches(m, name));
  if (markers.length === 0) throw new FileError(src.file, undefined, `no line carries the marker '${cut(name)}' (# digestpin: ${cut(name)} or # {"$imagepolicy": "<namespace>:${cut(name)}"})`);
  const marked = markedPairs(src, markers);
  const hasDigestLine = marked.some((m) => m.marker.field === 'digest');
  const edits: Edit[] = [];
  let previousDigest: string | undefined;
  let tag: TagOutcome | undefined;
  for (const m of marked) {
    const planned = m.marker.field === 'reference' ? referenceEdit(src, m.doc, pin, m.pair, m.key) : fieldEdit(src, m, pin, hasDigestLine);
    edits.push(...planned.edits);
    previousDigest ??= planned.previousDigest;
    tag ??= planned.tag;
  }
  return { edits, previousDigest, tag: tag ?? { target: name, action: 'absent' } };
}
