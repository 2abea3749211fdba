// Duplicate map keys in one parsed document, found in one pass (a Set per map), so a 50 MB file is checked
// in linear time. Same rule as the yaml package's uniqueKeys: scalar keys equal in type and value.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export interface DuplicateKey {
  key: string;
  /** Offset of the repeated key, and of its first occurrence. */
  offset: number;
  firstOffset: number;
}

/** Every repeated key, in document order. `<<` is a merge key (allowed to repeat) where the schema merges. */
export function duplicateKeys(doc: Document.Parsed): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const merge = Boolean((doc.schema as { merge?: boolean } | undefined)?.merge);
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        if (isPair(pair)) stack.push(pair.value, pair.key);
        const key = pair.key;
        if (!isScalar(key) || isAlias(key) || !key.range) continue;
        if (merge && key.value === '<<') continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        const first = seen.get(id);
        if (first === undefined) seen.set(id, key.range[0]);
        else out.push({ key: String(key.value), offset: key.range[0], firstOffset: first });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

export type { Node };
