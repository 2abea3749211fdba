// Where the image comes from, settled before anything is built or pushed: its push-side repository, its
// digest when already known, and the tags that may name it (for the tag decision). Only buildImage has a
// side effect: the buildx build, which pushes unless push is false or the run is a dry run.
import { join } from 'node:path';
import { serviceLine } from '../runtime/logger.js';
import { formatReference, parseReference } from '../registry/index.js';
import type { ImageReference } from '../registry/types.js';
import type { BuildResult } from '../buildx/types.js';
import type { DigestpinRequest } from '../request.js';
import { buildRequestFor } from './build-request.js';
import { pinnedInEnvironment, type LoadedConfig, type ReadFile } from './targets.js';
import { bareTag, type TagCandidate } from './tag-choice.js';

export interface ImageOrigin {
  /** Push-side reference; its tag, when set, is resolved to find the digest. */
  push: ImageReference;
  digest?: string;
  /** Tags that may name the digest, best first. */
  candidates: TagCandidate[];
}

export async function imageOrigin(request: Readonly<DigestpinRequest>, loaded: LoadedConfig | undefined, readFile: ReadFile): Promise<ImageOrigin> {
  const { image, registry } = request;
  const host = registry.push ?? registry.pull;
  if (image.kind === 'environment') {
    const pinned = await pinnedInEnvironment(request, loaded!, image.from, readFile);
    const tag = bareTag(pinned.tag);
    return { push: pinned.push, digest: pinned.digest, candidates: tag ? [{ tag, from: `the ${image.from} pin` }] : [] };
  }
  if (image.kind === 'build') {
    const push = parseReference(`${host}/${image.name}:${image.tag}`, 'image');
    return { push, candidates: [{ tag: image.tag, from: 'this run\'s build', known: true }] };
  }
  if (image.kind === 'image-ref') {
    const ref = parseReference(image.ref, 'image-ref');
    // A tag alone is resolved to the digest, so it names it; a tag beside a digest has to be shown to.
    return { push: ref, digest: ref.digest, candidates: ref.tag ? [{ tag: ref.tag, from: 'the image reference', known: !ref.digest }] : [] };
  }
  const push = parseReference(`${host}/${image.name}`, 'image');
  return { push, digest: image.digest, candidates: image.tag ? [{ tag: image.tag, from: 'the image-tag input' }] : [] };
}

export interface Built {
  digest: string;
  pushed: boolean;
  result: BuildResult;
}

/** Runs the build; pushes only when push is true and the run is not a dry run. */
export async function buildImage(
  request: Readonly<DigestpinRequest>,
  origin: ImageOrigin,
  deps: { build(request: ReturnType<typeof buildRequestFor>): Promise<BuildResult>; logger: { info(m: string): void } },
): Promise<Built> {
  const image = request.image;
  if (image.kind !== 'build') throw new Error('buildImage needs a build request');
  const push = image.build.push && !request.gitops.dryRun;
  const spec = { ...image, build: { ...image.build, push } };
  const build = buildRequestFor(request, spec, origin.push, join(request.run.tempDir, `digestpin-build-${process.pid}-${Date.now()}.json`));
  const where = `${formatReference(origin.push)}${image.build.platforms.length ? ` for ${image.build.platforms.join(', ')}` : ''}`;
  deps.logger.info(serviceLine(request.service, 'start', `building ${where}${push ? '' : ` without pushing (${request.gitops.dryRun ? 'dry run' : 'push: false'})`}`));
  if (request.gitops.dryRun && image.build.cacheTo.length) {
    deps.logger.info(serviceLine(request.service, 'done', 'dry run: the cache export (cache-to) was skipped'));
  }
  const result = await deps.build(build);
  deps.logger.info(serviceLine(request.service, 'done', `built ${push ? 'and pushed ' : ''}${formatReference(origin.push)} (${result.digest})`));
  return { digest: result.digest, pushed: push, result };
}
