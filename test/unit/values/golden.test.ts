// Golden corpus: each fixture is pinned and the test asserts the exact changed lines (and their new
// text), plus that the parsed output equals the parsed input with the pin applied.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineDiff, pinText, type Pin } from '../../../src/values/index.js';
import { applyModel, D1, D2, parseDocs } from './model.js';

const DIR = join(import.meta.dirname, '../../fixtures/values');
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');
const D512 = `sha512:${'3'.repeat(128)}`;

type Line = [kind: '-' | '+', line: number, text: string];
interface Case {
  file: string;
  pin: Omit<Pin, 'digest'> & { digest?: string };
  /** Exact changed lines: '-' numbered in the input, '+' in the output. */
  diff: Line[];
  /** Which document of a multi-document file the pin lands in. */
  doc?: number;
}

const helm = (path: string, extra: Partial<Pin> = {}): Case['pin'] => ({ target: { kind: 'helm', path }, ...extra });
const kust = (name: string, extra: Partial<Pin> = {}): Case['pin'] => ({ target: { kind: 'kustomize', name }, ...extra });
const ypath = (path: string, extra: Partial<Pin> = {}): Case['pin'] => ({ target: { kind: 'yaml-path', path }, ...extra });

const CASES: Case[] = [
  { file: 'helm-basic.yaml', pin: helm('image', { repository: 'ghcr.io/acme/web' }), diff: [['+', 9, `  digest: ${D1}`]] },
  { file: 'helm-digest-empty-quoted.yaml', pin: helm('image'), diff: [['-', 4, '  digest: ""'], ['+', 4, `  digest: "${D1}"`]] },
  { file: 'helm-digest-existing.yaml', pin: helm('image', { repository: 'ghcr.io/acme/web' }), diff: [['-', 4, `  digest: ${D2}`], ['+', 4, `  digest: ${D1}`]] },
  { file: 'helm-idempotent.yaml', pin: helm('image', { repository: 'ghcr.io/acme/web' }), diff: [] },
  { file: 'bitnami-nginx.yaml', pin: helm('image', { repository: 'docker.io/bitnami/nginx' }), diff: [['-', 32, '  digest: ""'], ['+', 32, `  digest: "${D1}"`]] },
  { file: 'bitnami-global-registry.yaml', pin: helm('image', { repository: 'registry.internal:5000/bitnami/redis' }), diff: [['-', 10, '  digest: ""'], ['+', 10, `  digest: "${D1}"`]] },
  { file: 'bitnami-postgresql-multi.yaml', pin: helm('metrics.image', { repository: 'bitnami/postgres-exporter' }), diff: [['-', 21, '    digest: ""'], ['+', 21, `    digest: "${D1}"`]] },
  { file: 'bitnami-postgresql-multi.yaml', pin: helm('volumePermissions.image', { tag: { mode: 'remove' } }), diff: [['-', 12, '    tag: 12-debian-12-r16'], ['-', 13, '    digest: ""'], ['+', 12, `    digest: "${D1}"`]] },
  { file: 'argo-cd-values.yaml', pin: helm('global.image', { repository: 'quay.io/argoproj/argocd' }), diff: [['+', 12, `    digest: ${D1}`]] },
  { file: 'argo-cd-dex.yaml', pin: helm('dex.image', { repository: 'ghcr.io/dexidp/dex', tag: { mode: 'remove' } }), diff: [['-', 23, '    tag: v2.38.0'], ['+', 23, `    digest: ${D1}`]] },
  { file: 'multi-container.yaml', pin: helm('migrations.image', { repository: 'registry.example.com/shop/api-migrations' }), diff: [['+', 10, `    digest: ${D1}`]] },
  { file: 'jobs-backup.yaml', pin: helm('jobs.backup.image', { tag: { mode: 'set', value: '1.0.1' } }), diff: [['-', 17, '      tag: 1.0.0'], ['+', 17, '      tag: 1.0.1'], ['+', 18, `      digest: ${D1}`]] },
  { file: 'sidecars-list.yaml', pin: helm('sidecars[1].image', { repository: 'ghcr.io/acme/log-shipper' }), diff: [['+', 10, `      digest: ${D1}`]] },
  { file: 'init-containers.yaml', pin: helm('initContainers[0].image', { repository: 'docker.io/library/busybox' }), diff: [['+', 6, `    digest: ${D1}`]] },
  { file: 'comment-heavy.yaml', pin: helm('image', { repository: 'registry.example.com/payments/api' }), diff: [['-', 12, '  digest: ""    # pinned by CI'], ['+', 12, `  digest: "${D1}"    # pinned by CI`]] },
  { file: 'no-final-newline.yaml', pin: helm('image'), diff: [['+', 5, `  digest: ${D1}`]] },
  { file: 'anchors-elsewhere.yaml', pin: helm('image', { repository: 'ghcr.io/acme/worker' }), diff: [['+', 11, `  digest: ${D1}`]] },
  { file: 'anchor-alias-target.yaml', pin: helm('image', { allowAlias: true }), diff: [['+', 4, `  digest: ${D1}`]] },
  { file: 'flow-map.yaml', pin: helm('image', { repository: 'nginx' }), diff: [['-', 2, 'image: {repository: nginx, tag: "1.25"}'], ['+', 2, `image: {repository: nginx, tag: "1.25", digest: ${D1}}`]] },
  { file: 'flow-map-multiline.yaml', pin: helm('image'), diff: [['-', 3, '  tag: "1.0"'], ['+', 3, `  tag: "1.0", digest: ${D1}`]] },
  { file: 'multi-doc.yaml', doc: 1, pin: helm('image'), diff: [['+', 8, `  digest: ${D1}`]] },
  { file: 'yaml-directive.yaml', pin: helm('image'), diff: [['+', 6, `  digest: ${D1}`]] },
  { file: 'quoted-single.yaml', pin: helm('image', { tag: { mode: 'set', value: '1.0.1' } }), diff: [['-', 3, "  tag: '1.0.0'"], ['-', 4, "  digest: ''"], ['+', 3, "  tag: '1.0.1'"], ['+', 4, `  digest: '${D1}'`]] },
  { file: 'quoted-keys.yaml', pin: helm('image'), diff: [['+', 4, `  "digest": "${D1}"`]] },
  { file: 'four-space-indent.yaml', pin: helm('app.image'), diff: [['+', 6, `        digest: ${D1}`]] },
  { file: 'deep-create.yaml', pin: helm('jobs.backup.image', { repository: 'ghcr.io/acme/backup', createMissing: true }), diff: [['+', 4, '    image:'], ['+', 5, '      repository: ghcr.io/acme/backup'], ['+', 6, `      digest: ${D1}`]] },
  { file: 'helm-tag-set.yaml', pin: helm('image', { tag: { mode: 'set', value: '1.10' } }), diff: [['-', 3, '  tag: 1.0.0'], ['+', 3, '  tag: "1.10"'], ['+', 4, `  digest: ${D1}`]] },
  { file: 'helm-set-repository.yaml', pin: helm('image', { repository: 'ghcr.io/acme/web', setRepository: true }), diff: [['-', 2, '  repository: ghcr.io/acme/old-web'], ['+', 2, '  repository: ghcr.io/acme/web'], ['+', 4, `  digest: ${D1}`]] },
  { file: 'global-registries.yaml', pin: helm('image', { repository: 'mirror.example.com/library/nginx' }), diff: [['-', 4, 'image: {registry: docker.io, repository: library/nginx, tag: "1.25", digest: ""}'], ['+', 4, `image: {registry: docker.io, repository: library/nginx, tag: "1.25", digest: "${D1}"}`]] },
  { file: 'helmrelease.yaml', pin: ypath('spec.values.image.digest', { createMissing: true, repository: 'ghcr.io/acme/web' }), diff: [['+', 16, `      digest: ${D1}`]] },
  { file: 'argocd-application.yaml', pin: ypath('spec.source.helm.valuesObject.image.digest'), diff: [['-', 16, `          digest: ${D2}`], ['+', 16, `          digest: ${D1}`]] },
  { file: 'argocd-application-multisource.yaml', pin: ypath('spec.sources[0].helm.valuesObject.image.digest', { createMissing: true }), diff: [['+', 13, `            digest: ${D1}`]] },
  { file: 'kustomization-basic.yaml', pin: kust('nginx'), diff: [['-', 7, '  newTag: "1.25"'], ['+', 7, `  digest: ${D1}`]] },
  { file: 'kustomization-basic.yaml', pin: kust('nginx', { tag: { mode: 'keep' } }), diff: [['+', 8, `  digest: ${D1}`]] },
  { file: 'kustomization-newname.yaml', pin: kust('web', { repository: 'registry.example.com/acme/web' }), diff: [['-', 8, '  newTag: 1.0.0'], ['+', 8, `  digest: ${D1}`]] },
  { file: 'kustomization-newname.yaml', pin: kust('sidecar', { repository: 'ghcr.io/acme/sidecar', setRepository: true }), diff: [['-', 10, '  newTag: 2.0.0'], ['+', 10, '  newName: ghcr.io/acme/sidecar'], ['+', 11, `  digest: ${D1}`]] },
  { file: 'kustomization-digest-existing.yaml', pin: kust('web'), diff: [['-', 6, `  digest: ${D2}`], ['+', 6, `  digest: ${D1}`]] },
  { file: 'kustomization-create-entry.yaml', pin: kust('web', { repository: 'registry.example.com/acme/web', createMissing: true }), diff: [['+', 6, '- name: web'], ['+', 7, '  newName: registry.example.com/acme/web'], ['+', 8, `  digest: ${D1}`]] },
  { file: 'kustomization-no-images.yaml', pin: kust('nginx', { createMissing: true }), diff: [['+', 6, 'images:'], ['+', 7, '- name: nginx'], ['+', 8, `  digest: ${D1}`]] },
  { file: 'kustomization-indented-seq.yaml', pin: kust('worker', { tag: { mode: 'set', value: '1.0.1' } }), diff: [['-', 8, '    newTag: 1.0.0'], ['+', 8, '    newTag: 1.0.1'], ['+', 9, `    digest: ${D1}`]] },
  { file: 'kustomization-indented-seq.yaml', pin: kust('api', { createMissing: true }), diff: [['+', 9, '  - name: api'], ['+', 10, `    digest: ${D1}`]] },
  { file: 'kustomization-remove-newtag.yaml', pin: kust('web', { tag: { mode: 'remove' } }), diff: [['-', 4, '  newTag: 1.0.0'], ['+', 4, `  digest: ${D1}`]] },
  { file: 'kustomization-flow.yaml', pin: kust('web'), diff: [['-', 2, 'images: [{name: web, newTag: 1.0.0}]'], ['+', 2, `images: [{name: web, digest: ${D1}}]`]] },
  { file: 'kustomization-crlf.yaml', pin: kust('web', { tag: { mode: 'keep' } }), diff: [['+', 6, `  digest: ${D1}`]] },
  { file: 'values-digest-tilde.yaml', pin: helm('image'), diff: [['-', 3, '  digest: ~'], ['+', 3, `  digest: ${D1}`]] },
  { file: 'block-scalars-elsewhere.yaml', pin: helm('image'), diff: [['+', 12, `  digest: ${D1}`]] },
  { file: 'helm-digest-empty-comment.yaml', pin: helm('image'), diff: [['-', 3, '  digest:   # set by digestpin'], ['+', 3, `  digest: ${D1}   # set by digestpin`]] },
  { file: 'sidecars-flow-items.yaml', pin: helm('sidecars[1].image'), diff: [['-', 3, '- {name: agent, image: {repository: ghcr.io/acme/agent, tag: "0.1"}}'], ['+', 3, `- {name: agent, image: {repository: ghcr.io/acme/agent, tag: "0.1", digest: ${D1}}}`]] },
  { file: 'nested-seq-dash-key.yaml', pin: helm('workers[0].image'), diff: [['+', 5, `    digest: ${D1}`]] },
  { file: 'tag-remove-last-line.yaml', pin: helm('image', { tag: { mode: 'remove' } }), diff: [['-', 3, '  tag: 1.0.0'], ['+', 3, `  digest: ${D1}`]] },
  { file: 'helm-sha512.yaml', pin: helm('image', { digest: D512 }), diff: [['-', 3, '  digest: ""'], ['+', 3, `  digest: "${D512}"`]] },
  { file: 'helm-empty-block.yaml', pin: helm('image', { repository: 'ghcr.io/acme/web', createMissing: true }), diff: [['+', 3, '  repository: ghcr.io/acme/web'], ['+', 4, `  digest: ${D1}`]] },
  { file: 'crlf.yaml', pin: helm('image'), diff: [['+', 5, `  digest: ${D1}`]] },
  { file: 'bom.yaml', pin: helm('image'), diff: [['-', 3, '  digest: ""'], ['+', 3, `  digest: "${D1}"`]] },
  { file: 'bom-crlf-no-final-newline.yaml', pin: helm('image'), diff: [['+', 4, `  digest: ${D1}`]] },
];

describe('golden corpus', () => {
  it.each(CASES.map((c) => [`${c.file} <- ${JSON.stringify(c.pin.target)}`, c] as const))('%s', (_, c) => {
    const before = read(c.file);
    const pin = { digest: D1, ...c.pin } as Pin;
    const result = pinText(before, [pin], { file: c.file, verify: true });
    expect(lineDiff(before, result.text).map((d) => [d.kind, d.line, d.text])).toEqual(c.diff);
    expect(result.changed).toBe(c.diff.length > 0);
    // Every reported change sits on a '+' line of the diff (or, for a removal, where the line was).
    const added = new Set(c.diff.filter((d) => d[0] === '+').map((d) => d[1]));
    for (const change of result.changes.filter((x) => x.kind !== 'removed')) expect(added).toContain(change.line);
    const docs = parseDocs(before);
    const at = c.doc ?? 0;
    docs[at] = applyModel(docs[at], pin);
    expect(parseDocs(result.text)).toEqual(docs);
    // Pinning the output again changes nothing: idempotence, byte for byte.
    const again = pinText(result.text, [{ ...pin, createMissing: false }], { file: c.file });
    expect(again.changed).toBe(false);
    expect(again.text).toBe(result.text);
  });

  it('keeps line endings, BOM and the missing final newline byte for byte', () => {
    const crlf = pinText(read('crlf.yaml'), [{ target: { kind: 'helm', path: 'image' }, digest: D1 }], { file: 'crlf.yaml' });
    expect(crlf.text).toBe(read('crlf.yaml').replace('  tag: 1.0.0\r\n', `  tag: 1.0.0\r\n  digest: ${D1}\r\n`));
    const bom = read('bom-crlf-no-final-newline.yaml');
    const out = pinText(bom, [{ target: { kind: 'helm', path: 'image' }, digest: D1 }], { file: 'x' }).text;
    expect(out).toBe(`${bom}\r\n  digest: ${D1}`);
    expect(out.charCodeAt(0)).toBe(0xfeff);
  });

  it('has at least 40 corpus files', () => {
    expect(new Set(CASES.map((c) => c.file)).size).toBeGreaterThanOrEqual(40);
  });

  it('reports the previous digest and the change with its output line', () => {
    const r = pinText(read('helm-digest-existing.yaml'), [{ target: { kind: 'helm', path: 'image' }, digest: D1 }], { file: 'v.yaml' });
    expect(r.previousDigest).toBe(D2);
    expect(r.changes).toEqual([{ key: 'image.digest', kind: 'changed', before: D2, after: D1, line: 4 }]);
  });
});
