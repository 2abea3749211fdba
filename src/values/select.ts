// Picks the one document of a (possibly multi-document) file that a pin applies to: the document
// where the path exists, or failing that where most of it exists. Two candidates is an error.
import type { Document } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { formatPath, walk, type Segment, type Walk } from './path.js';
import { lineOf, type SourceFile } from './source.js';

export interface Selected {
  doc: Document.Parsed;
  walk: Walk;
}

function docLine(src: SourceFile, doc: Document.Parsed): number {
  return lineOf(src.text, doc.range[0]);
}

export function selectDocument(src: SourceFile, segments: readonly Segment[], allowAlias: boolean): Selected {
  if (src.docs.length === 0) throw new FileError(src.file, undefined, 'file has no YAML document');
  const walks = src.docs.map((doc) => walk(doc, src.text, src.file, segments, allowAlias));
  const path = formatPath(segments);
  const found = walks.flatMap((w, i) => (w.kind === 'found' ? [i] : []));
  if (found.length > 1) {
    const lines = found.map((i) => docLine(src, src.docs[i]!));
    throw new FileError(src.file, lines[1], `'${path}' is in ${found.length} documents (at lines ${lines.join(', ')}); can't tell which to pin`);
  }
  let best = found[0];
  if (best === undefined) {
    const depth = (w: Walk) => (w.kind === 'found' ? segments.length + 1 : w.depth);
    const deepest = Math.max(...walks.map(depth));
    const tied = walks.flatMap((w, i) => (depth(w) === deepest ? [i] : []));
    if (tied.length > 1) {
      throw new FileError(src.file, undefined, `'${path}' is in none of the ${src.docs.length} documents, and more than one could take it`);
    }
    best = tied[0]!;
  }
  const chosen = walks[best]!;
  if (chosen.kind === 'error') throw chosen.error;
  return { doc: src.docs[best]!, walk: chosen };
}
