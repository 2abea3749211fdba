// A reference model of what a pin means, on plain parsed data: tests compare parse(output) with
// model(parse(input)). Deliberately naive and independent of the engine's text editing.
import { parseAllDocuments } from 'yaml';
import type { Pin } from '../../../src/values/index.js';

export const D1 = `sha256:${'1'.repeat(64)}`;
export const D2 = `sha256:${'2'.repeat(64)}`;

type Obj = Record<string, unknown>;

function segmentsOf(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
}

function ensure(root: Obj, segments: (string | number)[]): Obj {
  let node: Obj = root;
  for (const s of segments) {
    const key = s as keyof Obj;
    if (node[key] === undefined || node[key] === null) node[key] = {};
    node = node[key] as Obj;
  }
  return node;
}

/** Applies a pin to parsed data the way a user reads the chart contract. */
export function applyModel(data: unknown, pin: Pin): unknown {
  const root = structuredClone(data) as Obj;
  const t = pin.target;
  if (t.kind === 'yaml-path') {
    const segs = segmentsOf(t.path);
    const parent = ensure(root, segs.slice(0, -1));
    parent[segs[segs.length - 1] as string] = pin.digest;
    if (pin.setRepository && pin.repository && 'repository' in parent) parent.repository = pin.repository;
    return root;
  }
  if (t.kind === 'reference' || t.kind === 'marker') throw new Error('reference and marker targets have their own model (referenceModel)');
  let block: Obj;
  let tagKey = 'tag';
  if (t.kind === 'helm' && t.style && t.style !== 'digest' && t.style !== 'registry') return styleModel(root, t, pin);
  if (t.kind === 'helm' && typeof ensure(root, segmentsOf(t.path)).tag === 'string' && String(ensure(root, segmentsOf(t.path)).tag).includes('@') && pin.tag?.mode !== 'remove') {
    return styleModel(root, { ...t, style: 'tag-digest' }, pin);
  }
  if (t.kind === 'helm') {
    block = ensure(root, segmentsOf(t.path));
    const field = t.style === 'registry' && 'image' in block ? 'image' : 'repository';
    if (pin.setRepository && pin.repository) {
      if (typeof block.registry === 'string') {
        const [host, ...rest] = pin.repository.split('/');
        block.registry = host;
        block[field] = rest.join('/');
      } else block[field] = pin.repository;
    }
    if (block[field] === undefined && pin.repository) block[field] = pin.repository;
  } else {
    tagKey = 'newTag';
    root.images ??= [];
    const images = root.images as Obj[];
    let entry = images.find((i) => i.name === t.name);
    if (!entry) {
      entry = { name: t.name };
      if (pin.repository && pin.repository !== t.name) entry.newName = pin.repository;
      images.push(entry);
    } else if (pin.setRepository && pin.repository) entry.newName = pin.repository;
    block = entry;
  }
  // Helm keeps the tag by default; kustomize drops newTag (it would render name:tag@digest).
  const tag = pin.tag ?? { mode: t.kind === 'kustomize' ? 'remove' : 'keep' };
  if (tag.mode === 'set') block[tagKey] = tag.value;
  if (tag.mode === 'remove') delete block[tagKey];
  block.digest = pin.digest;
  return root;
}

type HelmTarget = Extract<Pin['target'], { kind: 'helm' }>;

/** sha and tag-digest styles on parsed data. */
function styleModel(root: Obj, t: HelmTarget, pin: Pin): unknown {
  const block = ensure(root, segmentsOf(t.path));
  if (pin.setRepository && pin.repository) block.repository = pin.repository;
  if (t.style === 'sha') {
    if (pin.tag?.mode === 'set') block.tag = pin.tag.value;
    if (pin.tag?.mode === 'remove') delete block.tag;
    block[t.shaKey ?? 'sha'] = pin.digest.slice('sha256:'.length);
    return root;
  }
  const base = pin.tag?.mode === 'set' ? pin.tag.value : String(block.tag ?? '').split('@')[0];
  block.tag = `${base}@${pin.digest}`;
  if (typeof block.digest === 'string' && block.digest !== '') block.digest = pin.digest;
  return root;
}

/** A one-string reference after the pin: repository kept (or set), tag by policy, the new digest. */
export function referenceModel(value: string, pin: Pin): string {
  const at = value.indexOf('@');
  const name = at >= 0 ? value.slice(0, at) : value;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  let repository = hasTag ? name.slice(0, colon) : name;
  let tag = hasTag ? name.slice(colon + 1) : undefined;
  if (pin.setRepository && pin.repository) repository = pin.repository;
  if (pin.tag?.mode === 'set') tag = pin.tag.value;
  if (pin.tag?.mode === 'remove') tag = undefined;
  return `${repository}${tag ? `:${tag}` : ''}@${pin.digest}`;
}

export function parseDocs(text: string): unknown[] {
  const docs = parseAllDocuments(text);
  return (Array.isArray(docs) ? docs : []).map((d) => d.toJS());
}
