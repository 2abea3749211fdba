// Turns the action's build inputs into the build phase's request: the pushed tags and the OCI labels
// that later let a PR body link back to the source revision. A dry run exports no build cache (a cache export
// is a registry or GHA-cache write). Pure.
import { formatReference } from '../registry/reference.js';
import type { ImageReference } from '../registry/types.js';
import type { BuildRequest } from '../buildx/types.js';
import type { DigestpinRequest, ImageSource } from '../request.js';

export function buildRequestFor(
  request: Readonly<DigestpinRequest>,
  image: Extract<ImageSource, { kind: 'build' }>,
  push: ImageReference,
  metadataFile: string,
): BuildRequest {
  const repo = formatReference({ registry: push.registry, repository: push.repository });
  const extra = image.build.extraTags.map((t) => (t.includes('/') || t.includes(':') ? t : `${repo}:${t}`));
  const labels = [...image.build.labels];
  const has = (key: string) => labels.some((l) => l.startsWith(`${key}=`));
  const { sha, sourceRepository, serverUrl } = request.run;
  if (sha && !has('org.opencontainers.image.revision')) labels.push(`org.opencontainers.image.revision=${sha}`);
  if (sourceRepository && !has('org.opencontainers.image.source')) labels.push(`org.opencontainers.image.source=${serverUrl}/${sourceRepository}`);
  return {
    context: image.build.context,
    file: image.build.file,
    platforms: image.build.platforms,
    buildArgs: image.build.buildArgs,
    target: image.build.target,
    labels,
    tags: [formatReference(push), ...extra],
    provenance: image.build.provenance,
    sbom: image.build.sbom,
    cacheFrom: image.build.cacheFrom,
    cacheTo: request.gitops.dryRun ? [] : image.build.cacheTo,
    builder: image.build.builder,
    push: image.build.push,
    metadataFile,
  };
}
