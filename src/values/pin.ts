// pinText: the engine's entry point. One parse per file, every pin planned as text edits against
// the original bytes, spliced in once; bytes outside the edits are never touched.
import { parseAllDocuments } from 'yaml';
import { FileError, InputError } from '../runtime/errors.js';
import type { Pin, PinResult } from './types.js';
import { parseSource } from './source.js';
import { applyEdits, type Edit } from './edits.js';
import { isDigest } from './reference.js';
import { planHelm, type Planned } from './pin-helm.js';
import { planKustomize } from './pin-kustomize.js';
import { planYamlPath } from './pin-yaml-path.js';
import { parsePath, walk } from './path.js';
import { findPair } from './path.js';
import { isMap, isSeq } from 'yaml';

export interface PinOptions {
  /** Name used in errors and changes (the caller reads and writes the file). */
  file: string;
  /** Re-parse the output and check every pin landed (one extra parse; the CLI turns it on). */
  verify?: boolean;
}

function plan(src: ReturnType<typeof parseSource>, pin: Pin): Planned {
  switch (pin.target.kind) {
    case 'helm':
      return planHelm(src, pin, pin.target.path);
    case 'kustomize':
      return planKustomize(src, pin, pin.target.name);
    case 'yaml-path':
      return planYamlPath(src, pin, pin.target.path);
  }
}

function validatePin(pin: Pin): void {
  if (typeof pin.digest !== 'string' || !isDigest(pin.digest)) {
    throw new InputError('digest', `'${String(pin.digest)}' is not a digest; expected sha256:<64 hex> or sha512:<128 hex>`);
  }
  if (pin.setRepository && !pin.repository) throw new InputError('repository', 'setting the repository needs --repository IMAGE');
  if (pin.tag?.mode === 'set' && !pin.tag.value.trim()) throw new InputError('tag', 'the tag to set is empty');
}

/** Does the output hold each digest where it was pinned? Guards against an engine bug, never user input. */
function verifyOutput(text: string, pins: readonly Pin[], file: string): void {
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [];
  const broken = list.find((d) => d.errors.length > 0);
  const landed = (pin: Pin): boolean =>
    list.some((doc) => {
      if (pin.target.kind === 'kustomize') {
        const images = isMap(doc.contents) ? findPair(doc.contents, 'images')?.value : undefined;
        const name = pin.target.name;
        return isSeq(images) && images.items.some((i) => isMap(i) && i.get('name') === name && i.get('digest') === pin.digest);
      }
      const segs = parsePath(pin.target.path, 'path');
      const w = walk(doc, text, file, pin.target.kind === 'helm' ? [...segs, 'digest'] : segs, true);
      return w.kind === 'found' && (w.node as { value?: unknown } | null)?.value === pin.digest;
    });
  if (broken || !pins.every(landed)) {
    throw new FileError(file, undefined, 'internal error: the pinned output does not hold the digest; the file was left unchanged');
  }
}

export function pinText(text: string, pins: Pin[], options: PinOptions): PinResult {
  for (const pin of pins) validatePin(pin);
  const src = parseSource(text, options.file);
  const edits: Edit[] = [];
  let previousDigest: string | undefined;
  for (const pin of pins) {
    const planned = plan(src, pin);
    edits.push(...planned.edits);
    previousDigest ??= planned.previousDigest;
  }
  if (edits.length === 0) return { text, changed: false, changes: [], ...(previousDigest ? { previousDigest } : {}) };
  const out = applyEdits(src, edits);
  if (options.verify) verifyOutput(out.text, pins, options.file);
  return { text: out.text, changed: out.text !== text, changes: out.changes, ...(previousDigest ? { previousDigest } : {}) };
}
