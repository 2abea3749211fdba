// Finds cosign signatures of a digest at the registry: cosign's `sha256-<hex>.sig` tag, and OCI 1.1 referrers
// of artifact type cosign-sig (the referrers API, or its tag-schema fallback `sha256-<hex>` where the API is
// missing). Returns the signed payloads with their signatures; checking them is signature-check.ts's job.
import type { ArtifactReader, FetchedManifest } from '../registry/artifacts.js';
import type { Descriptor } from '../registry/manifest.js';
import type { ImageReference } from '../registry/types.js';
import { CERTIFICATE_ANNOTATION, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_TYPE, type SignatureCandidate } from './signature-check.js';

export const COSIGN_SIG_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';

/** `sha256:abc…` -> `sha256-abc…`: the tag form cosign and the referrers tag schema use. */
export function digestTag(digest: string): string {
  return digest.replace(':', '-');
}

async function candidatesOf(reader: ArtifactReader, repo: ImageReference, manifest: FetchedManifest, where: string): Promise<SignatureCandidate[]> {
  const layers = (manifest.json.layers ?? []).filter((l) => l.mediaType === SIMPLE_SIGNING_TYPE && l.annotations?.[SIGNATURE_ANNOTATION]);
  const out: SignatureCandidate[] = [];
  for (const layer of layers) {
    const payload = await reader.blob(repo, layer.digest);
    const certificate = layer.annotations?.[CERTIFICATE_ANNOTATION];
    out.push({ payload, signature: layer.annotations![SIGNATURE_ANNOTATION]!, where, ...(certificate ? { certificate } : {}) });
  }
  return out;
}

/**
 * Referrers of `digest` accepted by `accept` (by artifact type): from the API, filtered by `apiType`, or from
 * the referrers tag schema where the API is missing.
 */
export async function listReferrers(
  reader: ArtifactReader,
  repo: ImageReference,
  digest: string,
  apiType: string,
  accept: (artifactType: string | undefined) => boolean,
): Promise<Descriptor[]> {
  const listed = await reader.referrers(repo, digest, apiType);
  if (listed) return listed;
  const fallback = await reader.manifest(repo, digestTag(digest));
  return (fallback?.json.manifests ?? []).filter((d) => accept((d as { artifactType?: string }).artifactType));
}

function signatureReferrers(reader: ArtifactReader, repo: ImageReference, digest: string): Promise<Descriptor[]> {
  return listReferrers(reader, repo, digest, COSIGN_SIG_ARTIFACT_TYPE, (t) => t === COSIGN_SIG_ARTIFACT_TYPE);
}

/** Signatures on cosign's `sha256-<hex>.sig` tag (one request when there are none). */
export async function tagSignatures(reader: ArtifactReader, ref: ImageReference, digest: string): Promise<SignatureCandidate[]> {
  const repo: ImageReference = { registry: ref.registry, repository: ref.repository };
  const tag = `${digestTag(digest)}.sig`;
  const tagged = await reader.manifest(repo, tag);
  return tagged ? candidatesOf(reader, repo, tagged, `tag ${tag}`) : [];
}

/** Signatures attached as OCI 1.1 referrers (cosign's `--registry-referrers-mode=oci-1-1`). */
export async function referrerSignatures(reader: ArtifactReader, ref: ImageReference, digest: string): Promise<SignatureCandidate[]> {
  const repo: ImageReference = { registry: ref.registry, repository: ref.repository };
  const out: SignatureCandidate[] = [];
  for (const referrer of await signatureReferrers(reader, repo, digest)) {
    const manifest = await reader.manifest(repo, referrer.digest);
    // A referrer must name this digest as its subject; one that doesn't was listed by mistake.
    if (manifest && manifest.json.subject?.digest === digest) {
      out.push(...(await candidatesOf(reader, repo, manifest, `referrer ${referrer.digest.slice(0, 19)}`)));
    }
  }
  return out;
}
