// Every digest a values or kustomize file pins, with the repository it names and its line: image blocks
// (`repository` + `digest`, a `registry` or `global.imageRegistry` prefix, a tag carrying `@sha256:`),
// kustomize `images:` entries (`newName`/`name` + `digest`) and one-string references (`image: repo@sha256:…`).
// Pure: text in, pins out; documents with syntax errors are skipped (offline lint reports them).
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { globalRegistry } from './block.js';
import { stringValue } from './edits.js';
import { parseImageString, splitTag } from './image-string.js';
import { findPair } from './path.js';
import { isDigest, splitRegistry } from './reference.js';
import { lineOf, parseYaml } from './source.js';

export interface PinnedDigest {
  file: string;
  /** 1-based line of the digest (or of the reference string carrying it). */
  line: number;
  /** The repository as the file names it, registry host included when it has one. */
  repository: string;
  digest: string;
}

const isImageKey = (key: string) => key === 'image' || key.endsWith('Image') || key.endsWith('image');
const lineAt = (text: string, node: unknown) => lineOf(text, (node as Node | undefined)?.range?.[0] ?? 0);

/** A block's pinned digest: `digest:`, else the one its tag carries; with where it is written. */
function blockDigest(map: YAMLMap): { digest: string; node: unknown } | undefined {
  const digest = findPair(map, 'digest');
  const value = stringValue(digest?.value);
  if (value && isDigest(value)) return { digest: value, node: digest!.key };
  const tag = findPair(map, 'tag') ?? findPair(map, 'newTag');
  const embedded = splitTag(stringValue(tag?.value) ?? '').digest;
  return embedded && isDigest(embedded) ? { digest: embedded, node: tag!.key } : undefined;
}

function fromBlock(text: string, file: string, map: YAMLMap, global: string | undefined, kustomize: boolean): PinnedDigest | undefined {
  const pinned = blockDigest(map);
  if (!pinned) return undefined;
  const own = kustomize
    ? stringValue(findPair(map, 'newName')?.value) || stringValue(findPair(map, 'name')?.value)
    : stringValue(findPair(map, 'repository')?.value) || stringValue(findPair(map, 'image')?.value);
  if (!own) return undefined;
  // bitnami's rule: global.imageRegistry overrides the block's registry; a name that has a host keeps it.
  const blockRegistry = stringValue(findPair(map, 'registry')?.value) || undefined;
  const hasHost = splitRegistry(own).host !== undefined;
  const registry = kustomize || (hasHost && !blockRegistry) ? undefined : (global ?? blockRegistry);
  const repository = parseImageString(registry ? `${registry}/${own}` : own).repository;
  return { file, line: lineAt(text, pinned.node), repository, digest: pinned.digest };
}

function visit(text: string, file: string, node: unknown, global: string | undefined, out: PinnedDigest[]): void {
  if (isSeq(node)) {
    for (const item of node.items) visit(text, file, item, global, out);
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items as Pair<unknown, unknown>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (key === 'images' && isSeq(value)) {
      // kustomize: each entry is a block of its own.
      for (const entry of value.items) if (isMap(entry)) pushDefined(out, fromBlock(text, file, entry, undefined, true));
      continue;
    }
    if (isImageKey(key) && isMap(value)) pushDefined(out, fromBlock(text, file, value, global, false));
    else if (isImageKey(key) && isScalar(value) && typeof value.value === 'string') {
      const { repository, digest } = parseImageString(value.value);
      if (digest && isDigest(digest)) out.push({ file, line: lineAt(text, value), repository, digest });
    }
    visit(text, file, value, global, out);
  }
}

function pushDefined(out: PinnedDigest[], pin: PinnedDigest | undefined): void {
  if (pin) out.push(pin);
}

export function findPinnedDigests(text: string, file: string): PinnedDigest[] {
  const out: PinnedDigest[] = [];
  for (const doc of parseYaml(text)) {
    if (doc.errors.length > 0) continue;
    visit(text, file, doc.contents, globalRegistry(doc), out);
  }
  return out.sort((a, b) => a.line - b.line);
}
