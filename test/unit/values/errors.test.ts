// Bad input: each case is one FileError (or InputError for a bad flag value) naming the file and line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError, InputError } from '../../../src/runtime/errors.js';
import { pinText, type Pin } from '../../../src/values/index.js';
import { D1 } from './model.js';

const DIR = join(import.meta.dirname, '../../fixtures/values');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');
const helm = (path: string, extra: Partial<Pin> = {}): Pin => ({ target: { kind: 'helm', path }, digest: D1, ...extra });

function failure(text: string, pins: Pin[], file = 'values.yaml'): unknown {
  try {
    pinText(text, pins, { file, hints: 'cli' });
  } catch (error) {
    return error;
  }
  throw new Error('expected pinText to fail');
}

const CASES: Array<[name: string, file: string, pin: Pin, line: number | undefined, message: RegExp]> = [
  // yaml reports an unclosed flow sequence where it notices it: the next line.
  ['YAML syntax error', 'err-syntax.yaml', helm('image'), 4, /YAML syntax error/],
  ['duplicate keys', 'err-duplicate-keys.yaml', helm('image'), 4, /duplicate key/],
  ['a path through a scalar', 'err-through-scalar.yaml', helm('image.inner'), 1, /'image' is a scalar .* not a map/],
  ['an image that is a plain string', 'err-through-scalar.yaml', helm('image'), 1, /not an image block/],
  ['a path through a sequence by key', 'err-through-sequence.yaml', helm('sidecars.image'), 2, /'sidecars' is a sequence/],
  ['a sequence index out of range', 'err-through-sequence.yaml', helm('sidecars[2].image'), 2, /has 1 item\(s\), so 'sidecars\[2\]' does not exist/],
  ['a target that is an alias', 'anchor-alias-target.yaml', helm('image'), 4, /'image' is an alias \(\*shared\)/],
  ['a digest that is a number', 'err-digest-number.yaml', helm('image'), 3, /'image.digest' is 123 \(number\), not a string/],
  ['a digest that is a map', 'err-digest-map.yaml', helm('image'), 4, /'image.digest' is a map, not a string/],
  ['a repository naming another image', 'err-wrong-repository.yaml', helm('image', { repository: 'ghcr.io/acme/web' }), 2, /names ghcr.io\/acme\/other, not ghcr.io\/acme\/web/],
  ['a path in two documents', 'err-ambiguous-multidoc.yaml', helm('image'), 3, /in 2 documents/],
  ['a block without repository', 'err-missing-repository.yaml', helm('image'), 2, /has no repository \(it still uses the legacy 'graph' key\)/],
  ['a missing block', 'err-missing-block.yaml', helm('image'), 1, /'image' not found.*--create/],
  ['a missing kustomize entry', 'kustomization-basic.yaml', { target: { kind: 'kustomize', name: 'redis' }, digest: D1 }, 5, /no images entry named 'redis'/],
  ['a kustomize newName naming another image', 'kustomization-newname.yaml', { target: { kind: 'kustomize', name: 'web' }, digest: D1, repository: 'ghcr.io/x/web' }, 6, /renders registry.example.com\/acme\/web, not ghcr.io\/x\/web/],
  ['a missing yaml path', 'helmrelease.yaml', { target: { kind: 'yaml-path', path: 'spec.values.image.digest' }, digest: D1 }, 14, /has no key 'digest'/],
];

describe('pinText refuses bad input with file and line', () => {
  it.each(CASES)('%s', (_, file, pin, line, message) => {
    const error = failure(read(file), [pin], file);
    expect(error).toBeInstanceOf(FileError);
    const e = error as FileError;
    expect(e.context).toEqual({ file, line });
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(line ? `${file}:${line}: ` : `${file}: `)).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  it('refuses an anchored block that an alias elsewhere reuses', () => {
    const text = 'base: &base\n  repository: ghcr.io/acme/web\nimage: *base\n';
    const e = failure(text, [helm('base')]) as FileError;
    expect(e.message).toMatch(/^values.yaml:1: 'base' sits under anchor &base, which \*base at line 3 reuses/);
  });

  it('refuses a digest scalar reached through an alias', () => {
    const text = `pinned: &d ${D1}\nimage:\n  repository: web\n  digest: *d\n`;
    const e = failure(text, [helm('image', { digest: `sha256:${'a'.repeat(64)}` })]) as FileError;
    expect(e.message).toMatch(/^values.yaml:4: 'image.digest' is an alias/);
  });

  it.each([['sha256:abc'], ['latest'], [`SHA256:${'1'.repeat(64)}`], [`sha256:${'g'.repeat(64)}`]])('refuses the malformed digest %s as input', (digest) => {
    const e = failure('image:\n  repository: web\n', [helm('image', { digest })]);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toMatch(/^input 'digest': .* is not a digest/);
  });

  it('refuses a path that is not a key path', () => {
    expect(failure('a: 1\n', [helm('image..x')])).toBeInstanceOf(InputError);
    expect(failure('a: 1\n', [helm('[0]')])).toBeInstanceOf(InputError);
  });

  it('refuses two pins that write the same key', () => {
    const e = failure('image:\n  repository: web\n', [helm('image'), helm('image', { digest: `sha256:${'b'.repeat(64)}` })]) as FileError;
    expect(e.message).toMatch(/two pins change the same YAML/);
  });

  it('applies several pins in one pass', () => {
    const text = readFileSync(join(DIR, 'multi-container.yaml'), 'utf8');
    const r = pinText(text, [helm('image'), helm('jobs.backup.image'), helm('migrations.image')], { file: 'v.yaml', verify: true });
    expect(r.changes.map((c) => [c.key, c.line])).toEqual([
      ['image.digest', 4],
      ['migrations.image.digest', 11],
      ['jobs.backup.image.digest', 20],
    ]);
  });
});

describe('several pins that create structure', () => {
  it('lets a later pin join the map an earlier pin created', () => {
    const text = 'replicas: 1\n';
    const r = pinText(text, [
      helm('jobs.backup.image', { repository: 'ghcr.io/acme/backup', createMissing: true }),
      helm('jobs.cleanup.image', { repository: 'ghcr.io/acme/cleanup', createMissing: true }),
    ], { file: 'v.yaml', verify: true });
    expect(r.text).toBe(
      `replicas: 1\njobs:\n  backup:\n    image:\n      repository: ghcr.io/acme/backup\n      digest: ${D1}\n` +
        `  cleanup:\n    image:\n      repository: ghcr.io/acme/cleanup\n      digest: ${D1}\n`,
    );
    expect(r.changes.map((c) => [c.key, c.line])).toEqual([
      ['jobs.backup.image.repository', 5],
      ['jobs.backup.image.digest', 6],
      ['jobs.cleanup.image.repository', 9],
      ['jobs.cleanup.image.digest', 10],
    ]);
  });
});
