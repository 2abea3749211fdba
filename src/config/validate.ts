// Validates a parsed digestpin.yaml against the JSON Schema (ajv, compiled once, loaded only when a config
// is used) and turns the first problem into one FileError naming the file, the line and, for a typo, the
// key that was probably meant.
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, type Document, type Node } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { lineOf as lineOfOffset } from '../values/source.js';
import { configSchema } from './schema.js';
import { didYouMean } from './suggest.js';
import type { RawConfig } from './types.js';

let compiled: ReturnType<Ajv['compile']> | undefined;

function validator(): ReturnType<Ajv['compile']> {
  // verbose: errors carry their parentSchema, which lists the keys and values a typo is compared with.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, keywords: ['x-hint'] }).compile(configSchema);
  return compiled;
}

type Segment = string | number;

function segments(pointer: string): Segment[] {
  return pointer ? pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];
}

function dotted(path: Segment[]): string {
  return path.length ? path.join('.') : 'the config';
}

export function lineAt(text: string, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : lineOfOffset(text, offset);
}

/** The line of the value at `path`, or of the key `key` inside it. */
function lineOf(doc: Document, text: string, path: Segment[], key?: string): number | undefined {
  const node = (path.length ? doc.getIn(path, true) : doc.contents) as Node | undefined;
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair) return lineAt(text, (pair.key as Node).range?.[0]);
  }
  return lineAt(text, node?.range?.[0]);
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const TYPE_NAMES: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', boolean: 'true or false' };

function describe(e: ErrorObject, path: Segment[]): { message: string; key?: string } {
  const where = dotted(path);
  const parent = e.parentSchema as { properties?: Record<string, unknown>; enum?: string[]; 'x-hint'?: string } | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      const hint = didYouMean(key, known);
      return { key, message: `unknown key '${key}' in ${where}${hint || ` (known keys: ${known.join(', ')})`}` };
    }
    case 'required':
      if (e.schemaPath.includes('/then/')) return { message: `${where} needs '${String(e.params.missingProperty)}:' with require: signature (PEM text or a path)`, key: 'require' };
      return { message: `${where} needs '${String(e.params.missingProperty)}:'` };
    case 'oneOf': {
      const both = e.data && typeof e.data === 'object' && 'file' in e.data && 'targets' in e.data;
      return { message: both ? `${where} has both 'file:' and 'targets:'; give one target inline, or several under 'targets:'` : `${where} needs 'file:' (or 'targets:', a list of targets)` };
    }
    case 'enum':
      return { message: `${where} '${shown(e.data)}' is not one of ${(e.params.allowedValues as string[]).join(', ')}${didYouMean(String(e.data), e.params.allowedValues as string[])}` };
    case 'type':
      return { message: `${where} must be ${TYPE_NAMES[String(e.params.type)] ?? String(e.params.type)}, not ${shown(e.data)}` };
    case 'pattern':
      if (e.propertyName !== undefined) return { key: e.propertyName, message: `name '${shown(e.propertyName)}' in ${where} may hold only letters, digits, '.', '_' and '-'` };
      return { message: `${where} '${shown(e.data)}' is not ${parent?.['x-hint'] ?? `of the form ${String(e.params.pattern)}`}` };
    case 'minLength':
      return { message: `${where} must not be empty` };
    case 'minItems':
    case 'minProperties':
      return { message: `${where} must not be empty` };
    default:
      return { message: `${where} ${e.message ?? 'is not valid'}` };
  }
}

/** Throws one FileError for the first problem (in file order); returns the document's data, typed, when valid. */
export function validateConfig(doc: Document, text: string, file: string): RawConfig {
  const data: unknown = doc.toJS();
  const validate = validator();
  if (validate(data)) return data as RawConfig;
  // Branch errors of oneOf/if are noise once the oneOf/then error itself says what is wrong.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames' && !/\/oneOf\/\d+\//.test(e.schemaPath));
  const found = errors.map((e) => {
    const path = segments(e.instancePath);
    const { message, key } = describe(e, path);
    return { message, line: lineOf(doc, text, path, key) ?? 1, rank: e.keyword === 'required' || e.keyword === 'oneOf' ? 1 : 0 };
  });
  // File order; on one line, a misspelt key explains a missing one ('enviroments:' -> needs 'environments:').
  found.sort((a, b) => a.line - b.line || a.rank - b.rank);
  const first = found[0] ?? { message: 'is not a valid digestpin config', line: 1 };
  const more = found.length > 1 ? ` (and ${found.length - 1} more problem${found.length > 2 ? 's' : ''})` : '';
  throw new FileError(file, first.line, `${first.message}${more}`);
}
