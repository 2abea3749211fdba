// Lint rules, each with a failing and a passing case.
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../src/values/index.js';
import { D1 } from './model.js';

const rules = (text: string, immutable = false) => lintText(text, 'values.yaml', { immutable }).map((p) => [p.rule, p.line]);

describe('lintText', () => {
  it.each<[rule: string, bad: string, good: string, line: number, immutable?: boolean]>([
    ['legacy-graph', 'image:\n  graph: ghcr.io/acme/web\n  repository: ghcr.io/acme/web\n', 'image:\n  repository: ghcr.io/acme/web\n', 2],
    ['missing-repository', 'replicas: 1\nimage:\n  tag: 1.0.0\n', 'replicas: 1\nimage:\n  repository: web\n  tag: 1.0.0\n', 2],
    ['malformed-digest', 'image:\n  repository: web\n  digest: sha256:abc\n', `image:\n  repository: web\n  digest: ${D1}\n`, 3],
    ['repository-reference', 'image:\n  repository: ghcr.io/acme/web:1.0\n', 'image:\n  repository: localhost:5000/acme/web\n', 2],
    ['tag-only', 'image:\n  repository: web\n  tag: 1.0.0\n', `image:\n  repository: web\n  tag: 1.0.0\n  digest: ${D1}\n`, 3, true],
    // grafana's style sha: the hex-only `sha:` beside the tag is the pin.
    ['tag-only', 'image:\n  repository: grafana\n  tag: 10.1.0\n  sha: abc\n', `image:\n  repository: grafana\n  tag: 10.1.0\n  sha: ${D1.slice(7)}\n`, 3, true],
    ['duplicate-key', 'image:\n  repository: web\n  repository: api\n', 'image:\n  repository: web\n', 3],
    ['yaml-syntax', 'image:\n  repository: [web\n', 'image:\n  repository: "[web"\n', 3],
  ])('%s', (rule, bad, good, line, immutable) => {
    expect(rules(bad, immutable)).toEqual([[rule, line]]);
    expect(rules(good, immutable)).toEqual([]);
  });

  it('reports a digest that is not a string', () => {
    expect(rules('image:\n  repository: web\n  digest: 123\n')).toEqual([['malformed-digest', 3]]);
    expect(rules('image:\n  repository: web\n  digest: {a: b}\n')).toEqual([['malformed-digest', 3]]);
  });

  it('reports a repository with a digest', () => {
    expect(rules(`image:\n  repository: web@${D1}\n`)).toEqual([['repository-reference', 2]]);
  });

  it('allows tag-only blocks outside immutable environments, and an empty digest as unpinned', () => {
    expect(rules('image:\n  repository: web\n  tag: 1.0.0\n  digest: ""\n')).toEqual([]);
    expect(rules('image:\n  repository: web\n  tag: 1.0.0\n  digest: ""\n', true)).toEqual([['tag-only', 3]]);
  });

  it('finds image blocks under *Image keys, in lists and in every document, with full paths', () => {
    const text = 'jobs:\n  backup:\n    initImage:\n      graph: a\n---\nsidecars:\n- name: x\n  image:\n    tag: 1\n';
    const problems = lintText(text, 'v.yaml');
    expect(problems.map((p) => [p.rule, p.line, p.message])).toEqual([
      ['missing-repository', 3, 'jobs.backup.initImage has no repository; the chart contract requires jobs.backup.initImage.repository'],
      ['legacy-graph', 4, 'jobs.backup.initImage.graph is the legacy key; rename it to jobs.backup.initImage.repository'],
      ['missing-repository', 8, 'sidecars[0].image has no repository; the chart contract requires sidecars[0].image.repository'],
    ]);
    expect(problems.every((p) => p.file === 'v.yaml' && p.severity === 'error')).toBe(true);
  });

  it('ignores maps that are not image blocks and image strings', () => {
    expect(rules('image: nginx:1.25\nimages:\n  tag: x\nresources:\n  tag: x\n')).toEqual([]);
  });

  it('reports a tag whose own digest differs from digest: as an error (two images in one block)', () => {
    const d2 = `sha256:${'2'.repeat(64)}`;
    const problems = lintText(`image:\n  repository: node\n  tag: 18.19.0@${d2}\n  digest: ${D1}\n`, 'v.yaml', { immutable: true });
    expect(problems.map((p) => [p.rule, p.line, p.severity])).toEqual([['tag-digest-mismatch', 3, 'error']]);
    expect(problems[0]!.message).toBe(`image.tag names ${d2} but image.digest is ${D1}: the file pins two different images`);
    expect(rules(`image:\n  repository: node\n  tag: 18.19.0@${D1}\n  digest: ${D1}\n`)).toEqual([]);
  });

  it('accepts a Renovate tag@digest as a pin in immutable environments, and checks its digest', () => {
    expect(rules(`image:\n  repository: node\n  tag: 18.19.0@${D1}\n`, true)).toEqual([]);
    expect(rules('image:\n  repository: node\n  tag: 18.19.0@sha256:abc\n', true)).toEqual([['malformed-digest', 3]]);
  });

  it("accepts ingress-nginx's registry + image split as naming the image", () => {
    expect(rules(`controller:\n  image:\n    registry: registry.k8s.io\n    image: ingress-nginx/controller\n    digest: ${D1}\n`)).toEqual([]);
  });

  it('finds duplicate keys in linear time, with the first occurrence', () => {
    const problems = lintText('a: 1\nb: 2\na: 3\n', 'v.yaml');
    expect(problems.map((p) => [p.rule, p.line, p.message])).toEqual([['duplicate-key', 3, "duplicate key: 'a' (first at line 1)"]]);
    // Same rule as the yaml package: `1` and "1" are different keys; a merge key may repeat only where it merges.
    expect(rules('1: a\n"1": b\n')).toEqual([]);
  });

  it('cuts a long value quoted in a message', () => {
    const problems = lintText(`image:\n  repository: web\n  digest: ${'x'.repeat(700)}\n`, 'v.yaml');
    expect(problems[0]!.message.length).toBeLessThan(200);
    expect(problems[0]!.message).toContain('(700 characters)');
  });

  it('checks one-string images: a malformed embedded digest, and tag-only under --immutable', () => {
    expect(rules('image: nginx:1.25\n')).toEqual([]);
    expect(rules('image: nginx:1.25\n', true)).toEqual([['tag-only', 1]]);
    expect(rules(`image: nginx:1.25@${D1}\n`, true)).toEqual([]);
    expect(rules('worker:\n  image: ghcr.io/acme/w@sha256:abc\n')).toEqual([['malformed-digest', 2]]);
  });
});
