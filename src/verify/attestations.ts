// Finds the provenance buildx attaches: the attestation manifests of an index (annotated
// vnd.docker.reference.type=attestation-manifest, vnd.docker.reference.digest=<image manifest>) and their
// in-toto layers. Only layers of a wanted predicate type are fetched; the others are listed by annotation.
import type { ArtifactReader, FetchedManifest } from '../registry/artifacts.js';
import { isAttestation, platformOf } from '../registry/manifest.js';
import type { ImageReference } from '../registry/types.js';
import { SLSA_TYPES, type FoundStatement, type PlatformImage } from './provenance-check.js';

const IN_TOTO_LAYER = 'application/vnd.in-toto+json';
const PREDICATE_ANNOTATION = 'in-toto.io/predicate-type';

export interface FoundProvenance {
  kind: 'index' | 'manifest';
  images: PlatformImage[];
  statements: FoundStatement[];
}

function parseStatement(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** The statements of an index's attestation manifests. `wanted` limits which in-toto layers are downloaded. */
export async function findProvenance(
  reader: ArtifactReader,
  ref: ImageReference,
  digest: string,
  index: FetchedManifest,
  wanted: string | undefined,
): Promise<FoundProvenance> {
  const repo: ImageReference = { registry: ref.registry, repository: ref.repository };
  const descriptors = index.json.manifests;
  if (!Array.isArray(descriptors)) return { kind: 'manifest', images: [{ digest }], statements: [] };
  const images = descriptors.filter((d) => !isAttestation(d)).map((d) => ({ digest: d.digest, platform: platformOf(d) }));
  const statements: FoundStatement[] = [];
  const types = wanted ? [wanted] : SLSA_TYPES;
  for (const d of descriptors) {
    const imageDigest = d.annotations?.['vnd.docker.reference.digest'];
    if (d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' || !imageDigest) continue;
    const manifest = await reader.manifest(repo, d.digest);
    for (const layer of manifest?.json.layers ?? []) {
      const predicateType = layer.annotations?.[PREDICATE_ANNOTATION];
      if (layer.mediaType !== IN_TOTO_LAYER || !predicateType) continue;
      // Unwanted types are listed (for the error message) without downloading their statements.
      const statement = types.includes(predicateType) ? parseStatement(await reader.blob(repo, layer.digest)) : undefined;
      statements.push({ imageDigest, predicateType, statement });
    }
  }
  return { kind: 'index', images, statements };
}
