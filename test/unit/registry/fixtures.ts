// Manifests shaped like buildx pushes them (an index with two platforms and attestation manifests), with digests.
import { createHash } from 'node:crypto';
import { MEDIA_TYPES } from '../../../src/registry/manifest.js';

export const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

export const CONFIG = JSON.stringify({
  architecture: 'amd64',
  os: 'linux',
  config: { Labels: { 'org.opencontainers.image.revision': '0123abc', 'org.opencontainers.image.source': 'https://github.com/ameide/agents' } },
});
export const CONFIG_DIGEST = sha256(CONFIG);

export const AMD64 = JSON.stringify({
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.ociManifest,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: CONFIG_DIGEST, size: CONFIG.length },
  layers: [],
});
export const AMD64_DIGEST = sha256(AMD64);
export const ARM64_DIGEST = sha256('arm64 manifest');

export const INDEX = JSON.stringify({
  schemaVersion: 2,
  mediaType: MEDIA_TYPES.ociIndex,
  manifests: [
    { mediaType: MEDIA_TYPES.ociManifest, digest: AMD64_DIGEST, size: AMD64.length, platform: { architecture: 'amd64', os: 'linux' } },
    { mediaType: MEDIA_TYPES.ociManifest, digest: ARM64_DIGEST, size: 476, platform: { architecture: 'arm64', os: 'linux', variant: 'v8' } },
    {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: sha256('attestation'),
      size: 566,
      annotations: { 'vnd.docker.reference.digest': AMD64_DIGEST, 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { architecture: 'unknown', os: 'unknown' },
    },
  ],
});
export const INDEX_DIGEST = sha256(INDEX);

export const indexHeaders = { 'content-type': MEDIA_TYPES.ociIndex, 'docker-content-digest': INDEX_DIGEST };

/** A sleep that records the waits instead of waiting. */
export function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
