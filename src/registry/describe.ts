// Fills in what a digest alone does not say: platforms of an index, one platform's manifest digest, and the
// image config's labels. Each extra fact costs one request (child manifest, config blob), made only when asked.
import { RegistryError } from '../runtime/errors.js';
import { BODY_LIMITS, discardBody, readCapped } from './body.js';
import { inertLine, quoteServerText } from '../runtime/log-text.js';
import { isPlatformString, isValidDigest } from './reference.js';
import {
  digestOf,
  kindOf,
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
  const what = kind === 'blobs' ? 'config blob' : 'manifest';
  if (response.status !== 200) {
    await discardBody(response);
    throw new RegistryError(`${ctx.image}: could not read ${what} ${digest} (HTTP ${response.status})`, ctx.image, response.status);
  }
  const bytes = await readCapped(response, kind === 'blobs' ? BODY_LIMITS.config : BODY_LIMITS.manifest, ctx.image, what);
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

/**
 * Index entries and config descriptors come from the server: a digest must have the digest form (it goes into a
 * URL path and is printed) and a platform the os/arch[/variant] form (it is logged), or the answer is refused.
 */
function checkDescriptors(ctx: FetchContext, parsed: ParsedManifest): void {
  for (const d of [...parsed.manifests, ...(parsed.config ? [parsed.config] : [])]) {
    if (typeof d !== 'object' || d === null || typeof d.digest !== 'string' || !isValidDigest(d.digest)) {
      throw new RegistryError(`${ctx.image}: the registry served a manifest naming a malformed digest ${quoteServerText(String((d as { digest?: unknown } | null)?.digest))}`, ctx.image);
    }
    const malformed = () =>
      new RegistryError(`${ctx.image}: the registry served an index entry with a malformed platform ${quoteServerText(JSON.stringify(d.platform) ?? '')}`, ctx.image);
    if (d.platform !== undefined && (typeof d.platform !== 'object' || d.platform === null)) throw malformed();
    const platform = platformOf(d);
    const parts = [d.platform?.os, d.platform?.architecture, d.platform?.variant].filter((p) => p !== undefined);
    if (parts.some((p) => typeof p !== 'string') || (platform !== undefined && !isPlatformString(platform))) throw malformed();
  }
}

/** Label keys and values are the image author's free text: control characters are shown, not passed on. */
function cleanLabels(labels: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return out;
  for (const [key, value] of Object.entries(labels)) {
    if (typeof value === 'string') out[inertLine(key)] = inertLine(value);
  }
  return out;
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
  checkDescriptors(ctx, parsed);
  if (parsed.kind === 'index') {
    const platforms = parsed.manifests.map(platformOf).filter((p): p is string => Boolean(p));
    let result: Resolution = { ...base, platforms };
    let chosen: Descriptor | undefined;
    if (platform) {
      chosen = selectPlatform(parsed.manifests, platform);
      if (!chosen) throw noPlatform(ctx, platform, platforms);
      const digest = chosen.digest;
      const mediaType = kindOf(chosen.mediaType) === 'manifest' ? chosen.mediaType! : MEDIA_TYPES.ociManifest;
      result = { ...result, digest, mediaType, kind: 'manifest', reference: { ...base.reference, digest } };
    }
    if (!options.labels) return result;
    const child = chosen ?? selectPlatform(parsed.manifests, 'linux/amd64') ?? parsed.manifests[0];
    if (!child) return { ...result, labels: {} };
    const manifest = parseManifest(await fetchByDigest(ctx, 'manifests', child.digest, MANIFEST_ACCEPT), child.mediaType);
    checkDescriptors(ctx, manifest);
    const config = await fetchConfig(ctx, manifest);
    return { ...result, labels: cleanLabels(config.config?.Labels) };
  }
  if (!options.describe && !platform && !options.labels) return base;
  // A single manifest keeps its platform in the config blob.
  const config = await fetchConfig(ctx, parsed);
  const own: Descriptor = { digest: base.digest, platform: { os: config.os, architecture: config.architecture, variant: config.variant } };
  checkDescriptors(ctx, { kind: 'manifest', mediaType: base.mediaType, manifests: [own] });
  const platforms = [platformOf(own)].filter((p): p is string => Boolean(p));
  if (platform && !selectPlatform([own], platform)) throw noPlatform(ctx, platform, platforms);
  return { ...base, platforms, ...(options.labels ? { labels: cleanLabels(config.config?.Labels) } : {}) };
}
