// The image blocks of a values file that a chart check looks at, and which field each one's pin sits in:
// `digest`, a hex `sha`, a tag carrying `@sha256:…`, or a whole reference string. Pure.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { findPair } from './path.js';
import { lineOf, parseSource } from './source.js';
import { stringValue } from './edits.js';
import { splitTag } from './image-string.js';

export interface ValuesBlock {
  /** Key path of the block (or of the reference string). */
  path: string;
  line: number;
  /** The field holding the pin ('' for a reference string). */
  field: string;
  /** False when no digest is pinned yet: the field is what the default style would write. */
  pinned: boolean;
}

const BLOCK_KEYS = ['repository', 'tag', 'digest', 'sha', 'registry'];
const isImageKey = (key: string) => key === 'image' || /image$/i.test(key);

function blockField(map: YAMLMap): { field: string; pinned: boolean } {
  if (stringValue(findPair(map, 'digest')?.value)) return { field: 'digest', pinned: true };
  // A hex digest of only digits parses as a number: any non-empty scalar counts.
  const sha = ['sha', 'sha256'].find((k) => {
    const v = findPair(map, k)?.value;
    return isScalar(v) && v.value !== null && String(v.value) !== '';
  });
  if (sha) return { field: sha, pinned: true };
  const tag = stringValue(findPair(map, 'tag')?.value);
  if (tag && splitTag(tag).digest) return { field: 'tag', pinned: true };
  return { field: 'digest', pinned: false };
}

export function valuesBlocks(text: string, file: string): ValuesBlock[] {
  const out: ValuesBlock[] = [];
  const visitNode = (node: unknown, path: string) => {
    if (isSeq(node)) node.items.forEach((item, i) => visitNode(item, `${path}[${i}]`));
    if (!isMap(node)) return;
    for (const pair of node.items as Pair<unknown, unknown>[]) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const child = path ? `${path}.${key}` : key;
      const line = lineOf(text, (pair.key as Node).range![0]);
      if (isImageKey(key) && isMap(pair.value) && BLOCK_KEYS.some((k) => findPair(pair.value as YAMLMap, k))) out.push({ path: child, line, ...blockField(pair.value) });
      else if (isImageKey(key) && /[/:@]/.test(stringValue(pair.value) ?? '')) out.push({ path: child, line, field: '', pinned: stringValue(pair.value)!.includes('@') });
      visitNode(pair.value, child);
    }
  };
  for (const doc of parseSource(text, file).docs) visitNode(doc.contents, '');
  return out;
}
