// Trusted public keys: PEM text or a path to a PEM file, parsed with node:crypto, each with a fingerprint that
// does not depend on the PEM's formatting. A key that can't be read is an InputError naming the input.
import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../runtime/errors.js';
import type { TrustedKey } from './types.js';

export function fingerprintOf(key: import('node:crypto').KeyObject): string {
  return `sha256:${createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex')}`;
}

/** `sha256:1a2b3c4d5e6f`: short enough for a table, long enough to tell keys apart. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 'sha256:'.length + 12);
}

/**
 * A PEM rebuilt from its label and base64 body, so CRLF, indentation and blank or folded lines (as a YAML
 * scalar or a multiline input may leave them) don't make a good key unreadable.
 */
export function normalizePem(text: string): string {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  if (!match) return text;
  const body = match[2]!.replace(/\s+/g, '');
  return `-----BEGIN ${match[1]}-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${match[1]}-----\n`;
}

export function parsePublicKey(pem: string, source: string, input: string): TrustedKey {
  try {
    const key = createPublicKey(normalizePem(pem));
    return { key, fingerprint: fingerprintOf(key), source };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InputError(input, `${source} is not a PEM public key (${why})`);
  }
}

/** Loads every entry; paths are relative to `baseDir` (the workspace, or the config file's folder). */
export async function loadTrustedKeys(entries: readonly string[], baseDir: string, input: string): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  let inline = 0;
  for (const entry of entries) {
    if (entry.includes('-----BEGIN')) {
      keys.push(parsePublicKey(entry, `inline key ${++inline}`, input));
      continue;
    }
    const path = isAbsolute(entry) ? entry : resolve(baseDir, entry);
    const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new InputError(input, `key file ${entry} can't be read (${e.code ?? e.message})`);
    });
    keys.push(parsePublicKey(text, entry, input));
  }
  return keys;
}
