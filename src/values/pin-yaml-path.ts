// Generic target: any scalar path that receives the digest, e.g. a HelmRelease's
// `spec.values.image.digest` or an Application's `spec.source.helm.valuesObject.image.digest`.
import { isMap, type Pair } from 'yaml';
import { FileError } from '../runtime/errors.js';
import type { Pin } from './types.js';
import { checkSharedAnchors, findPair, formatPath, parsePath, walk, type Segment } from './path.js';
import { selectDocument } from './select.js';
import { lineOf, type SourceFile } from './source.js';
import { insertIntoMap, setScalar, stringValue, type Edit, type NewEntry } from './edits.js';
import { namesImage, readBlock, scalarTarget } from './block.js';
import { hint } from './hints.js';
import type { Planned } from './pin-helm.js';

function nested(segments: readonly Segment[], depth: number, digest: string): NewEntry[] {
  let entries: NewEntry[] = [];
  for (let i = segments.length - 1; i >= depth; i--) {
    const key = segments[i] as string;
    const changeKey = formatPath(segments.slice(0, i + 1));
    entries = [{ key, value: i === segments.length - 1 ? digest : entries, changeKey }];
  }
  return entries;
}

/** When the digest sits beside a `repository`, that repository must name the pinned image too. */
function siblingRepository(src: SourceFile, pin: Pin, parent: unknown, path: string): Edit[] {
  if (!pin.repository || !isMap(parent)) return [];
  const block = readBlock(parent, { repository: 'repository', tag: 'tag' });
  const current = stringValue(block.repository?.value);
  if (!block.repository || current === undefined || namesImage([current], pin.repository)) return [];
  const line = lineOf(src.text, (block.repository.key as { range: [number] }).range[0]);
  if (!pin.setRepository) throw new FileError(src.file, line, `'${path}' sits beside repository ${current}, not ${pin.repository}${hint(src, 'set-repository', (h) => `pass ${h} to replace it`)}`);
  const edit = setScalar(src, block.repository, block.repository.value, pin.repository, path.replace(/[^.]+$/, 'repository'));
  return edit ? [edit] : [];
}

export function planYamlPath(src: SourceFile, pin: Pin, pathText: string): Planned {
  const segments = parsePath(pathText, 'yaml-path');
  const path = formatPath(segments);
  const { doc, walk: found } = selectDocument(src, segments, Boolean(pin.allowAlias));
  const allowAlias = Boolean(pin.allowAlias);
  if (found.kind === 'missing') {
    const rest = segments.slice(found.depth);
    if (!pin.createMissing || rest.some((s) => typeof s === 'number')) {
      const at = formatPath(segments.slice(0, found.depth)) || 'the document';
      throw new FileError(src.file, lineOf(src.text, found.map.range![0]), `'${path}' not found: ${at} has no key '${segments[found.depth]}'${pin.createMissing ? '' : hint(src, 'create', (h) => `create it with ${h}`)}`);
    }
    if (!allowAlias) checkSharedAnchors(doc, src.text, src.file, found.anchors, path);
    const last = (found.map.items[found.map.items.length - 1] as Pair<unknown, unknown> | undefined) ?? null;
    const edit = insertIntoMap(src, doc, found.map, last, nested(segments, found.depth, pin.digest));
    return { edits: [edit], structural: rest.length > 1 };
  }
  if (found.kind !== 'found') throw found.error;
  // Walk again to the parent: it holds the pair (for an empty value) and a sibling `repository`.
  const parentWalk = walk(doc, src.text, src.file, segments.slice(0, -1), allowAlias);
  const parent = parentWalk.kind === 'found' ? parentWalk.node : undefined;
  const lastSeg = segments[segments.length - 1]!;
  const pair = typeof lastSeg === 'string' && isMap(parent) ? findPair(parent, lastSeg) : undefined;
  if (!allowAlias && parentWalk.kind === 'found') checkSharedAnchors(doc, src.text, src.file, parentWalk.anchors, path);
  const target = pair ? scalarTarget(src, doc, pair, path, allowAlias) : found.node;
  const previous = stringValue(target) || undefined;
  const edit = setScalar(src, pair, target, pin.digest, path);
  return { edits: [...siblingRepository(src, pin, parent, path), ...(edit ? [edit] : [])], previousDigest: previous };
}
