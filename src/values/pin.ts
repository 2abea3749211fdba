// pinText: the engine's entry point. One parse per file; every pin is planned as text edits against the
// original bytes and spliced in, so bytes outside the edits never change. Pure: no I/O.
import { isMap, isSeq } from 'yaml';
import { FileError, InputError } from '../runtime/errors.js';
import type { Pin, PinChange, PinResult, TagOutcome } from './types.js';
import { lineOf, parseSource, parseYaml } from './source.js';
import { applyEdits, type Applied, type Edit } from './edits.js';
import { isDigest } from './reference.js';
import { planHelm, type Planned } from './pin-helm.js';
import { planKustomize } from './pin-kustomize.js';
import { planYamlPath } from './pin-yaml-path.js';
import { planReference } from './pin-reference.js';
import { planMarker } from './pin-marker.js';
import { cut } from './text.js';
import type { HintAudience } from './hints.js';
import { findPair, parsePath, walk } from './path.js';

/** Pinning is linear, but the parsed tree is large: 50 MB takes about 4 GB, so the engine stops above 64 MiB. */
export const MAX_CHARS = 64 * 2 ** 20;

export interface PinOptions {
  /** Name used in errors and changes (the caller reads and writes the file). */
  file: string;
  /** Re-parse the output and check every pin landed (one extra parse; the CLI turns it on). */
  verify?: boolean;
  /** Refusal hints name `digestpin pin` flags ('cli') or a promotion's inputs ('pipeline', the default). */
  hints?: HintAudience;
}

function plan(src: ReturnType<typeof parseSource>, pin: Pin): Planned {
  switch (pin.target.kind) {
    case 'helm':
      return planHelm(src, pin, pin.target);
    case 'kustomize':
      return planKustomize(src, pin, pin.target.name);
    case 'yaml-path':
      return planYamlPath(src, pin, pin.target.path);
    case 'reference':
      return planReference(src, pin, pin.target);
    case 'marker':
      return planMarker(src, pin, pin.target.name);
  }
}

function targetName(pin: Pin): string {
  const t = pin.target;
  return t.kind === 'kustomize' ? `images[name=${t.name}]` : t.kind === 'marker' ? t.name : t.kind === 'reference' && t.container ? `container ${t.container}` : (t.path ?? 'image');
}

function validatePin(pin: Pin): void {
  if (typeof pin.digest !== 'string' || !isDigest(pin.digest)) {
    throw new InputError('digest', `'${cut(String(pin.digest))}' is not a digest; expected sha256:<64 hex> or sha512:<128 hex>`);
  }
  if (pin.setRepository && !pin.repository) throw new InputError('repository', 'setting the repository needs --repository IMAGE');
  if (pin.tag?.mode === 'set' && !pin.tag.value.trim()) throw new InputError('tag', 'the tag to set is empty');
}

/** Does the output hold each digest where it was pinned? Guards against an engine bug, never user input. */
function verifyOutput(text: string, pins: readonly Pin[], file: string): void {
  const list = parseYaml(text);
  const broken = list.find((d) => d.errors.length > 0);
  // Styles other than a plain digest key: pinning the output again must change nothing, and the digest is in it.
  const fixpoint = (pin: Pin): boolean => {
    if (!text.includes(pin.digest.slice(pin.digest.indexOf(':') + 1))) return false;
    return plan(parseSource(text, file), { ...pin, createMissing: false }).edits.length === 0;
  };
  const landed = (pin: Pin): boolean =>
    pin.target.kind === 'reference' || pin.target.kind === 'marker' || (pin.target.kind === 'helm' && (pin.target.style ?? 'digest') !== 'digest') ? fixpoint(pin) :
    list.some((doc) => {
      if (pin.target.kind === 'kustomize') {
        const images = isMap(doc.contents) ? findPair(doc.contents, 'images')?.value : undefined;
        const name = pin.target.name;
        return isSeq(images) && images.items.some((i) => isMap(i) && i.get('name') === name && i.get('digest') === pin.digest);
      }
      const segs = parsePath((pin.target as { path: string }).path, 'path');
      const w = walk(doc, text, file, pin.target.kind === 'helm' ? [...segs, 'digest'] : segs, true);
      // A Renovate-style tag (`v1@sha256:…`) carries the digest itself, with no digest key beside it.
      return (w.kind === 'found' && (w.node as { value?: unknown } | null)?.value === pin.digest) || (w.kind === 'missing' && fixpoint(pin));
    });
  if (broken || !pins.every(landed)) {
    throw new FileError(file, undefined, 'internal error: the pinned output does not hold the digest; the file was left unchanged');
  }
}

/** Refuses two pins that write the same key (they would fight; the file would depend on pin order). */
function checkDistinct(file: string, edits: readonly Edit[], seen: Set<string>): void {
  for (const e of edits) {
    for (const c of e.changes) {
      if (c.kind !== 'removed' && seen.has(c.key)) throw new FileError(file, undefined, `two pins change the same YAML (${c.key})`);
      seen.add(c.key);
    }
  }
}

/**
 * Pins every target in one pass over one parse. Only when a pin creates keys, and more pins follow,
 * is the text re-parsed, so that a second pin sees (and joins) what the first one created.
 */
export function pinText(text: string, pins: Pin[], options: PinOptions): PinResult {
  for (const pin of pins) validatePin(pin);
  if (text.length > MAX_CHARS) {
    throw new FileError(options.file, undefined, `is ${(text.length / 2 ** 20).toFixed(0)} MiB; digestpin pins values files up to ${MAX_CHARS / 2 ** 20} MiB (a parsed YAML tree takes about 80 bytes of memory per byte of file)`);
  }
  const parse = (t: string) => ({ ...parseSource(t, options.file), audience: options.hints ?? 'pipeline' });
  let src = parse(text);
  let pending: Edit[] = [];
  let located: Applied['located'] = [];
  let previousDigest: string | undefined;
  const seen = new Set<string>();
  const tags: TagOutcome[] = [];
  const flush = (reparse: boolean) => {
    if (pending.length === 0) return;
    const out = applyEdits(src, pending);
    located = [...located.map((l) => ({ ...l, offset: out.shift(l.offset) })), ...out.located];
    src = reparse ? parse(out.text) : { ...src, text: out.text };
    pending = [];
  };
  pins.forEach((pin, i) => {
    const planned = plan(src, pin);
    checkDistinct(options.file, planned.edits, seen);
    pending.push(...planned.edits);
    previousDigest ??= planned.previousDigest;
    tags.push(planned.tag ?? { target: targetName(pin), action: 'absent' });
    if (planned.structural && i < pins.length - 1) flush(true);
  });
  flush(false);
  const extra = previousDigest ? { previousDigest, tags } : { tags };
  if (located.length === 0) return { text, changed: false, changes: [], ...extra };
  const out = src.text;
  if (options.verify) verifyOutput(out, pins, options.file);
  const changes: PinChange[] = located.sort((a, b) => a.offset - b.offset).map(({ change, offset }) => ({ ...change, line: lineOf(out, offset) }));
  return { text: out, changed: out !== text, changes, ...extra };
}
