// Reading an image block (`repository`, `registry`, `tag`, `digest`) and deciding whether its
// repository names the image being pinned, including bitnami's `registry` + `global.imageRegistry`.
import { isAlias, isMap, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { anchorAt, checkSharedAnchors, findPair } from './path.js';
import { lineOf, type SourceFile } from './source.js';
import { stringValue, type ScalarStyle } from './edits.js';
import { normalizeRepository } from './reference.js';

export interface ImageBlock {
  map: YAMLMap;
  repository?: Pair<unknown, unknown>;
  registry?: Pair<unknown, unknown>;
  tag?: Pair<unknown, unknown>;
  digest?: Pair<unknown, unknown>;
  /** Quote style of the repository or tag value, copied onto created scalars. */
  style: ScalarStyle;
  /** Key path of the block, as changes and errors name it. */
  path: string;
}

export function readBlock(map: YAMLMap, names: { repository: string; tag: string; name?: string }, path = ''): ImageBlock {
  const repository = findPair(map, names.repository);
  const tag = findPair(map, names.tag);
  // A quoted tag is usually a necessity (`"1.20"`), a quoted repository (or kustomize name) is the file's habit: copy that.
  const from = repository ?? (names.name ? findPair(map, names.name) : undefined);
  const type = isScalar(from?.value) ? from.value.type : undefined;
  const style = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? type : undefined;
  return { map, repository, registry: findPair(map, 'registry'), tag, digest: findPair(map, 'digest'), style, path };
}

/** `global.imageRegistry` (bitnami), which overrides every block's `registry` at render time. */
export function globalRegistry(doc: Document.Parsed): string | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const global = findPair(root, 'global')?.value;
  return isMap(global) ? stringValue(findPair(global, 'imageRegistry')?.value) || undefined : undefined;
}

/** The images this block can render: `repository`, prefixed by its registry or the global one. */
export function renderedRepositories(block: ImageBlock, repository: string, global: string | undefined): string[] {
  const registry = stringValue(block.registry?.value);
  const out = registry ? [`${registry}/${repository}`] : [repository];
  if (global) out.push(`${global}/${repository}`);
  return out;
}

export function namesImage(candidates: readonly string[], image: string): boolean {
  const want = normalizeRepository(image);
  return candidates.some((c) => normalizeRepository(c) === want);
}

/** Resolves a value that is an alias (only when allowed), refusing to edit a value whose anchor is shared. */
export function scalarTarget(src: SourceFile, doc: Document.Parsed, pair: Pair<unknown, unknown>, key: string, allowAlias: boolean): unknown {
  let value = pair.value;
  if (isAlias(value)) {
    if (!allowAlias) {
      const msg = `'${key}' is an alias (*${value.source}); pinning it would change every user of &${value.source}${anchorAt(doc, src.text, value)} (give this key its own value, or allow aliases to change them all)`;
      throw new FileError(src.file, lineOf(src.text, value.range![0]), msg);
    }
    return value.resolve(doc);
  }
  if (!allowAlias && value && (value as Node).range) checkSharedAnchors(doc, src.text, src.file, [value as Node], key);
  return value;
}
