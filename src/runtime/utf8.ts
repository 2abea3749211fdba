// GitOps files are UTF-8. Decoding other bytes would turn them into U+FFFD and commit that, hiding the
// damage in the diff, so a file that is not valid UTF-8 is refused with the byte offset of the first bad byte.
import { isUtf8 } from 'node:buffer';
import { FileError } from './errors.js';

/** Length of the valid UTF-8 sequence starting at `i`, or 0 (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Byte offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** The file's text; a FileError naming the byte offset (and its line) when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buffer)) return buffer.toString('utf8');
  const offset = invalidUtf8Offset(bytes);
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  const byte = bytes[offset]!.toString(16).padStart(2, '0');
  return failAt(file, line, offset, byte);
}

function failAt(file: string, line: number, offset: number, byte: string): never {
  throw new FileError(file, line, `is not valid UTF-8: byte 0x${byte} at byte offset ${offset}; save the file as UTF-8 (nothing was changed)`);
}
