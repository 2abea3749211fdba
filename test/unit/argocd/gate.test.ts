// healthGate and applicationUrl, pure: Synced + Healthy + the pinned repository@digest among the running images,
// compared as docker names images; and the URL rules that keep the token off plain http and out of redirects.
import { describe, expect, it } from 'vitest';
import { applicationUrl, healthGate } from '../../../src/argocd/index.js';

const D = `sha256:${'1'.repeat(64)}`;
const OTHER = `sha256:${'2'.repeat(64)}`;
const ok = (images: string[]) => ({ sync: 'Synced', health: 'Healthy', images });

describe('healthGate', () => {
  it.each([
    ['the exact reference', [`registry.internal:5000/ameide/agents@${D}`], `registry.internal:5000/ameide/agents@${D}`],
    ['a tag beside the digest on either side', [`registry.internal:5000/ameide/agents:1.4.2@${D}`], `registry.internal:5000/ameide/agents:1.4.0@${D}`],
    ['Docker Hub short and long names', [`nginx@${D}`], `docker.io/library/nginx@${D}`],
    ['index.docker.io as docker.io', [`index.docker.io/library/nginx@${D}`], `nginx:1.27@${D}`],
    ['among other images', ['docker.io/library/redis:7', `ghcr.io/ameide/agents@${D}`], `ghcr.io/ameide/agents@${D}`],
  ])('passes: %s', (_, images, pinned) => {
    expect(healthGate(ok(images), pinned)).toEqual({ ok: true });
  });

  it.each([
    ['OutOfSync', { sync: 'OutOfSync', health: 'Healthy', images: [`r.io/a@${D}`] }, `r.io/a@${D}`, 'the Application is OutOfSync, not Synced'],
    ['never compared', { sync: '', health: '', images: [] }, `r.io/a@${D}`, 'the Application is not yet compared, not Synced'],
    ['Progressing', { sync: 'Synced', health: 'Progressing', images: [`r.io/a@${D}`] }, `r.io/a@${D}`, 'the Application is Progressing, not Healthy'],
    ['Degraded', { sync: 'Synced', health: 'Degraded', images: [`r.io/a@${D}`] }, `r.io/a@${D}`, 'the Application is Degraded, not Healthy'],
    ['another digest of the repository', ok([`r.io/a@${OTHER}`]), `r.io/a@${D}`, `the Application runs r.io/a@${OTHER}, not r.io/a@sha256:111111111111`],
    ['the tag only, no digest', ok(['r.io/a:1.0']), `r.io/a:1.0@${D}`, 'the Application runs r.io/a:1.0, not r.io/a@sha256:111111111111'],
    ['the digest under another repository', ok([`r.io/b@${D}`]), `r.io/a@${D}`, 'the Application runs no image of r.io/a (it lists 1 image(s))'],
    ['the digest under another registry', ok([`mirror.io/a@${D}`]), `r.io/a@${D}`, 'the Application runs no image of r.io/a (it lists 1 image(s))'],
    ['a repository that only shares a prefix', ok([`r.io/a-b@${D}`]), `r.io/a@${D}`, 'the Application runs no image of r.io/a (it lists 1 image(s))'],
    ['a pinned reference without a digest', ok([`r.io/a@${D}`]), 'r.io/a:1.0', "the pinned reference 'r.io/a:1.0' has no digest to look for"],
    ['unparsable images are ignored', ok(['NOT A REF', '']), `r.io/a@${D}`, 'the Application runs no image of r.io/a (it lists 2 image(s))'],
  ])('holds: %s', (_, status, pinned, reason) => {
    expect(healthGate(status, pinned)).toEqual({ ok: false, reason });
  });
});

describe('applicationUrl', () => {
  it('keeps a root path, encodes the name, adds appNamespace', () => {
    expect(applicationUrl({ server: 'https://cd.example.com/argo-cd/', application: 'agents-dev', appNamespace: 'team-a' }).toString()).toBe(
      'https://cd.example.com/argo-cd/api/v1/applications/agents-dev?appNamespace=team-a',
    );
  });
  it.each([
    [{ server: 'http://cd.example.com', application: 'a' }, /plain http would send the token unencrypted; use https/],
    [{ server: 'cd.example.com', application: 'a' }, /is not a URL \(write it like https:\/\/argocd.example.com\)/],
    [{ server: 'ftp://cd.example.com', application: 'a' }, /must be an http\(s\) URL/],
    [{ server: 'https://u:p@cd.example.com', application: 'a' }, /leave credentials out of the URL/],
    [{ server: 'https://cd.example.com', application: '../x' }, /'..\/x' is not an application name/],
  ])('refuses %o', (opts, message) => {
    expect(() => applicationUrl(opts)).toThrow(message);
  });
  it('allows plain http on loopback, or when asked', () => {
    expect(applicationUrl({ server: 'http://127.0.0.1:8080', application: 'a' }).origin).toBe('http://127.0.0.1:8080');
    expect(applicationUrl({ server: 'http://argocd-server.argocd', application: 'a', insecure: true }).origin).toBe('http://argocd-server.argocd');
  });
});
