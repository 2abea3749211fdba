// Manifest media types and pure readers: kind, platforms (attestations excluded), platform choice, digests.
// The Accept list names index types first so a multi-platform push resolves to its index, as pushed.
import { createHash } from 'node:crypto';
import type { ManifestKind } from './types.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
].join(', ');

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ParsedManifest {
  kind: ManifestKind;
  mediaType: string;
  /** Image manifests of an index, attestation manifests excluded. Empty for a single manifest. */
  manifests: Descriptor[];
  /** Config descriptor of a single manifest. */
  config?: Descriptor;
}

/** Kind from a media type; undefined when the type is not one digestpin asked for. */
export function kindOf(mediaType: string | undefined | null): ManifestKind | undefined {
  const type = (mediaType ?? '').split(';')[0]!.trim();
  if (type === MEDIA_TYPES.ociIndex || type === MEDIA_TYPES.dockerList) return 'index';
  if (type === MEDIA_TYPES.ociManifest || type === MEDIA_TYPES.dockerManifest) return 'manifest';
  return undefined;
}

/** buildx marks attestation manifests with unknown/unknown and a vnd.docker.reference.type annotation. */
export function isAttestation(d: Descriptor): boolean {
  if (d.annotations?.['vnd.docker.reference.type']) return true;
  return d.platform?.os === 'unknown' && d.platform?.architecture === 'unknown';
}

export function platformOf(d: Descriptor): string | undefined {
  const p = d.platform;
  if (!p?.os || !p.architecture) return undefined;
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** Reads a manifest body. `headerType` (Content-Type) wins over the body's own mediaType only when it is known. */
export function parseManifest(body: string, headerType?: string | null): ParsedManifest {
  let json: { mediaType?: string; manifests?: Descriptor[]; config?: Descriptor };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    throw new Error('the manifest is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the manifest is not a JSON object');
  // Only a type digestpin knows is kept: the body's own field is the server's free text.
  const mediaType = kindOf(headerType) ? headerType!.split(';')[0]!.trim() : kindOf(json.mediaType) ? json.mediaType! : '';
  const kind = kindOf(mediaType) ?? (Array.isArray(json.manifests) ? 'index' : 'manifest');
  const isObject = (d: unknown): d is Descriptor => typeof d === 'object' && d !== null && !Array.isArray(d);
  const entries = Array.isArray(json.manifests) ? json.manifests : [];
  const manifests = kind === 'index' ? entries.filter((d) => !isObject(d) || !isAttestation(d)) : [];
  const fallbackType = kind === 'index' ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  return { kind, mediaType: mediaType || fallbackType, manifests, config: isObject(json.config) ? json.config : undefined };
}

/** `linux/arm64/v8` and `linux/arm64` name the same platform, as in containerd's normalisation. */
export function normalizePlatform(platform: string): string {
  const [os = '', arch = '', variant] = platform.toLowerCase().split('/');
  const a = arch === 'aarch64' ? 'arm64' : arch === 'x86_64' ? 'amd64' : arch;
  const v = a === 'arm64' && variant === 'v8' ? undefined : variant;
  return [os, a, v].filter(Boolean).join('/');
}

// The naming rule lives with the other reference rules (no crypto there, so inputs can load it cheaply).
export { isPlatformString } from './reference.js';

/** The index entry for `platform`; a request without a variant matches the first entry of that os/arch. */
export function selectPlatform(manifests: Descriptor[], platform: string): Descriptor | undefined {
  const wanted = normalizePlatform(platform);
  const exact = manifests.find((d) => normalizePlatform(platformOf(d) ?? '') === wanted);
  if (exact || wanted.split('/').length > 2) return exact;
  return manifests.find((d) => normalizePlatform(platformOf(d) ?? '').startsWith(`${wanted}/`));
}

/** Digest of raw bytes with the algorithm named by `like` (sha256 unless `like` is a sha512 digest). */
export function digestOf(bytes: Uint8Array, like?: string): string {
  const algorithm = like?.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
