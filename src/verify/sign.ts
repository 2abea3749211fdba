// Signs digests the way `cosign sign --key` does, with no cosign binary: a simple-signing payload naming the
// digest, signed with the key, pushed as a layer of the `sha256-<hex>.sig` manifest (existing signatures kept).
// `cosign verify --key` accepts the result (tested against the real cosign).
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { createArtifactReader } from '../registry/artifacts.js';
import { MEDIA_TYPES, type Descriptor } from '../registry/manifest.js';
import { createArtifactWriter } from '../registry/push.js';
import { formatReference } from '../registry/reference.js';
import type { ImageReference, RegistryClientOptions } from '../registry/types.js';
import { fingerprintOf } from './keys.js';
import { COSIGN_SIGNATURE_TYPE, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_TYPE, signatureHash, signatureVerifies } from './signature-check.js';
import { digestTag } from './signatures.js';
import { loadSigningKey } from './signing-key.js';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** The payload cosign signs, field for field. */
export function simpleSigningPayload(repository: ImageReference, digest: string): Uint8Array {
  return encode({
    critical: { identity: { 'docker-reference': formatReference({ registry: repository.registry, repository: repository.repository }) }, image: { 'docker-manifest-digest': digest }, type: COSIGN_SIGNATURE_TYPE },
    optional: null,
  });
}

export function signPayload(payload: Uint8Array, key: KeyObject): string {
  return cryptoSign(signatureHash(key), payload, key).toString('base64');
}

/** cosign's signature image config: an empty image whose layers are the signed payloads. */
function signatureConfig(layers: Descriptor[]): Uint8Array {
  return encode({
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    history: [{ created: '0001-01-01T00:00:00Z' }],
    os: '',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    config: {},
  });
}

export async function signDigests(
  spec: { key: string; password?: string },
  repository: ImageReference,
  digests: string[],
  options: RegistryClientOptions,
): Promise<{ fingerprint: string; requests: number }> {
  const { key, publicKey } = loadSigningKey(spec.key, spec.password);
  const reader = createArtifactReader(options);
  const writer = createArtifactWriter(options);
  for (const digest of digests) {
    const payload = simpleSigningPayload(repository, digest);
    const signature = signPayload(payload, key);
    const payloadDigest = await writer.pushBlob(repository, payload);
    const tag = `${digestTag(digest)}.sig`;
    const existing = (await reader.manifest(repository, tag))?.json.layers ?? [];
    const layer: Descriptor = { mediaType: SIMPLE_SIGNING_TYPE, size: payload.length, digest: payloadDigest, annotations: { [SIGNATURE_ANNOTATION]: signature } };
    // Other signers' layers stay, as cosign keeps them; a layer for the same payload and key is replaced.
    const kept = existing.filter((l) => !(l.digest === payloadDigest && l.annotations?.[SIGNATURE_ANNOTATION] && sameSigner(l, payload, publicKey)));
    const layers = [...kept, layer];
    const config = signatureConfig(layers);
    const configDigest = await writer.pushBlob(repository, config);
    const manifest = encode({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: configDigest },
      layers,
    });
    await writer.pushManifest(repository, tag, manifest, MEDIA_TYPES.ociManifest);
  }
  return { fingerprint: fingerprintOf(publicKey), requests: reader.requests + writer.requests };
}

function sameSigner(layer: Descriptor, payload: Uint8Array, publicKey: KeyObject): boolean {
  return signatureVerifies(payload, layer.annotations![SIGNATURE_ANNOTATION]!, publicKey);
}
