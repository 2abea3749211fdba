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
    return read(text, file, walk.node, { repository: 'repository', tag: 'tag' }, globalRegistry(doc));
  }
  if (target.kind === 'kustomize') {
    const doc = kustomizeDoc(src);
    const images = isMap(doc.contents) ? findPair(doc.contents, 'images')?.value : undefined;
    const entry = isSeq(images) ? findEntry(src, images, target.name) : undefined;
    if (!entry) throw new FileError(file, undefined, `no images entry named '${target.name}'`);
    return read(text, file, entry, { repository: 'newName', tag: 'newTag', name: 'name' });
  }
  throw new FileError(file, undefined, `a yaml-path target (${target.path}) names no repository; promote from a Helm values or kustomize target`);
}
