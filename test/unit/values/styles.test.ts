// Golden files for every pin style, from real charts' layouts: each case asserts the exact changed lines, the
// tag outcome, and that a second pin changes nothing. Refusals name the file, the line and what would work.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../../src/runtime/errors.js';
import { lineDiff, pinText, readPin, type Pin, type TagOutcome } from '../../../src/values/index.js';
import { applyModel, D1, D2, parseDocs } from './model.js';

const DIR = join(import.meta.dirname, '../../fixtures/values');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');
const H1 = '1'.repeat(64);

type Line = [kind: '-' | '+', line: number, text: string];
interface Case {
  name: string;
  file: string;
  pin: Omit<Pin, 'digest'>;
  diff: Line[];
  tag: Omit<TagOutcome, 'target'>;
  previous?: string;
}

const CASES: Case[] = [
  {
    name: 'sha (grafana): hex only, tag set',
    file: 'grafana-values.yaml',
    pin: { target: { kind: 'helm', path: 'image', style: 'sha', shaKey: 'sha' }, tag: { mode: 'set', value: '11.3.0' } },
    diff: [['-', 13, '  tag: ""'], ['-', 14, '  sha: ""'], ['+', 13, '  tag: "11.3.0"'], ['+', 14, `  sha: "${H1}"`]],
    tag: { action: 'set', before: '', after: '11.3.0' },
  },
  {
    name: 'tag-digest (argo-cd): tag: <tag>@sha256:…',
    file: 'argo-cd-values.yaml',
    pin: { target: { kind: 'helm', path: 'global.image', style: 'tag-digest' }, tag: { mode: 'set', value: 'v2.14.2' } },
    diff: [['-', 11, '    tag: ""'], ['+', 11, `    tag: "v2.14.2@${D1}"`]],
    tag: { action: 'set', after: 'v2.14.2' },
  },
  {
    name: 'tag-digest (bitnami layout): keeps the tag, adds the digest to it',
    file: 'bitnami-nginx.yaml',
    pin: { target: { kind: 'helm', path: 'image', style: 'tag-digest' } },
    diff: [['-', 31, '  tag: 1.25.3-debian-11-r1'], ['+', 31, `  tag: 1.25.3-debian-11-r1@${D1}`]],
    tag: { action: 'kept', before: '1.25.3-debian-11-r1', after: '1.25.3-debian-11-r1' },
  },
  {
    name: 'digest on a Renovate-style tag@digest: rewritten as one reference, no digest key added',
    file: 'argo-cd-renovate.yaml',
    pin: { target: { kind: 'helm', path: 'global.image' } },
    diff: [['-', 7, `    tag: v2.14.2@${D2} # renovate: keep`], ['+', 7, `    tag: v2.14.2@${D1} # renovate: keep`]],
    tag: { action: 'kept', before: 'v2.14.2', after: 'v2.14.2' },
    previous: D2,
  },
  {
    name: 'registry (ingress-nginx): registry/image checked, tag and digest set',
    file: 'ingress-nginx-values.yaml',
    pin: { target: { kind: 'helm', path: 'controller.image', style: 'registry' }, repository: 'registry.k8s.io/ingress-nginx/controller', tag: { mode: 'set', value: 'v1.12.0' } },
    diff: [['-', 12, '    tag: "v1.11.3"'], ['-', 13, '    digest: sha256:d56f135b6462cfc476447cfe564b83a45e8bb7da2774963b00d12161112270b7'], ['+', 12, '    tag: "v1.12.0"'], ['+', 13, `    digest: ${D1}`]],
    tag: { action: 'set', before: 'v1.11.3', after: 'v1.12.0' },
    previous: 'sha256:d56f135b6462cfc476447cfe564b83a45e8bb7da2774963b00d12161112270b7',
  },
  {
    name: 'reference (raw Deployment): the container named agents, comment kept',
    file: 'deployment-raw.yaml',
    pin: { target: { kind: 'reference', container: 'agents' }, repository: 'ghcr.io/acme/agents' },
    diff: [['-', 23, '          image: ghcr.io/acme/agents:v1.4.2 # the app'], ['+', 23, `          image: ghcr.io/acme/agents:v1.4.2@${D1} # the app`]],
    tag: { action: 'kept', before: 'v1.4.2', after: 'v1.4.2' },
  },
  {
    name: 'reference (raw Deployment): an init container, tag set, quotes kept',
    file: 'deployment-raw.yaml',
    pin: { target: { kind: 'reference', container: 'migrate' }, tag: { mode: 'set', value: 'v1.4.3' } },
    diff: [['-', 19, '          image: "ghcr.io/acme/agents-migrations:v1.4.2"'], ['+', 19, `          image: "ghcr.io/acme/agents-migrations:v1.4.3@${D1}"`]],
    tag: { action: 'set', before: 'v1.4.2', after: 'v1.4.3' },
  },
  {
    name: 'reference (values image string)',
    file: 'values-image-string.yaml',
    pin: { target: { kind: 'reference', path: 'image' } },
    diff: [['-', 2, 'image: ghcr.io/acme/agents:v1'], ['+', 2, `image: ghcr.io/acme/agents:v1@${D1}`]],
    tag: { action: 'kept', before: 'v1', after: 'v1' },
  },
  {
    name: 'reference: tag removed, single quotes kept',
    file: 'values-image-string.yaml',
    pin: { target: { kind: 'reference', path: 'worker.image' }, tag: { mode: 'remove' } },
    diff: [['-', 5, `  image: 'ghcr.io/acme/agents:v1@${D2}'`], ['+', 5, `  image: 'ghcr.io/acme/agents@${D1}'`]],
    tag: { action: 'removed', before: 'v1' },
    previous: D2,
  },
  {
    name: 'Flux markers :name and :tag: name checked, the tag carries the digest',
    file: 'flux-helmrelease-markers.yaml',
    pin: { target: { kind: 'marker', name: 'agents' }, repository: 'ghcr.io/acme/agents', tag: { mode: 'set', value: 'v1.4.2' } },
    diff: [['-', 15, '      tag: v1.4.1 # {"$imagepolicy": "flux-system:agents:tag"}'], ['+', 15, `      tag: v1.4.2@${D1} # {"$imagepolicy": "flux-system:agents:tag"}`]],
    tag: { action: 'set', before: 'v1.4.1', after: 'v1.4.2' },
  },
  {
    name: 'Flux marker on a whole reference, selected by ns:name',
    file: 'flux-helmrelease-markers.yaml',
    pin: { target: { kind: 'marker', name: 'flux-system:agents-migrations' } },
    diff: [['-', 17, '      image: ghcr.io/acme/agents-migrations:v1.4.1 # {"$imagepolicy": "flux-system:agents-migrations"}'], ['+', 17, `      image: ghcr.io/acme/agents-migrations:v1.4.1@${D1} # {"$imagepolicy": "flux-system:agents-migrations"}`]],
    tag: { action: 'kept', before: 'v1.4.1', after: 'v1.4.1' },
  },
  {
    name: "digestpin's own markers :tag and :digest: the tag stays a tag beside the digest line",
    file: 'markers-digestpin.yaml',
    pin: { target: { kind: 'marker', name: 'agents' }, tag: { mode: 'set', value: 'v1.4.2' } },
    diff: [['-', 3, '  tag: v1.4.1 # digestpin: agents:tag'], ['-', 4, '  digest: "" # digestpin: agents:digest'], ['+', 3, '  tag: v1.4.2 # digestpin: agents:tag'], ['+', 4, `  digest: "${D1}" # digestpin: agents:digest`]],
    tag: { action: 'set', before: 'v1.4.1', after: 'v1.4.2' },
  },
  {
    name: '--remove-tag keeps the tag line comment on its line',
    file: 'tag-comment-remove.yaml',
    pin: { target: { kind: 'helm', path: 'image' }, tag: { mode: 'remove' } },
    diff: [['-', 3, '  tag: 1.0.0 # the app version'], ['+', 3, `  digest: ${D1}`], ['+', 4, '  # the app version']],
    tag: { action: 'removed', before: '1.0.0' },
  },
];

describe('pin styles: golden files', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const before = read(c.file);
    const pin = { ...c.pin, digest: D1 } as Pin;
    const result = pinText(before, [pin], { file: c.file, verify: true });
    expect(lineDiff(before, result.text).map((d) => [d.kind, d.line, d.text])).toEqual(c.diff);
    expect(result.tags).toHaveLength(1);
    expect({ ...result.tags[0], target: undefined }).toEqual({ ...c.tag, target: undefined });
    expect(result.previousDigest).toBe(c.previous);
    const again = pinText(result.text, [pin], { file: c.file });
    expect(again.changed).toBe(false);
    expect(again.text).toBe(result.text);
  });

  it('helm styles match the model on parsed data', () => {
    for (const c of CASES.filter((x) => x.pin.target.kind === 'helm')) {
      const pin = { ...c.pin, digest: D1 } as Pin;
      const out = pinText(read(c.file), [pin], { file: c.file }).text;
      expect(parseDocs(out)).toEqual([applyModel(parseDocs(read(c.file))[0], pin)]);
    }
  });

  it('reads back what each style pinned', () => {
    const sha = pinText(read('grafana-values.yaml'), [{ target: { kind: 'helm', path: 'image', style: 'sha' }, digest: D1 }], { file: 'g' }).text;
    expect(readPin(sha, { kind: 'helm', path: 'image', style: 'sha' }, 'g')).toMatchObject({ repository: 'docker.io/grafana/grafana', digest: D1 });
    expect(readPin(read('argo-cd-renovate.yaml'), { kind: 'helm', path: 'global.image' }, 'a')).toMatchObject({ tag: 'v2.14.2', digest: D2 });
    expect(readPin(read('deployment-raw.yaml'), { kind: 'reference', container: 'agents' }, 'd')).toMatchObject({ repository: 'ghcr.io/acme/agents', tag: 'v1.4.2' });
    expect(readPin(read('values-image-string.yaml'), { kind: 'reference', path: 'worker.image' }, 'v')).toMatchObject({ tag: 'v1', digest: D2 });
    expect(readPin(read('flux-helmrelease-markers.yaml'), { kind: 'marker', name: 'agents' }, 'f')).toMatchObject({ repository: 'ghcr.io/acme/agents', tag: 'v1.4.1' });
  });

  it('pins two images of one service in one call (app and migrations)', () => {
    const text = read('deployment-raw.yaml');
    const r = pinText(text, [
      { target: { kind: 'reference', container: 'agents' }, digest: D1 },
      { target: { kind: 'reference', container: 'migrate' }, digest: D2 },
    ], { file: 'd', verify: true });
    expect(lineDiff(text, r.text).filter((d) => d.kind === '+').map((d) => d.line)).toEqual([19, 23]);
    expect(r.tags.map((t) => t.target)).toEqual(['spec.template.spec.containers[0].image', 'spec.template.spec.initContainers[0].image']);
  });
});

function refusal(text: string, pin: Pin, file = 'values.yaml'): FileError {
  try {
    pinText(text, [pin], { file, hints: 'cli' });
  } catch (error) {
    expect(error).toBeInstanceOf(FileError);
    expect((error as Error).message).not.toContain('\n');
    return error as FileError;
  }
  throw new Error('expected a refusal');
}

describe('refusals name the file, the line and what would work', () => {
  it.each<[string, string, Pin, RegExp]>([
    ['a list entry two containers share', read('bitnami-redis-shared-container.yaml'), { target: { kind: 'reference', container: 'agents' }, digest: D1 }, /^values.yaml:7: container 'agents' is an alias \(\*app\), a list entry other containers share/],
    ['a value kept in a string block', 'spec:\n  helm:\n    values: |\n      image: ghcr.io/acme/web:v1\n', { target: { kind: 'reference', path: 'spec.helm.values' }, digest: D1 }, /^values.yaml:3: 'spec.helm.values' is a string block \(\|\); write it as a one-line value/],
    ['an image string pinned as a block', read('values-image-string.yaml'), { target: { kind: 'helm', path: 'image' }, digest: D1 }, /^values.yaml:2: 'image' is a string \(ghcr.io\/acme\/agents:v1\), not an image block .*; pin it with style reference$/],
    ['a block pinned as a reference', read('grafana-values.yaml'), { target: { kind: 'reference', path: 'image' }, digest: D1 }, /^values.yaml:7: 'image' is an image block \(a map\), not a reference string; use style digest/],
    ['style registry on a block without registry', read('helm-basic.yaml'), { target: { kind: 'helm', path: 'image', style: 'registry' }, digest: D1 }, /has no registry field, which style registry writes .*; use style digest$/],
    ['tag-digest with --remove-tag', read('argo-cd-values.yaml'), { target: { kind: 'helm', path: 'dex.image', style: 'tag-digest' }, digest: D1, tag: { mode: 'remove' } }, /^values.yaml:23: 'dex.image.tag' carries the digest in style tag-digest, so it can't be removed \(use style digest with --remove-tag\)$/],
    ['tag-digest without any tag', read('argo-cd-values.yaml'), { target: { kind: 'helm', path: 'global.image', style: 'tag-digest' }, digest: D1 }, /has no tag to carry the digest in style tag-digest \(pass --tag T, or use style digest\)$/],
    ['a marker nobody wrote', read('helm-basic.yaml'), { target: { kind: 'marker', name: 'agents' }, digest: D1 }, /^values.yaml: no line carries the marker 'agents'/],
    ['an alias target', 'a: &a ghcr.io/acme/web:v1\nimage: *a\n', { target: { kind: 'reference', path: 'image' }, digest: D1 }, /^values.yaml:2: 'image' is an alias \(\*a\); pinning it would change every user of &a, defined at line 1 \(give this key its own value, or allow aliases to change them all\)$/],
  ])('%s', (_, text, pin, message) => {
    expect(refusal(text, pin).message).toMatch(message);
  });

  it('cuts a long quoted value instead of printing it whole', () => {
    const long = `image: "${'x'.repeat(700)}"\n`;
    const e = refusal(long, { target: { kind: 'helm', path: 'image' }, digest: D1 });
    expect(e.message.length).toBeLessThan(250);
    expect(e.message).toContain('(700 characters)');
  });

  it('does not suggest --create where the created images: would be read by nothing', () => {
    const e = refusal(read('helm-basic.yaml'), { target: { kind: 'kustomize', name: 'web' }, digest: D1 });
    expect(e.message).not.toContain('--create');
    expect(e.message).toMatch(/not a kustomization/);
  });

  it('style sha refuses a sha512 digest (the chart prefixes @sha256:)', () => {
    expect(() => pinText(read('grafana-values.yaml'), [{ target: { kind: 'helm', path: 'image', style: 'sha' }, digest: `sha512:${'3'.repeat(128)}` }], { file: 'g' })).toThrow(/style sha writes a sha256 hex digest/);
  });
});

describe('kustomize: the tag outcome, and a newTag that carries its own digest', () => {
  it('reports newTag removed by default, set, or kept', () => {
    const text = read('kustomization-basic.yaml');
    const outcome = (tag?: Pin['tag']) => pinText(text, [{ target: { kind: 'kustomize', name: 'nginx' }, digest: D1, ...(tag ? { tag } : {}) }], { file: 'k' }).tags[0];
    expect(outcome()).toEqual({ target: 'images[name=nginx]', action: 'removed', before: '1.25' });
    expect(outcome({ mode: 'set', value: '1.26' })).toEqual({ target: 'images[name=nginx]', action: 'set', before: '1.25', after: '1.26' });
    expect(outcome({ mode: 'keep' })).toEqual({ target: 'images[name=nginx]', action: 'kept', before: '1.25', after: '1.25' });
  });

  it('a kept newTag@digest follows the pinned digest, so the entry never names two images', () => {
    const text = `images:\n- name: nginx\n  newTag: 1.26@${D2}\n  digest: ${D2}\n`;
    const out = pinText(text, [{ target: { kind: 'kustomize', name: 'nginx' }, digest: D1, tag: { mode: 'keep' } }], { file: 'k', verify: true }).text;
    expect(out).toBe(`images:\n- name: nginx\n  newTag: 1.26@${D1}\n  digest: ${D1}\n`);
  });
});

describe('a value kept in a string block', () => {
  it('is refused with the line, saying why and what would work', () => {
    const text = 'spec:\n  source:\n    helm:\n      values: |\n        image:\n          repository: web\n';
    const e = refusal(text, { target: { kind: 'helm', path: 'spec.source.helm.values.image' }, digest: D1 }, 'app.yaml');
    expect(e.message).toMatch(/^app.yaml:4: 'spec.source.helm.values' is a string block \(YAML kept as text, which digestpin does not edit: move it to a map such as valuesObject/);
  });
});

describe('refusal hints name only options the caller offers', () => {
  const fail = (text: string, pin: Pin, hints?: 'cli' | 'pipeline') => {
    try {
      pinText(text, [pin], { file: 'v.yaml', ...(hints ? { hints } : {}) });
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  };

  it('a promotion (the default) has no --create, and names its inputs', () => {
    const missing = { target: { kind: 'helm', path: 'image' }, digest: D1 } as Pin;
    expect(fail('replicas: 1\n', missing, 'cli')).toBe("v.yaml:1: 'image' not found: the document has no key 'image' (create it with --create)");
    expect(fail('replicas: 1\n', missing)).toBe("v.yaml:1: 'image' not found: the document has no key 'image'");
    const wrong = { target: { kind: 'helm', path: 'image' }, digest: D1, repository: 'ghcr.io/acme/api' } as Pin;
    expect(fail('image:\n  repository: ghcr.io/acme/web\n', wrong)).toMatch(/not ghcr.io\/acme\/api \(pass set-repository: true to replace it\)$/);
    expect(fail('image:\n  repository: ghcr.io/acme/web\n', wrong, 'cli')).toMatch(/not ghcr.io\/acme\/api \(pass --set-repository to replace it\)$/);
    const remove = { target: { kind: 'helm', path: 'dex.image', style: 'tag-digest' }, digest: D1, tag: { mode: 'remove' } } as Pin;
    expect(fail(read('argo-cd-values.yaml'), remove)).toMatch(/\(use style digest with tag-policy: remove\)$/);
  });
});
