// After pinning a kustomization, the real `kustomize build` must render the pinned image by digest.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exec } from '../../../src/runtime/exec.js';
import { pinText, type Pin } from '../../../src/values/index.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
      - name: sidecar
        image: ghcr.io/acme/sidecar:0.1
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digestpin-kustomize-'));
  writeFileSync(join(dir, 'deployment.yaml'), DEPLOYMENT);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function pinAndBuild(kustomization: string, pins: Pin[]): Promise<{ images: string[]; text: string }> {
  const result = pinText(kustomization, pins, { file: 'kustomization.yaml', verify: true });
  writeFileSync(join(dir, 'kustomization.yaml'), result.text);
  const { stdout } = await exec('kustomize', ['build', dir]);
  const docs = parseAllDocuments(stdout);
  const deployment = (Array.isArray(docs) ? docs : []).map((d) => d.toJS()).find((d) => d.kind === 'Deployment');
  return { images: deployment.spec.template.spec.containers.map((c: { image: string }) => c.image), text: readFileSync(join(dir, 'kustomization.yaml'), 'utf8') };
}

describe('kustomize build renders the pinned digest', () => {
  it('an existing entry with a tag: name@digest', async () => {
    const { images } = await pinAndBuild('resources:\n- deployment.yaml\nimages:\n- name: nginx\n  newTag: "1.26"\n', [{ target: { kind: 'kustomize', name: 'nginx' }, digest: D1 }]);
    expect(images[0]).toBe(`nginx@${D1}`);
    expect(images[1]).toBe('ghcr.io/acme/sidecar:0.1');
  });

  it('an entry with newName: newName@digest', async () => {
    const k = 'resources:\n- deployment.yaml\nimages:\n- name: nginx\n  newName: registry.example.com/mirror/nginx\n';
    const { images } = await pinAndBuild(k, [{ target: { kind: 'kustomize', name: 'nginx' }, digest: D1, repository: 'registry.example.com/mirror/nginx' }]);
    expect(images[0]).toBe(`registry.example.com/mirror/nginx@${D1}`);
  });

  it('created entries, including images: itself, with newName set on request', async () => {
    const { images, text } = await pinAndBuild('# app\nresources:\n- deployment.yaml\n', [
      { target: { kind: 'kustomize', name: 'nginx' }, digest: D1, createMissing: true },
      { target: { kind: 'kustomize', name: 'ghcr.io/acme/sidecar' }, digest: `sha256:${'2'.repeat(64)}`, repository: 'registry.example.com/acme/sidecar', createMissing: true },
    ]);
    expect(text.startsWith('# app\nresources:\n- deployment.yaml\nimages:\n')).toBe(true);
    expect(images).toEqual([`nginx@${D1}`, `registry.example.com/acme/sidecar@sha256:${'2'.repeat(64)}`]);
  });

  it('a newTag removed in favour of the digest', async () => {
    const { images, text } = await pinAndBuild('resources:\n- deployment.yaml\nimages:\n- name: nginx\n  newTag: "1.26"\n', [
      { target: { kind: 'kustomize', name: 'nginx' }, digest: D1, tag: { mode: 'remove' } },
    ]);
    expect(text).toBe(`resources:\n- deployment.yaml\nimages:\n- name: nginx\n  digest: ${D1}\n`);
    expect(images[0]).toBe(`nginx@${D1}`);
  });

  it('a raw resource pinned with style reference: kustomize renders repo:tag@digest for that container only', async () => {
    const pinned = pinText(DEPLOYMENT, [{ target: { kind: 'reference', container: 'sidecar' }, digest: D1, repository: 'ghcr.io/acme/sidecar' }], { file: 'deployment.yaml', verify: true });
    writeFileSync(join(dir, 'deployment.yaml'), pinned.text);
    const { images } = await pinAndBuild('resources:\n- deployment.yaml\n', []);
    expect(images).toEqual(['nginx:1.25', `ghcr.io/acme/sidecar:0.1@${D1}`]);
  });

  it('Flux setter markers in a kustomization: a marked newTag carries the digest, a marked digest line takes it', async () => {
    const k = 'resources:\n- deployment.yaml\nimages:\n- name: nginx\n  newTag: "1.26" # {"$imagepolicy": "flux-system:web:tag"}\n- name: ghcr.io/acme/sidecar\n  newTag: "0.2" # digestpin: sidecar:tag\n  digest: "" # digestpin: sidecar:digest\n';
    const { images, text } = await pinAndBuild(k, [
      { target: { kind: 'marker', name: 'web' }, digest: D1 },
      { target: { kind: 'marker', name: 'sidecar' }, digest: `sha256:${'2'.repeat(64)}`, tag: { mode: 'set', value: '0.3' } },
    ]);
    expect(text).toContain(`  newTag: "1.26@${D1}" # {"$imagepolicy": "flux-system:web:tag"}\n`);
    expect(images).toEqual([`nginx:1.26@${D1}`, `ghcr.io/acme/sidecar:0.3@sha256:${'2'.repeat(64)}`]);
  });
});
