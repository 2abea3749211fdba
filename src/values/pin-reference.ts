// Style `reference`: one string holding `repo:tag@sha256:…` (raw manifests, `image:` strings in values), found by
// key path, or as the `image` of the container with a given name. The repository part must name the pinned image.
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { FileError } from '../runtime/errors.js';
import type { Pin, PinTarget, TagOutcome } from './types.js';
import { checkSharedAnchors, findPair, formatPath, parsePath } from './path.js';
import { selectDocument } from './select.js';
import { lineOf, type SourceFile } from './source.js';
import { isEmptyValue, setScalar, stringValue } from './edits.js';
import { namesImage, scalarTarget } from './block.js';
import { formatImageString, parseImageString } from './image-string.js';
import { hint } from './hints.js';
import { cut } from './text.js';
import type { Planned } from './pin-helm.js';

type ReferenceTarget = Extract<PinTarget, { kind: 'reference' }>;

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Rewrites the reference string held by `pair` (`key` names it in changes and errors). */
export function referenceEdit(src: SourceFile, doc: Document.Parsed, pin: Pin, pair: Pair<unknown, unknown>, key: string): Planned {
  const target = scalarTarget(src, doc, pair, key, Boolean(pin.allowAlias));
  const at = lineOf(src.text, (pair.key as Node).range![0]);
  if (isMap(target)) throw new FileError(src.file, at, `'${key}' is an image block (a map), not a reference string; use style digest (or sha, tag-digest, registry, as the chart reads it)`);
  const value = stringValue(target);
  if (value === undefined && !isEmptyValue(target)) throw new FileError(src.file, at, `'${key}' is not a string, so it can't hold repo:tag@digest`);
  if (isScalar(target) && (target.type === 'BLOCK_LITERAL' || target.type === 'BLOCK_FOLDED')) {
    throw new FileError(src.file, at, `'${key}' is a string block (${target.type === 'BLOCK_LITERAL' ? '|' : '>'}); write it as a one-line value to pin it with style reference`);
  }
  const current = parseImageString(value ?? '');
  let repository = current.repository;
  if (!repository) {
    if (!pin.repository) throw new FileError(src.file, at, `'${key}' is empty, so it names no image${hint(src, 'repository', (h) => `pass ${h}`)}`);
    repository = pin.repository;
  } else if (pin.repository && !namesImage([repository], pin.repository)) {
    if (!pin.setRepository) throw new FileError(src.file, at, `'${key}' names ${cut(repository)}, not ${pin.repository}${hint(src, 'set-repository', (h) => `pass ${h} to replace it`)}`);
    repository = pin.repository;
  }
  const policy = pin.tag ?? { mode: 'keep' };
  const tag = policy.mode === 'set' ? policy.value : policy.mode === 'remove' ? undefined : current.tag;
  const next = formatImageString({ repository, ...(tag ? { tag } : {}), digest: pin.digest });
  const edit = setScalar(src, pair, target, next, key);
  const outcome: TagOutcome = { target: key, action: tagAction(current.tag, tag), ...(current.tag ? { before: current.tag } : {}), ...(tag ? { after: tag } : {}) };
  return { edits: edit ? [edit] : [], previousDigest: current.digest || undefined, tag: outcome };
}

function tagAction(before: string | undefined, after: string | undefined): TagOutcome['action'] {
  if (before === undefined && after === undefined) return 'absent';
  if (after === undefined) return 'removed';
  return before === after ? 'kept' : 'set';
}

interface Container {
  doc: Document.Parsed;
  entry: YAMLMap;
  /** The list item node, which may be an alias of an entry defined elsewhere. */
  item: unknown;
  path: string;
}

export function containersIn(src: SourceFile, pin: Pin, target: ReferenceTarget): Container[] {
  const name = target.container!;
  const out: Container[] = [];
  const collect = (doc: Document.Parsed, seq: unknown, path: string) => {
    if (!isSeq(seq)) return;
    seq.items.forEach((item, i) => {
      const entry = isAlias(item) ? item.resolve(doc) : item;
      if (isMap(entry) && stringValue(findPair(entry, 'name')?.value) === name) out.push({ doc, entry, item, path: `${path}[${i}]` });
    });
  };
  if (target.path) {
    const segments = parsePath(target.path, 'key');
    const { doc, walk } = selectDocument(src, segments, Boolean(pin.allowAlias));
    if (walk.kind !== 'found') throw walk.kind === 'error' ? walk.error : new FileError(src.file, lineOf(src.text, walk.map.range![0]), `'${formatPath(segments)}' not found`);
    if (!isSeq(walk.node)) throw new FileError(src.file, lineOf(src.text, walk.node?.range?.[0] ?? 0), `'${formatPath(segments)}' is not a container list`);
    collect(doc, walk.node, formatPath(segments));
    return out;
  }
  for (const doc of src.docs) {
    visit(doc, {
      Pair(_, pair, ancestors) {
        if (isScalar(pair.key) && CONTAINER_LISTS.has(String(pair.key.value))) collect(doc, pair.value, `${keyPath(ancestors)}${String(pair.key.value)}`);
      },
    });
  }
  return out;
}

/** Dotted path of the map holding a pair, from visit's ancestors (for changes and errors). */
export function keyPath(ancestors: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < ancestors.length; i++) {
    const a = ancestors[i] as { key?: unknown };
    const next = ancestors[i + 1];
    if (isSeq(a) && next !== undefined) out += `[${a.items.indexOf(next as never)}]`;
    else if (a && 'key' in a && isScalar(a.key)) out += `${out ? '.' : ''}${String(a.key.value)}`;
  }
  return out && !out.endsWith('.') ? `${out}.` : out;
}

function planContainer(src: SourceFile, pin: Pin, target: ReferenceTarget): Planned {
  const name = target.container!;
  const found = containersIn(src, pin, target);
  if (found.length === 0) throw new FileError(src.file, undefined, `no container named '${cut(name)}'${target.path ? ` in '${target.path}'` : ' in any containers or initContainers list'}`);
  if (found.length > 1) {
    const lines = found.map((c) => lineOf(src.text, c.entry.range![0]));
    throw new FileError(src.file, lines[1], `${found.length} containers are named '${cut(name)}' (lines ${lines.join(', ')}); choose one${hint(src, 'key', (h) => `give the list with ${h}`)}`);
  }
  const { doc, entry, item, path } = found[0]!;
  const key = `${path}.image`;
  if (isAlias(item) && !pin.allowAlias) {
    const at = lineOf(src.text, (item as Node).range![0]);
    throw new FileError(src.file, at, `container '${cut(name)}' is an alias (*${item.source}), a list entry other containers share; pin the entry at &${item.source} itself${hint(src, 'key', (h) => `with ${h}`)}`);
  }
  if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, [entry], key);
  const pair = findPair(entry, 'image');
  if (!pair) throw new FileError(src.file, lineOf(src.text, entry.range![0]), `container '${cut(name)}' has no image`);
  return referenceEdit(src, doc, pin, pair, key);
}

export function planReference(src: SourceFile, pin: Pin, target: ReferenceTarget): Planned {
  if (target.container) return planContainer(src, pin, target);
  const segments = parsePath(target.path ?? 'image', 'key');
  const path = formatPath(segments);
  const { doc, walk } = selectDocument(src, segments, Boolean(pin.allowAlias));
  if (walk.kind === 'missing') throw new FileError(src.file, lineOf(src.text, walk.map.range![0]), `'${path}' not found: ${formatPath(segments.slice(0, walk.depth)) || 'the document'} has no key '${segments[walk.depth]}'`);
  if (walk.kind !== 'found') throw walk.error;
  if (!walk.pair) throw new FileError(src.file, undefined, `'${path}' is a list item; style reference edits a key's string value`);
  if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
  return referenceEdit(src, doc, pin, walk.pair, path);
}
