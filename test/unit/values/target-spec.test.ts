// The shared target vocabulary: the keys users write map to one PinTarget, and combinations that make no sense
// return a problem (the caller names the input, flag or config line).
import { describe, expect, it } from 'vitest';
import { targetFromSpec, TARGET_SPEC_KEYS, type TargetSpec } from '../../../src/values/index.js';

describe('targetFromSpec', () => {
  it('lists every key, for schemas and "did you mean"', () => {
    expect([...TARGET_SPEC_KEYS].sort()).toEqual(['container', 'key', 'kustomize-image', 'marker', 'sha-key', 'style', 'yaml-path']);
  });

  it.each<[TargetSpec, unknown]>([
    [{}, { kind: 'helm', path: 'image' }],
    [{ key: 'server.image' }, { kind: 'helm', path: 'server.image' }],
    [{ key: 'image', style: 'digest' }, { kind: 'helm', path: 'image' }],
    [{ key: 'image', style: 'sha' }, { kind: 'helm', path: 'image', style: 'sha', shaKey: 'sha' }],
    [{ key: 'image', style: 'sha', 'sha-key': 'sha256' }, { kind: 'helm', path: 'image', style: 'sha', shaKey: 'sha256' }],
    [{ key: 'global.image', style: 'tag-digest' }, { kind: 'helm', path: 'global.image', style: 'tag-digest' }],
    [{ key: 'controller.image', style: 'registry' }, { kind: 'helm', path: 'controller.image', style: 'registry' }],
    [{ style: 'reference' }, { kind: 'reference', path: 'image' }],
    [{ key: 'worker.image', style: 'reference' }, { kind: 'reference', path: 'worker.image' }],
    [{ container: 'agents' }, { kind: 'reference', container: 'agents' }],
    [{ key: 'spec.template.spec.containers', container: 'agents', style: 'reference' }, { kind: 'reference', path: 'spec.template.spec.containers', container: 'agents' }],
    [{ marker: 'agents' }, { kind: 'marker', name: 'agents' }],
    [{ 'kustomize-image': 'web' }, { kind: 'kustomize', name: 'web' }],
    [{ 'yaml-path': 'spec.values.image.digest' }, { kind: 'yaml-path', path: 'spec.values.image.digest' }],
  ])('%j', (spec, target) => {
    expect(targetFromSpec(spec)).toEqual(target);
  });

  it.each<[TargetSpec, RegExp]>([
    [{ key: 'image', marker: 'a' }, /give only one of key, kustomize-image, yaml-path, marker \(got key and marker\)/],
    [{ style: 'shaa' }, /style 'shaa' is not one of digest, sha, tag-digest, reference, registry/],
    [{ 'sha-key': 'x' }, /sha-key needs style sha \(got style digest\)/],
    [{ style: 'sha', 'sha-key': 'a.b' }, /sha-key 'a.b' must be one field name/],
    [{ container: 'x', style: 'sha' }, /container selects a container's image string, which needs style reference/],
    [{ 'kustomize-image': 'web', style: 'sha' }, /style can't be combined with kustomize-image/],
    [{ marker: 'm', style: 'reference' }, /style can't be combined with marker \(the marker says which field it marks\)/],
    [{ 'yaml-path': 'a.b', container: 'c' }, /container can't be combined with yaml-path/],
  ])('refuses %j', (spec, problem) => {
    const target = targetFromSpec(spec);
    expect(target).toHaveProperty('problem');
    expect((target as { problem: string }).problem).toMatch(problem);
  });
});
