// Helm values target: `<path>.digest` in an image block that follows the chart contract
// (`repository` required and naming the pinned image; `tag` kept, set or removed by policy).
import { isMap, type Document, type Pair } from 'yaml';
import { FileError, InputError } from '../runtime/errors.js';
import type { Pin } from './types.js';
import { checkSharedAnchors, findPair, formatPath, parsePath, type Segment } from './path.js';
import { selectDocument } from './select.js';
import { lineOf, type SourceFile } from './source.js';
import { fillEmptyPair, insertIntoMap, isEmptyValue, removePair, replacePair, setScalar, stringValue, type Edit, type NewEntry } from './edits.js';
import { globalRegistry, namesImage, readBlock, renderedRepositories, scalarTarget, type ImageBlock } from './block.js';
import { splitRegistry } from './reference.js';

export interface Planned {
  edits: Edit[];
  previousDigest?: string;
  /** A map or list entry was created: later pins must see it, so the engine re-parses before them. */
  structural?: boolean;
}

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
  return { edits: [insertIntoMap(src, doc, map, last, entries)], structural: true };
}

function repositoryEdits(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, path: string): Edit[] {
  const line = lineOf(src.text, block.map.range![0]);
  if (!block.repository) {
    if (pin.setRepository && pin.repository) {
      const after = block.registry ?? null;
      return [insertIntoMap(src, doc, block.map, after, [{ key: 'repository', value: pin.repository, changeKey: `${path}.repository`, style: block.style }])];
    }
    const legacy = findPair(block.map, 'graph') ? " (it still uses the legacy 'graph' key)" : '';
    throw new FileError(src.file, line, `'${path}' has no repository${legacy}; the chart contract requires one (or set it with --set-repository --repository IMAGE)`);
  }
  const current = stringValue(block.repository.value);
  const repoLine = lineOf(src.text, (block.repository.key as { range: [number] }).range[0]);
  if (current === undefined) throw new FileError(src.file, repoLine, `'${path}.repository' is not a string`);
  if (!pin.repository) return [];
  const candidates = renderedRepositories(block, current, globalRegistry(doc));
  if (namesImage(candidates, pin.repository)) return [];
  if (!pin.setRepository) {
    throw new FileError(src.file, repoLine, `'${path}.repository' names ${candidates[0]}, not ${pin.repository} (pass --set-repository to replace it)`);
  }
  const edits: Edit[] = [];
  const registryValue = stringValue(block.registry?.value);
  let repoValue = pin.repository;
  if (block.registry && registryValue !== undefined) {
    // A bitnami block splits the name: registry host in `registry`, the path in `repository`.
    const { host, path: rest } = splitRegistry(pin.repository);
    const edit = setScalar(src, block.registry, block.registry.value, host ?? 'docker.io', `${path}.registry`);
    if (edit) edits.push(edit);
    repoValue = rest;
  }
  const edit = setScalar(src, block.repository, block.repository.value, repoValue, `${path}.repository`);
  if (edit) edits.push(edit);
  return edits;
}

function tagEdits(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, path: string): Edit[] {
  const policy = pin.tag ?? { mode: 'keep' };
  if (policy.mode === 'keep') return [];
  if (policy.mode === 'remove') {
    // With no digest key yet, digestEdit reuses the tag's line instead.
    return block.tag && block.digest ? [removePair(src, block.map, block.tag, `${path}.tag`)] : [];
  }
  if (block.tag) {
    const target = scalarTarget(src, doc, block.tag, `${path}.tag`, Boolean(pin.allowAlias));
    const edit = setScalar(src, block.tag, target, policy.value, `${path}.tag`, block.style, true);
    return edit ? [edit] : [];
  }
  const after = block.repository ?? block.registry ?? null;
  return [insertIntoMap(src, doc, block.map, after, [{ key: 'tag', value: policy.value, changeKey: `${path}.tag`, style: block.style }])];
}

function digestEdit(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, path: string): Planned {
  const key = `${path}.digest`;
  if (block.digest) {
    const target = scalarTarget(src, doc, block.digest, key, Boolean(pin.allowAlias));
    const previous = stringValue(target) || undefined;
    const edit = setScalar(src, block.digest, target, pin.digest, key, block.style);
    return { edits: edit ? [edit] : [], previousDigest: previous };
  }
  const entry = { key: 'digest', value: pin.digest, changeKey: key, style: block.style };
  if (block.tag && pin.tag?.mode === 'remove') return { edits: [replacePair(block.tag, entry, `${path}.tag`)] };
  const after = block.tag ?? block.repository ?? block.registry ?? null;
  return { edits: [insertIntoMap(src, doc, block.map, after, [entry])] };
}

export function planHelm(src: SourceFile, pin: Pin, pathText: string): Planned {
  const segments = parsePath(pathText, 'key');
  const path = formatPath(segments);
  const { doc, walk } = selectDocument(src, segments, Boolean(pin.allowAlias));
  if (walk.kind === 'missing') {
    if (!pin.createMissing) {
      const at = formatPath(segments.slice(0, walk.depth)) || 'the document';
      throw new FileError(src.file, lineOf(src.text, walk.map.range![0]), `'${path}' not found: ${at} has no key '${segments[walk.depth]}' (create it with --create)`);
    }
    if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
    return createBlock(src, doc, pin, segments, walk.depth, walk.map);
  }
  if (walk.kind !== 'found') throw walk.error;
  const node = walk.node;
  if (isEmptyValue(node) && walk.pair && pin.createMissing) {
    if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
    return { edits: [fillEmptyPair(src, doc, walk.pair, blockEntries(pin, path))], structural: true };
  }
  if (!isMap(node)) {
    const empty = isEmptyValue(node) ? 'empty (create its keys with --create)' : undefined;
    const what = empty ?? (node && 'value' in node ? `a scalar (${String((node as { value: unknown }).value)})` : 'not a map');
    const at = node?.range ? lineOf(src.text, node.range[0]) : undefined;
    throw new FileError(src.file, at, `'${path}' is ${what}, not an image block with repository/tag/digest`);
  }
  if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, walk.anchors, path);
  const block = readBlock(node, { repository: 'repository', tag: 'tag' });
  const edits = [...repositoryEdits(src, doc, pin, block, path), ...tagEdits(src, doc, pin, block, path)];
  const digest = digestEdit(src, doc, pin, block, path);
  return { edits: [...edits, ...digest.edits], previousDigest: digest.previousDigest };
}
