// Fills in what a digest alone does not say: platforms of an index, one platform's manifest digest, and the
// image config's labels. Each extra fact costs one request (child manifest, config blob), made only when asked.
import { RegistryError } from '../runtime/errors.js';
import {
  digestOf,
  MANIFEST_ACCEPT,
  MEDIA_TYPES,
  parseManifest,
  platformOf,
  selectPlatform,
  type Descriptor,
  type ParsedManifest,
} from './manifest.js';
import type { SessionRequestFn } from './session.js';
import type { Resolution, ResolveOptions } from './types.js';

export interface FetchContext {
  request: SessionRequestFn;
  scope: string;
  repository: string;
  image: string;
  counter: { requests: number };
}

interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
}

/** GETs a manifest or blob by digest and checks its content against the digest (content addressing). */
async function fetchByDigest(ctx: FetchContext, kind: 'manifests' | 'blobs', digest: string, accept: string): Promise<string> {
  const response = await ctx.request({
    method: 'GET',
    path: `/v2/${ctx.repository}/${kind}/${digest}`,
    scope: ctx.scope,
    accept,
    image: ctx.image,
    counter: ctx.counter,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const what = kind === 'blobs' ? 'config blob' : 'manifest';
  if (response.status !== 200) {
    throw new RegistryError(`${ctx.image}: could not read ${what} ${digest} (HTTP ${response.status})`, ctx.image, response.status);
  }
  if (digestOf(bytes, digest) !== digest) {
    throw new RegistryError(`${ctx.image}: the ${what} served for ${digest} does not hash to that digest`, ctx.image);
  }
  return new TextDecoder().decode(bytes);
}

async function fetchConfig(ctx: FetchContext, manifest: ParsedManifest): Promise<ImageConfig> {
  if (!manifest.config?.digest) throw new RegistryError(`${ctx.image}: the image manifest names no config blob`, ctx.image);
  const text = await fetchByDigest(ctx, 'blobs', manifest.config.digest, manifest.config.mediaType ?? '*/*');
  try {
    return JSON.parse(text) as ImageConfig;
  } catch {
    throw new RegistryError(`${ctx.image}: the image config ${manifest.config.digest} is not JSON`, ctx.image);
  }
}

function noPlatform(ctx: FetchContext, platform: string, platforms: string[]): RegistryError {
  const has = platforms.length ? platforms.join(', ') : 'no platform';
  return new RegistryError(`${ctx.image}: there is no ${platform} image (the image has ${has})`, ctx.image);
}

/** Platforms, platform choice and labels for a fetched manifest; `base` already holds digest and kind. */
export async function describeManifest(
  ctx: FetchContext,
  base: Resolution,
  parsed: ParsedManifest,
  options: ResolveOptions,
): Promise<Resolution> {
  const { platform } = options;
  if (parsed.kind === 'index') {
    const platforms = parsed.manifests.map(platformOf).filter((p): p is string => Boolean(p));
    let result: Resolution = { ...base, platforms };
    let chosen: Descriptor | undefined;
    if (platform) {
      chosen = selectPlatform(parsed.manifests, platform);
      if (!chosen) throw noPlatform(ctx, platform, platforms);
      const digest = chosen.digest;
      const mediaType = chosen.mediaType ?? MEDIA_TYPES.ociManifest;
      result = { ...result, digest, mediaType, kind: 'manifest', reference: { ...base.reference, digest } };
    }
    if (!options.labels) return result;
    const child = chosen ?? selectPlatform(parsed.manifests, 'linux/amd64') ?? parsed.manifests[0];
    if (!child) return { ...result, labels: {} };
    const manifest = parseManifest(await fetchByDigest(ctx, 'manifests', child.digest, MANIFEST_ACCEPT), child.mediaType);
    const config = await fetchConfig(ctx, manifest);
    return { ...result, labels: { ...(config.config?.Labels ?? {}) } };
  }
  if (!options.describe && !platform && !options.labels) return base;
  // A single manifest keeps its platform in the config blob.
  const config = await fetchConfig(ctx, parsed);
  const own: Descriptor = { digest: base.digest, platform: { os: config.os, architecture: config.architecture, variant: config.variant } };
  const platforms = [platformOf(own)].filter((p): p is string => Boolean(p));
  if (platform && !selectPlatform([own], platform)) throw noPlatform(ctx, platform, platforms);
  return { ...base, platforms, ...(options.labels ? { labels: { ...(config.config?.Labels ?? {}) } } : {}) };
}
