import { describe, expect, it } from 'vitest';
import { readPin } from '../../../src/values/index.js';
import { FileError } from '../../../src/runtime/errors.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('readPin', () => {
  it('reads a Helm image block, with its line', () => {
    const text = `replicas: 1\nimage:\n  repository: reg.example:5000/ameide/agents\n  tag: "1.2"\n  digest: ${D}\n`;
    expect(readPin(text, { kind: 'helm', path: 'image' }, 'v.yaml')).toEqual({ repository: 'reg.example:5000/ameide/agents', tag: '1.2', digest: D, line: 3 });
  });

  it('applies bitnami registry, and global.imageRegistry over it', () => {
    const own = `image:\n  registry: docker.io\n  repository: bitnami/redis\n  digest: ${D}\n`;
    expect(readPin(own, { kind: 'helm', path: 'image' }, 'v.yaml').repository).toBe('docker.io/bitnami/redis');
    const global = `global:\n  imageRegistry: mirror.example\n${own}`;
    expect(readPin(global, { kind: 'helm', path: 'image' }, 'v.yaml').repository).toBe('mirror.example/bitnami/redis');
  });

  it('reads nested and list paths', () => {
    const text = `sidecars:\n  - name: a\n    image: { repository: ghcr.io/acme/a, tag: "1" }\n`;
    expect(readPin(text, { kind: 'helm', path: 'sidecars[0].image' }, 'v.yaml')).toMatchObject({ repository: 'ghcr.io/acme/a', tag: '1', digest: undefined });
  });

  it('reads a kustomize images entry: newName, or the name itself', () => {
    const text = `images:\n  - name: web\n    newName: reg.example/acme/web\n    digest: ${D}\n  - name: ghcr.io/acme/api\n    newTag: "2"\n`;
    expect(readPin(text, { kind: 'kustomize', name: 'web' }, 'k.yaml')).toEqual({ repository: 'reg.example/acme/web', tag: undefined, digest: D, line: 2 });
    expect(readPin(text, { kind: 'kustomize', name: 'ghcr.io/acme/api' }, 'k.yaml')).toMatchObject({ repository: 'ghcr.io/acme/api', tag: '2' });
  });

  it.each([
    ['image:\n  tag: "1"\n', { kind: 'helm', path: 'image' }, /v.yaml:2: the image block has no repository/],
    ['other: 1\n', { kind: 'helm', path: 'image' }, /'image' is not an image block/],
    ['image: [\n', { kind: 'helm', path: 'image' }, /YAML syntax error/],
    ['images: []\n', { kind: 'kustomize', name: 'web' }, /no images entry named 'web'/],
    ['spec: {}\n', { kind: 'yaml-path', path: 'spec.values.image.digest' }, /names no repository/],
  ] as const)('names the file for %j', (text, target, message) => {
    expect(() => readPin(text, target, 'v.yaml')).toThrow(FileError);
    expect(() => readPin(text, target, 'v.yaml')).toThrow(message);
  });
});
