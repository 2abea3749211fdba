// The tag beside a pinned digest: kept, set to a tag that names the digest, or removed, by the pin's policy;
// and the outcome says which, so a PR can tell the reader. A removed tag's comment stays on its own line.
import type { Document } from 'yaml';
import type { Pin, TagOutcome, TagPolicy } from './types.js';
import { hasTrailingComment, insertIntoMap, removePair, setScalar, stringValue, type Edit } from './edits.js';
import { scalarTarget, type ImageBlock } from './block.js';
import type { SourceFile } from './source.js';

export interface PlannedTag {
  edits: Edit[];
  outcome: TagOutcome;
  /** The tag is removed and its line holds nothing else: a new digest key may take that line. */
  reusable: boolean;
}

/** Sets the block's tag to `value`, creating it after the repository when absent. */
export function tagValueEdit(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, value: string, field = 'tag'): Edit[] {
  const key = `${block.path}.${field}`;
  if (block.tag) {
    const target = scalarTarget(src, doc, block.tag, key, Boolean(pin.allowAlias));
    const edit = setScalar(src, block.tag, target, value, key, block.style, true);
    return edit ? [edit] : [];
  }
  const after = block.repository ?? block.registry ?? null;
  return [insertIntoMap(src, doc, block.map, after, [{ key: field, value, changeKey: key, style: block.style }])];
}

function currentTag(block: ImageBlock): string | undefined {
  const value = block.tag?.value as { value?: unknown } | null | undefined;
  if (value && typeof value === 'object' && 'value' in value && value.value !== null) return stringValue(value) ?? String(value.value);
  return undefined;
}

export function planTag(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, policy: TagPolicy, field = 'tag'): PlannedTag {
  const target = block.path;
  const before = currentTag(block);
  const was = before !== undefined ? { before } : {};
  if (policy.mode === 'keep') {
    return { edits: [], outcome: block.tag ? { target, action: 'kept', ...was, ...(before !== undefined ? { after: before } : {}) } : { target, action: 'absent' }, reusable: false };
  }
  if (policy.mode === 'set') {
    const edits = tagValueEdit(src, doc, pin, block, policy.value, field);
    return { edits, outcome: { target, action: edits.length ? 'set' : 'kept', ...was, after: policy.value }, reusable: false };
  }
  if (!block.tag) return { edits: [], outcome: { target, action: 'absent' }, reusable: false };
  const edits = [removePair(src, block.map, block.tag, `${block.path}.${field}`)];
  return { edits, outcome: { target, action: 'removed', ...was }, reusable: !hasTrailingComment(src, block.tag) };
}
