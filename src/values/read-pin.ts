// Reads what a target pins now (repository, tag, digest), so a promotion can take the image one environment
// runs to the next. Pure; finds the target exactly as pinning does, and errors name the file and line.
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { globalRegistry, readBlock } from './block.js';
import { stringValue } from './edits.js';
import { findPair, formatPath, parsePath } from './path.js';
import { findEntry, kustomizeDoc } from './pin-kustomize.js';
import { selectDocument } from './select.js';
import { lineOf, parseSource } from './source.js';
import type { PinTarget } from './types.js';
import { parseImageString, splitTag } from './image-string.js';
import { containersIn } from './pin-reference.js';
import { findMarkers, markedPairs, markerMatches } from './pin-marker.js';
import type { SourceFile } from './source.js';

/** A tag that carries its own digest (`v1@sha256:…`) is read as the tag and the digest it names. */
function withEmbeddedDigest(p: PinnedImage): PinnedImage {
  if (!p.tag?.includes('@')) return p;
  const { tag, digest } = splitTag(p.tag);
  return { ...p, tag: tag || undefined, digest: p.digest ?? digest };
}

/** A reference string, or the parts marked by setter markers. */
function readString(src: SourceFile, target: Extract<PinTarget, { kind: 'reference' | 'marker' }>): PinnedImage {
  if (target.kind === 'reference') {
    if (target.container) {
      const [c] = containersIn(src, { target, digest: '', allowAlias: true }, target);
      const value = c ? stringValue(findPair(c.entry, 'image')?.value) : undefined;
      if (!c || !value) throw new FileError(src.file, undefined, `no container named '${target.container}' with an image`);
      return { ...imageOf(value), line: lineOf(src.text, c.entry.range![0]) };
    }
    const segments = parsePath(target.path ?? 'image', 'key');
    const { walk } = selectDocument(src, segments, true);
    const value = walk.kind === 'found' ? stringValue(walk.node) : undefined;
    if (!value) throw new FileError(src.file, undefined, `'${formatPath(segments)}' is not an image reference string`);
    return { ...imageOf(value), line: lineOf(src.text, walk.kind === 'found' ? walk.node!.range![0] : 0) };
  }
  const marked = markedPairs(src, findMarkers(src.text).filter((m) => markerMatches(m, target.name)));
  const out: Partial<PinnedImage> = {};
  for (const m of marked) {
    const value = stringValue(m.pair.value) ?? '';
    if (m.marker.field === 'reference') Object.assign(out, imageOf(value));
    else if (m.marker.field === 'name') out.repository = value;
    else if (m.marker.field === 'digest') out.digest = value || undefined;
    else Object.assign(out, { tag: splitTag(value).tag || undefined, digest: out.digest ?? splitTag(value).digest });
    out.line ??= lineOf(src.text, (m.pair.key as Node).range![0]);
  }
  if (!out.repository) throw new FileError(src.file, out.line, `the lines marked '${target.name}' name no repository (mark it with :name, or the whole reference)`);
  return out as PinnedImage;
}

function imageOf(value: string): Omit<PinnedImage, 'line'> {
  const { repository, tag, digest } = parseImageString(value);
  return { repository, tag: tag || undefined, digest: digest || undefined };
}

export interface PinnedImage {
  /** The repository the chart renders, with `registry` / `global.imageRegistry` applied. */
  repository: string;
  tag?: string;
  digest?: string;
  /** 1-based line of the image block. */
  line: number;
}

const lineOfNode = (text: string, node: Node | YAMLMap) => lineOf(text, node.range?.[0] ?? 0);

function read(text: string, file: string, map: YAMLMap, names: { repository: string; tag: string; name?: string }, global?: string): PinnedImage {
  const block = readBlock(map, names);
  const line = lineOfNode(text, map);
  const own = stringValue(block.repository?.value) || (names.name ? stringValue(findPair(map, names.name)?.value) : undefined);
  if (!own) throw new FileError(file, line, `the image block has no ${names.repository}, so it names no image`);
  const registry = global ?? (stringValue(block.registry?.value) || undefined);
  return {
    repository: registry ? `${registry}/${own}` : own,
    tag: stringValue(block.tag?.value) || undefined,
    digest: stringValue(block.digest?.value) || undefined,
    line,
  };
}

export function readPin(text: string, target: PinTarget, file: string): PinnedImage {
  const src = parseSource(text, file);
  if (target.kind === 'helm') {
    const segments = parsePath(target.path, 'key');
    const { doc, walk } = selectDocument(src, segments, true);
    if (walk.kind === 'error') throw walk.error;
    if (walk.kind === 'missing' || !isMap(walk.node)) {
      throw new FileError(file, walk.kind === 'missing' ? lineOfNode(text, walk.map) : undefined, `'${formatPath(segments)}' is not an image block`);
    }
    const field = target.style === 'registry' && findPair(walk.node, 'image') ? 'image' : 'repository';
    const pinned = read(text, file, walk.node, { repository: field, tag: 'tag' }, globalRegistry(doc));
    const sha = target.style === 'sha' ? stringValue(findPair(walk.node, target.shaKey ?? 'sha')?.value) : undefined;
    return withEmbeddedDigest({ ...pinned, ...(target.style === 'sha' ? { digest: sha ? `sha256:${sha}` : undefined } : {}) });
  }
  if (target.kind === 'reference' || target.kind === 'marker') return readString(src, target);
  if (target.kind === 'kustomize') {
    const doc = kustomizeDoc(src);
    const images = isMap(doc.contents) ? findPair(doc.contents, 'images')?.value : undefined;
    const entry = isSeq(images) ? findEntry(src, images, target.name) : undefined;
    if (!entry) throw new FileError(file, undefined, `no images entry named '${target.name}'`);
    return read(text, file, entry, { repository: 'newName', tag: 'newTag', name: 'name' });
  }
  throw new FileError(file, undefined, `a yaml-path target (${target.path}) names no repository; promote from a Helm values or kustomize target`);
}
