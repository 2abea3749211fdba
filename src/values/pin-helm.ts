// Helm values target: an image block at a key path, written in the style the chart reads: `digest` (the chart
// contract: repository/tag/digest), `sha` (hex only), `tag-digest` (`tag: v1@sha256:…`) or `registry`
// (ingress-nginx: registry/image/digest). `repository` must name the pinned image; the tag follows the policy.
import { isMap, isScalar, type Document, type Pair } from 'yaml';
import { FileError, InputError } from '../runtime/errors.js';
import type { Pin, PinTarget, TagOutcome } from './types.js';
import { checkSharedAnchors, findPair, formatPath, parsePath, type Segment } from './path.js';
import { selectDocument } from './select.js';
import { lineOf, type SourceFile } from './source.js';
import { fillEmptyPair, insertIntoMap, isEmptyValue, replacePair, setScalar, stringValue, type Edit, type NewEntry } from './edits.js';
import { globalRegistry, namesImage, readBlock, renderedRepositories, scalarTarget, type ImageBlock } from './block.js';
import { splitRegistry } from './reference.js';
import { splitTag } from './image-string.js';
import { hint } from './hints.js';
import { cut } from './text.js';
import { planTag, tagValueEdit } from './tag.js';

export interface Planned {
  edits: Edit[];
  previousDigest?: string;
  /** A map or list entry was created: later pins must see it, so the engine re-parses before them. */
  structural?: boolean;
  tag?: TagOutcome;
}

type HelmTarget = Extract<PinTarget, { kind: 'helm' }>;

function blockEntries(pin: Pin, path: string): NewEntry[] {
  if (!pin.repository) throw new InputError('repository', `creating '${path}' needs the image repository`);
  const inner: NewEntry[] = [{ key: 'repository', value: pin.repository, changeKey: `${path}.repository` }];
  if (pin.tag?.mode === 'set') inner.push({ key: 'tag', value: pin.tag.value, changeKey: `${path}.tag` });
  inner.push({ key: 'digest', value: pin.digest, changeKey: `${path}.digest` });
  return inner;
}

function createBlock(src: SourceFile, doc: Document.Parsed, pin: Pin, segments: readonly Segment[], depth: number, map: Parameters<typeof insertIntoMap>[2]): Planned {
  const path = formatPath(segments);
  const rest = segments.slice(depth);
  if (rest.some((s) => typeof s === 'number')) {
    throw new FileError(src.file, lineOf(src.text, map.range![0]), `'${path}' does not exist, and list items are never created`);
  }
  let entries = blockEntries(pin, path);
  for (let i = rest.length - 1; i >= 0; i--) {
    entries = [{ key: rest[i] as string, value: entries, changeKey: formatPath(segments.slice(0, depth + i + 1)) }];
  }
  const last = (map.items[map.items.length - 1] as Pair<unknown, unknown> | undefined) ?? null;
  return { edits: [insertIntoMap(src, doc, map, last, entries)], structural: true, tag: { target: path, action: pin.tag?.mode === 'set' ? 'set' : 'absent', ...(pin.tag?.mode === 'set' ? { after: pin.tag.value } : {}) } };
}

function repositoryEdits(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, path: string, field: string): Edit[] {
  const line = lineOf(src.text, block.map.range![0]);
  if (!block.repository) {
    if (pin.setRepository && pin.repository) {
      const after = block.registry ?? null;
      return [insertIntoMap(src, doc, block.map, after, [{ key: field, value: pin.repository, changeKey: `${path}.${field}`, style: block.style }])];
    }
    const legacy = findPair(block.map, 'graph') ? " (it still uses the legacy 'graph' key)" : '';
    throw new FileError(src.file, line, `'${path}' has no ${field}${legacy}; the chart contract requires one${hint(src, 'set-repository', (h) => `or set it with ${h}${src.audience === 'cli' ? ' --repository IMAGE' : ''}`)}`);
  }
  const current = stringValue(block.repository.value);
  const repoLine = lineOf(src.text, (block.repository.key as { range: [number] }).range[0]);
  if (current === undefined) throw new FileError(src.file, repoLine, `'${path}.${field}' is not a string`);
  if (!pin.repository) return [];
  const candidates = renderedRepositories(block, current, globalRegistry(doc));
  if (namesImage(candidates, pin.repository)) return [];
  if (!pin.setRepository) {
    throw new FileError(src.file, repoLine, `'${path}.${field}' names ${cut(candidates[0]!)}, not ${pin.repository}${hint(src, 'set-repository', (h) => `pass ${h} to replace it`)}`);
  }
  const edits: Edit[] = [];
  const registryValue = stringValue(block.registry?.value);
  let repoValue = pin.repository;
  if (block.registry && registryValue !== undefined) {
    // A bitnami or ingress-nginx block splits the name: registry host in `registry`, the path in `repository` / `image`.
    const { host, path: rest } = splitRegistry(pin.repository);
    const edit = setScalar(src, block.registry, block.registry.value, host ?? 'docker.io', `${path}.registry`);
    if (edit) edits.push(edit);
    repoValue = rest;
  }
  const edit = setScalar(src, block.repository, block.repository.value, repoValue, `${path}.${field}`);
  if (edit) edits.push(edit);
  return edits;
}

/** Sets (or creates after `after`) a field of the block; no edit when it already holds `value`. */
function fieldEdit(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, pair: Pair<unknown, unknown> | undefined, key: string, value: string, after: Pair<unknown, unknown> | null): { edits: Edit[]; previous?: string } {
  const changeKey = `${block.path}.${key}`;
  if (pair) {
    const target = scalarTarget(src, doc, pair, changeKey, Boolean(pin.allowAlias));
    // The sha field may hold an all-digit hex value, which YAML reads as a number.
    const edit = setScalar(src, pair, target, value, changeKey, block.style, key !== 'digest');
    const previous = key !== 'digest' && isScalar(target) && target.value !== null ? String(target.value) : stringValue(target);
    return { edits: edit ? [edit] : [], previous: previous || undefined };
  }
  return { edits: [insertIntoMap(src, doc, block.map, after, [{ key, value, changeKey, style: block.style }])] };
}

/** `digest` / `registry` style: the digest key, created beside the tag (or on the removed tag's line). */
function digestStyle(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock): Planned {
  const tagText = stringValue(block.tag?.value);
  // Renovate writes `tag: 18.19.0@sha256:…`: that tag is one reference and is rewritten as one, not left beside a digest.
  if (tagText && splitTag(tagText).digest !== undefined && pin.tag?.mode !== 'remove') return tagDigestStyle(src, doc, pin, block);
  const tag = planTag(src, doc, pin, block, pin.tag ?? { mode: 'keep' });
  const key = `${block.path}.digest`;
  if (block.digest) {
    const digest = fieldEdit(src, doc, pin, block, block.digest, 'digest', pin.digest, null);
    return { edits: [...tag.edits, ...digest.edits], previousDigest: digest.previous, tag: tag.outcome };
  }
  const entry = { key: 'digest', value: pin.digest, changeKey: key, style: block.style };
  if (tag.reusable && block.tag) return { edits: [replacePair(block.tag, entry, `${block.path}.tag`)], tag: tag.outcome };
  const after = (tag.outcome.action === 'removed' ? null : block.tag) ?? block.repository ?? block.registry ?? null;
  return { edits: [...tag.edits, insertIntoMap(src, doc, block.map, after, [entry])], tag: tag.outcome };
}

/** `tag-digest` style: `tag: <tag>@<digest>`; a `digest` key beside it that holds a digest is kept in agreement. */
function tagDigestStyle(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock): Planned {
  const at = lineOf(src.text, (block.tag?.key as { range: [number] } | undefined)?.range[0] ?? block.map.range![0]);
  if (pin.tag?.mode === 'remove') throw new FileError(src.file, at, `'${block.path}.tag' carries the digest in style tag-digest, so it can't be removed${hint(src, 'remove-tag', (h) => `use style digest with ${h}`)}`);
  const current = block.tag ? stringValue(scalarTarget(src, doc, block.tag, `${block.path}.tag`, Boolean(pin.allowAlias))) : undefined;
  const parts = splitTag(current ?? '');
  const base = pin.tag?.mode === 'set' ? pin.tag.value : parts.tag;
  if (!base) throw new FileError(src.file, at, `'${block.path}' has no tag to carry the digest in style tag-digest${hint(src, 'tag', (h) => `pass ${h}, or use style digest`)}`);
  const value = `${base}@${pin.digest}`;
  const edits = tagValueEdit(src, doc, pin, block, value);
  const previous = parts.digest || undefined;
  const digestNow = stringValue(block.digest?.value);
  if (block.digest && digestNow) edits.push(...fieldEdit(src, doc, pin, block, block.digest, 'digest', pin.digest, null).edits);
  const action = base === parts.tag ? 'kept' : 'set';
  return { edits, previousDigest: previous ?? (digestNow || undefined), tag: { target: block.path, action, ...(current ? { before: parts.tag } : {}), after: base } };
}

/** `sha` style (grafana): the hex part only, in the field the chart reads; it adds `@sha256:` itself. */
function shaStyle(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, shaKey: string): Planned {
  if (!pin.digest.startsWith('sha256:')) throw new InputError('digest', `style sha writes a sha256 hex digest (the chart prefixes @sha256:), got ${pin.digest.split(':')[0]}`);
  const tag = planTag(src, doc, pin, block, pin.tag ?? { mode: 'keep' });
  const pair = findPair(block.map, shaKey);
  const hex = pin.digest.slice('sha256:'.length);
  if (!pair && tag.reusable && block.tag) {
    // As with a digest key: the removed tag's line takes the new field.
    return { edits: [replacePair(block.tag, { key: shaKey, value: hex, changeKey: `${block.path}.${shaKey}`, style: block.style }, `${block.path}.tag`)], tag: tag.outcome };
  }
  const after = (tag.outcome.action === 'removed' ? null : block.tag) ?? block.repository ?? block.registry ?? null;
  const sha = fieldEdit(src, doc, pin, block, pair, shaKey, hex, after);
  return { edits: [...tag.edits, ...sha.edits], previousDigest: sha.previous ? `sha256:${sha.previous}` : undefined, tag: tag.outcome };
}

export function planHelm(src: SourceFile, pin: Pin, target: HelmTarget): Planned {
  const segments = parsePath(target.path, 'key');
  const path = formatPath(segments);
  const { doc, walk } = selectDocument(src, segments, Boolean(pin.allowAlias));
  const style = target.style ?? 'digest';
  if (walk.kind === 'missing') {
    if (!pin.createMissing || style !== 'digest') {
      const at = formatPath(segments.slice(0, walk.depth)) || 'the document';
      const create = style === 'digest' ? hint(src, 'create', (h) => `create it with ${h}`) : '';
      throw new FileError(src.file, lineOf(src.text, walk.map.range![0]), `'${path}' not found: ${at} has no key '${segments[walk.depth]}'${create}`);
    }
    if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
    return createBlock(src, doc, pin, segments, walk.depth, walk.map);
  }
  if (walk.kind !== 'found') throw walk.error;
  const node = walk.node;
  if (isEmptyValue(node) && walk.pair && pin.createMissing && style === 'digest') {
    if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
    return { edits: [fillEmptyPair(src, doc, walk.pair, blockEntries(pin, path))], structural: true, tag: { target: path, action: pin.tag?.mode === 'set' ? 'set' : 'absent' } };
  }
  if (!isMap(node)) notABlock(src, node, path);
  if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
  const field = style === 'registry' && findPair(node, 'image') ? 'image' : 'repository';
  const block = readBlock(node, { repository: field, tag: 'tag' }, path);
  if (style === 'registry' && !block.registry) {
    throw new FileError(src.file, lineOf(src.text, node.range![0]), `'${path}' has no registry field, which style registry writes (ingress-nginx's registry/image); use style digest`);
  }
  const repo = repositoryEdits(src, doc, pin, block, path, field);
  const planned = style === 'sha' ? shaStyle(src, doc, pin, block, target.shaKey ?? 'sha') : style === 'tag-digest' ? tagDigestStyle(src, doc, pin, block) : digestStyle(src, doc, pin, block);
  return { ...planned, edits: [...repo, ...planned.edits] };
}

/** The target is not a map: say what it is, and which style pins a one-string image. */
function notABlock(src: SourceFile, node: unknown, path: string): never {
  const at = (node as { range?: [number] } | null)?.range ? lineOf(src.text, (node as { range: [number] }).range[0]) : undefined;
  if (isEmptyValue(node)) throw new FileError(src.file, at, `'${path}' is empty${hint(src, 'create', (h) => `create its keys with ${h}`)}`);
  const value = stringValue(node);
  if (value !== undefined) throw new FileError(src.file, at, `'${path}' is a string (${cut(value)}), not an image block with repository/tag/digest; pin it with style reference`);
  const what = node && typeof node === 'object' && 'value' in node ? `a scalar (${cut(String((node as { value: unknown }).value))})` : 'not a map';
  throw new FileError(src.file, at, `'${path}' is ${what}, not an image block with repository/tag/digest`);
}
