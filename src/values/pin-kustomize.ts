// Kustomize target: the `images:` entry with the given `name` gets `digest:`; `newName` is checked,
// kept or set; the entry (and `images:` itself) is created when asked.
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { FileError } from '../runtime/errors.js';
import type { Pin, TagOutcome, TagPolicy } from './types.js';
import { splitTag } from './image-string.js';
import { checkSharedAnchors, findPair } from './path.js';
import { columnOf, lineOf, type SourceFile } from './source.js';
import { hasTrailingComment, insertIntoMap, insertLines, isEmptyValue, removePair, renderScalar, replacePair, setScalar, stringValue, type Edit, type PendingChange } from './edits.js';
import { readBlock, scalarTarget, type ImageBlock } from './block.js';
import { sameRepository } from './reference.js';
import { hint } from './hints.js';
import { cut } from './text.js';
import type { Planned } from './pin-helm.js';

export function kustomizeDoc(src: SourceFile): Document.Parsed {
  const withImages = src.docs.filter((d) => isMap(d.contents) && findPair(d.contents, 'images'));
  if (withImages.length > 1) throw new FileError(src.file, lineOf(src.text, withImages[1]!.range[0]), "more than one document has 'images:'; can't tell which to pin");
  const maps = src.docs.filter((d) => isMap(d.contents));
  const doc = withImages[0] ?? (maps.length === 1 ? maps[0] : undefined);
  if (!doc) throw new FileError(src.file, undefined, "no kustomization document (a map with 'images:') found");
  return doc;
}

function newEntryFields(pin: Pin, name: string): [string, string][] {
  const fields: [string, string][] = [['name', name]];
  if (pin.repository && !sameRepository(pin.repository, name)) fields.push(['newName', pin.repository]);
  if (pin.tag?.mode === 'set') fields.push(['newTag', pin.tag.value]);
  fields.push(['digest', pin.digest]);
  return fields;
}

function entryLines(fields: [string, string][], dash: string, keyIndent: string, key: (k: string) => string): { line: string; change?: PendingChange }[] {
  return fields.map(([k, v], i) => ({
    line: `${i === 0 ? `${dash}- ` : keyIndent}${k}: ${renderScalar(v, undefined)}`,
    change: { key: key(k), kind: 'created', after: v, at: i === 0 ? dash.length + 2 : keyIndent.length },
  }));
}

function createEntry(src: SourceFile, pin: Pin, name: string, root: YAMLMap, imagesPair: Pair<unknown, unknown> | undefined): Edit {
  const fields = newEntryFields(pin, name);
  const seq = imagesPair?.value;
  const key = (k: string) => `images[name=${name}].${k}`;
  if (isSeq(seq) && seq.flow) {
    const changes: PendingChange[] = [];
    let text = '{';
    for (const [i, [k, v]] of fields.entries()) {
      text += `${i ? ', ' : ''}${k}: `;
      changes.push({ key: key(k), kind: 'created', after: v, at: text.length });
      text += renderScalar(v, undefined);
    }
    text += '}';
    const last = seq.items[seq.items.length - 1] as Node | undefined;
    if (!last) return { start: seq.range![0] + 1, end: seq.range![0] + 1, text, changes };
    return { start: last.range![1], end: last.range![1], text: `, ${text}`, changes: changes.map((c) => ({ ...c, at: c.at + 2 })) };
  }
  if (isSeq(seq) && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as Node;
    const itemStart = last.range![0];
    const dashAt = src.text.lastIndexOf('-', itemStart);
    const dash = ' '.repeat(columnOf(src.text, dashAt));
    const lines = entryLines(fields, dash, ' '.repeat(columnOf(src.text, itemStart)), key);
    return insertLines(src, Math.max(last.range![1] - 1, itemStart), lines);
  }
  const lines = entryLines(fields, '', '  ', key);
  if (imagesPair && isEmptyValue(seq)) {
    // `images:` with no value: the entry goes on the lines below it.
    return insertLines(src, (imagesPair.key as Node).range![1], lines);
  }
  if (imagesPair) throw new FileError(src.file, lineOf(src.text, (imagesPair.key as Node).range![0]), "'images' is not a list");
  const col = root.items[0] ? ' '.repeat(columnOf(src.text, (root.items[0].key as Node).range![0])) : '';
  const last = root.items[root.items.length - 1] as Pair<unknown, unknown>;
  const end = Math.max(((last.value as Node | null)?.range?.[1] ?? 0) - 1, (last.key as Node).range![1]);
  return insertLines(src, end, [{ line: `${col}images:` }, ...lines.map((l) => ({ ...l, line: col + l.line, change: l.change && { ...l.change, at: l.change.at + col.length } }))]);
}

export function findEntry(src: SourceFile, seq: YAMLSeq, name: string): YAMLMap | undefined {
  const matches = seq.items.filter((item): item is YAMLMap => isMap(item) && stringValue(findPair(item, 'name')?.value) === name);
  if (matches.length > 1) throw new FileError(src.file, lineOf(src.text, matches[1]!.range![0]), `two images entries are named '${name}'`);
  return matches[0];
}

function newNameEdits(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, name: string, key: string): Edit[] {
  if (!pin.repository) return [];
  const current = block.repository ? stringValue(block.repository.value) : name;
  if (current !== undefined && sameRepository(current, pin.repository)) return [];
  const line = lineOf(src.text, block.map.range![0]);
  if (!pin.setRepository) throw new FileError(src.file, line, `images entry '${name}' renders ${current ?? '?'}, not ${pin.repository}${hint(src, 'set-repository', (h) => `pass ${h} to set newName`)}`);
  if (block.repository) {
    const edit = setScalar(src, block.repository, scalarTarget(src, doc, block.repository, `${key}.newName`, Boolean(pin.allowAlias)), pin.repository, `${key}.newName`, block.style);
    return edit ? [edit] : [];
  }
  const after = findPair(block.map, 'name') ?? null;
  return [insertIntoMap(src, doc, block.map, after, [{ key: 'newName', value: pin.repository, changeKey: `${key}.newName`, style: block.style }])];
}

/**
 * kustomize renders `name:newTag@digest` when both are set, so by default the digest replaces newTag
 * (the rendered image is then `name@sha256:...`); an explicit keep or set policy wins.
 */
function tagPolicy(pin: Pin): TagPolicy {
  return pin.tag ?? { mode: 'remove' };
}

function tagEdits(src: SourceFile, doc: Document.Parsed, pin: Pin, block: ImageBlock, key: string): Edit[] {
  const policy = tagPolicy(pin);
  const kept = stringValue(block.tag?.value);
  if (policy.mode === 'keep' && kept && splitTag(kept).digest !== undefined) {
    // A kept `newTag: 1.26@sha256:<old>` would name another image than `digest:`: its digest part follows the pin.
    const target = scalarTarget(src, doc, block.tag!, `${key}.newTag`, Boolean(pin.allowAlias));
    const edit = setScalar(src, block.tag, target, `${splitTag(kept).tag}@${pin.digest}`, `${key}.newTag`, block.style, true);
    return edit ? [edit] : [];
  }
  if (policy.mode === 'keep') return [];
  if (policy.mode === 'remove') return block.tag && block.digest ? [removePair(src, block.map, block.tag, `${key}.newTag`)] : [];
  if (block.tag) {
    const target = scalarTarget(src, doc, block.tag, `${key}.newTag`, Boolean(pin.allowAlias));
    const edit = setScalar(src, block.tag, target, policy.value, `${key}.newTag`, block.style, true);
    return edit ? [edit] : [];
  }
  const after = block.repository ?? findPair(block.map, 'name') ?? null;
  return [insertIntoMap(src, doc, block.map, after, [{ key: 'newTag', value: policy.value, changeKey: `${key}.newTag`, style: block.style }])];
}

const KUSTOMIZE_KEYS = ['resources', 'bases', 'components', 'patches', 'namePrefix', 'nameSuffix', 'configMapGenerator', 'helmCharts'];

function looksLikeKustomization(root: YAMLMap): boolean {
  if (stringValue(findPair(root, 'kind')?.value) === 'Kustomization') return true;
  return KUSTOMIZE_KEYS.some((k) => findPair(root, k));
}

function tagOutcome(pin: Pin, block: ImageBlock | undefined, key: string): TagOutcome {
  const policy = tagPolicy(pin);
  const before = stringValue(block?.tag?.value);
  const was = before !== undefined ? { before: splitTag(before).tag } : {};
  if (policy.mode === 'set') return { target: key, action: before === policy.value ? 'kept' : 'set', ...was, after: policy.value };
  if (!block?.tag) return { target: key, action: 'absent' };
  if (policy.mode === 'remove') return { target: key, action: 'removed', ...was };
  return { target: key, action: 'kept', ...was, ...(before !== undefined ? { after: splitTag(before).tag } : {}) };
}

export function planKustomize(src: SourceFile, pin: Pin, name: string): Planned {
  const { block, ...planned } = planEntry(src, pin, name);
  return planned.tag ? planned : { ...planned, tag: tagOutcome(pin, block, `images[name=${name}]`) };
}

function planEntry(src: SourceFile, pin: Pin, name: string): Planned & { block?: ImageBlock } {
  const doc = kustomizeDoc(src);
  const root = doc.contents as YAMLMap;
  const imagesPair = findPair(root, 'images');
  const seq = imagesPair?.value;
  if (imagesPair && !isSeq(seq) && !isEmptyValue(seq)) throw new FileError(src.file, lineOf(src.text, (imagesPair.key as Node).range![0]), "'images' is not a list");
  const entry = isSeq(seq) ? findEntry(src, seq, name) : undefined;
  const key = `images[name=${name}]`;
  if (!entry) {
    if (!imagesPair && !looksLikeKustomization(root)) {
      // Creating `images:` here would write a key nothing reads: don't offer --create, say what the file is.
      throw new FileError(src.file, undefined, `no images entry named '${cut(name)}', and this is not a kustomization (no kind: Kustomization, resources: or images:)${hint(src, 'key', (h) => `for Helm values use ${h}`)}`);
    }
    if (!pin.createMissing) throw new FileError(src.file, imagesPair ? lineOf(src.text, (imagesPair.key as Node).range![0]) : undefined, `no images entry named '${cut(name)}'${hint(src, 'create', (h) => `create it with ${h}`)}`);
    const set = pin.tag?.mode === 'set' ? pin.tag.value : undefined;
    return { edits: [createEntry(src, pin, name, root, imagesPair)], structural: true, tag: set ? { target: key, action: 'set', after: set } : { target: key, action: 'absent' } };
  }
  if (!pin.allowAlias) checkSharedAnchors(doc, src.text, src.file, [entry, ...(isScalar(seq) ? [] : [seq as Node])], key);
  const block = readBlock(entry, { repository: 'newName', tag: 'newTag', name: 'name' });
  const edits = [...newNameEdits(src, doc, pin, block, name, key), ...tagEdits(src, doc, pin, block, key)];
  if (block.digest) {
    const target = scalarTarget(src, doc, block.digest, `${key}.digest`, Boolean(pin.allowAlias));
    const previous = stringValue(target) || undefined;
    const edit = setScalar(src, block.digest, target, pin.digest, `${key}.digest`, block.style);
    return { edits: edit ? [...edits, edit] : edits, previousDigest: previous, block };
  }
  const created = { key: 'digest', value: pin.digest, changeKey: `${key}.digest`, style: block.style };
  if (block.tag && tagPolicy(pin).mode === 'remove' && !hasTrailingComment(src, block.tag)) {
    edits.push(replacePair(block.tag, created, `${key}.newTag`));
    return { edits, block };
  }
  const removed = block.tag && tagPolicy(pin).mode === 'remove';
  if (removed) edits.push(removePair(src, entry, block.tag!, `${key}.newTag`));
  const after = (removed ? null : block.tag) ?? block.repository ?? findPair(entry, 'name') ?? null;
  edits.push(insertIntoMap(src, doc, entry, after, [created]));
  return { edits, block };
}
