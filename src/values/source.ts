// One parse of a YAML file, kept with its original text so edits can be spliced in by offset.
// Offsets come from the `yaml` package's node ranges; the text is never re-stringified.
import { parseAllDocuments, type Document, type YAMLError } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { duplicateKeys, type DuplicateKey } from './duplicates.js';
import { cut } from './text.js';
import type { HintAudience } from './hints.js';

export interface SourceFile {
  file: string;
  text: string;
  docs: Document.Parsed[];
  /** Line ending used for new lines: the file's first one, `\n` when it has none. */
  eol: string;
  /** Who reads refusal hints: the CLI's `pin` flags, or a promotion's inputs (the default). */
  audience?: HintAudience;
}

/** 1-based line of a character offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  let i = text.indexOf('\n');
  while (i !== -1 && i < offset) {
    line++;
    i = text.indexOf('\n', i + 1);
  }
  return line;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Column (0-based) of an offset, counted from its line start. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** True when only spaces stand between the line start and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStart(text, offset), offset).trim() === '';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The first parse error as a FileError, or undefined. `line` is 1-based. */
export function syntaxError(file: string, errors: readonly YAMLError[]): FileError | undefined {
  const error = errors[0];
  if (!error) return undefined;
  const line = error.linePos?.[0]?.line;
  const what = error.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'YAML syntax error';
  return new FileError(file, line, `${what}: ${cut(firstLine(error.message), 120)}`);
}

/**
 * Every document of a file, parsed without the yaml package's duplicate-key check (it compares each key with
 * every earlier one: quadratic, minutes on a few MB). duplicateKeys does the same check in linear time.
 */
export function parseYaml(text: string): Document.Parsed[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  // parseAllDocuments returns an EmptyStream for a file with no documents.
  return Array.isArray(docs) ? docs : [];
}

export function duplicateKeyError(file: string, text: string, dup: DuplicateKey): FileError {
  return new FileError(file, lineOf(text, dup.offset), `duplicate key: '${cut(dup.key)}' (first at line ${lineOf(text, dup.firstOffset)})`);
}

/** Parses every document; a syntax error or duplicate key anywhere fails the whole file. */
export function parseSource(text: string, file: string): SourceFile {
  const docs = parseYaml(text);
  for (const doc of docs) {
    const error = syntaxError(file, doc.errors);
    if (error) throw error;
    const dup = duplicateKeys(doc)[0];
    if (dup) throw duplicateKeyError(file, text, dup);
  }
  return { file, text, docs, eol: detectEol(text) };
}

export function detectEol(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}
