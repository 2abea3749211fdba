// Non-UTF-8 bytes are refused with the byte offset, never decoded to U+FFFD; duplicate keys are still refused
// after the yaml package's quadratic check was turned off.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../../src/runtime/errors.js';
import { decodeUtf8, invalidUtf8Offset, pinText } from '../../../src/values/index.js';
import { D1 } from './model.js';

describe('decodeUtf8', () => {
  it('refuses a Latin-1 comment with its byte offset and line', () => {
    const bytes = Buffer.concat([Buffer.from('image:\n  repository: web # caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(() => decodeUtf8(bytes, 'values.yaml')).toThrow(FileError);
    expect(() => decodeUtf8(bytes, 'values.yaml')).toThrow('values.yaml:2: is not valid UTF-8: byte 0xe9 at byte offset 30; save the file as UTF-8 (nothing was changed)');
  });

  it('keeps a BOM and multi-byte characters', () => {
    const text = '\uFEFFimage: # café ✓ 🚀\n  repository: web\n';
    expect(decodeUtf8(Buffer.from(text, 'utf8'), 'v')).toBe(text);
  });

  it('finds the same first bad byte as a strict decoder, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const offset = invalidUtf8Offset(bytes);
        const strict = (b: Uint8Array) => {
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(b);
            return true;
          } catch {
            return false;
          }
        };
        expect(offset === -1).toBe(strict(bytes));
        if (offset >= 0) {
          expect(strict(bytes.subarray(0, offset))).toBe(true);
          expect(strict(bytes.subarray(0, offset + 4))).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('duplicate keys without the quadratic check', () => {
  it('are still refused by the engine, naming both lines', () => {
    expect(() => pinText('image:\n  repository: web\n  tag: a\n  tag: b\n', [{ target: { kind: 'helm', path: 'image' }, digest: D1 }], { file: 'v.yaml' })).toThrow("v.yaml:4: duplicate key: 'tag' (first at line 3)");
  });

  it('in nested maps, lists and later documents', () => {
    const text = 'a:\n  - b: 1\n    c: 2\n---\nx:\n  y: 1\n  y: 2\n';
    expect(() => pinText(text, [{ target: { kind: 'yaml-path', path: 'a[0].b' }, digest: D1 }], { file: 'v.yaml' })).toThrow("v.yaml:7: duplicate key: 'y' (first at line 6)");
  });
});

describe('a size cap above the benchmarked 50 MB', () => {
  it('refuses a file above 64 MiB in one line', () => {
    const text = `image:\n  repository: web\n${'#'.repeat(64 * 2 ** 20)}\n`;
    expect(() => pinText(text, [{ target: { kind: 'helm', path: 'image' }, digest: D1 }], { file: 'big.yaml' })).toThrow(/^big.yaml: is 64 MiB; digestpin pins values files up to 64 MiB/);
  });
});
