// Copies an image by digest between registries (or repositories): the index, every platform and attestation
// manifest, and their blobs, byte for byte, so the digest never changes. Blobs already at the target are skipped
// (HEAD); within one registry they are mounted across repositories; children are pushed before their index, and
// the target is verified to serve exactly the digest afterwards. Every error names both sides.
import { RegistryError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { BODY_LIMITS, discardBody, readCapped } from './body.js';
import { createRegistryClient } from './client.js';
import { createCopyChannel, type CopyChannel } from './copy-channel.js';
import { digestOf, kindOf, MANIFEST_ACCEPT, type Descriptor } from './manifest.js';
import { formatReference, isValidDigest } from './reference.js';
import type { ImageReference, RegistryClientOptions } from './types.js';

export interface CopyResult {
  /** The digest the target serves: always the source digest. */
  digest: string;
  /** Blobs uploaded (read from the source, written to the target). */
  blobsCopied: number;
  /** Blobs mounted from the source repository (same registry): no bytes moved. */
  blobsMounted: number;
  /** Blobs the target already had. */
  blobsPresent: number;
  /** Manifests pushed (index, platform and attestation manifests); those already there are not. */
  manifestsPushed: number;
  /** HTTP requests made, token requests and the final verification included. */
  requests: number;
}

export interface CopyOptions {
  logger?: Logger;
  /** Blobs transferred at once. Default 4. */
  concurrency?: number;
}

/** Time allowed per byte of a blob on top of the per-request timeout: a 1 GiB layer gets ~17 min more at 1 MiB/s. */
const BLOB_MS_PER_MIB = 1000;
/** An index of indexes deeper than this is not an image (and a cycle is impossible by content addressing). */
const MAX_DEPTH = 4;

interface Ctx {
  from: ImageReference;
  to: ImageReference;
  source: CopyChannel;
  target: CopyChannel;
  label: string;
  mount: boolean;
  blobs: Map<string, Promise<void>>;
  result: CopyResult;
  limit: <T>(job: () => Promise<T>) => Promise<T>;
  logger?: Logger;
}

/**
 * Copies `from` (by digest) to `to` (its tag, if any, is pointed at the digest too). `registry` holds the
 * credentials, aliases and insecure hosts for both registries, as for createRegistryClient: pull scope is asked at
 * the source, push at the target.
 */
export async function copyImage(
  registry: RegistryClientOptions,
  from: ImageReference & { digest: string },
  to: ImageReference,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const label = `copy ${formatReference({ ...from, tag: undefined })} -> ${formatReference({ ...to, digest: undefined })}`;
  if (!isValidDigest(from.digest)) throw new RegistryError(`${label}: '${from.digest}' is not a digest`, label);
  const counter = { requests: 0 };
  const logger = options.logger ?? registry.logger;
  const channelOptions = { ...registry, logger, label, counter };
  const source = createCopyChannel(from, channelOptions);
  const target = createCopyChannel(to, channelOptions);
  const result: CopyResult = { digest: from.digest, blobsCopied: 0, blobsMounted: 0, blobsPresent: 0, manifestsPushed: 0, requests: 0 };
  const ctx: Ctx = {
    from,
    to,
    source,
    target,
    label,
    mount: source.origin === target.origin && from.repository !== to.repository,
    blobs: new Map(),
    result,
    limit: limiter(options.concurrency ?? 4),
    logger,
  };
  await copyManifest(ctx, from.digest, 0);
  if (to.tag) {
    const root = await fetchManifest(ctx, from.digest);
    parseJson(ctx, root, from.digest);
    await putManifest(ctx, to.tag, root);
  }
  // The proof is the target's own answer, through the read client: it serves these exact bytes under the digest.
  const verified = await createRegistryClient({ ...registry, logger })
    .verify({ ...to, tag: undefined, digest: undefined }, from.digest, { verifyContent: true, waitForPush: false })
    .catch((error: unknown) => {
      throw new RegistryError(`${label}: the copy could not be verified at ${target.host}: ${(error as Error).message}`, label, (error as RegistryError).status, { cause: error });
    });
  if (verified.digest !== from.digest) throw new RegistryError(`${label}: ${target.host} serves ${verified.digest}, not ${from.digest}`, label);
  result.requests = counter.requests + verified.requests;
  logger?.debug(`${label}: ${result.manifestsPushed} manifest(s) pushed, ${result.blobsCopied} blob(s) copied, ${result.blobsMounted} mounted, ${result.blobsPresent} already there`);
  return result;
}

interface Manifest {
  bytes: Uint8Array;
  mediaType: string;
}

const pushScope = (ref: ImageReference) => `repository:${ref.repository}:pull,push`;
const pullScope = (ref: ImageReference) => `repository:${ref.repository}:pull`;

/** Copies one manifest and everything under it; skipped whole when the target has it (a registry refuses a
 * manifest whose blobs or children it lacks, and this copy pushes children first, so "has it" means "has all"). */
async function copyManifest(ctx: Ctx, digest: string, depth: number): Promise<void> {
  if (await targetHas(ctx, 'manifests', digest)) return;
  const manifest = await fetchManifest(ctx, digest);
  const json = parseJson(ctx, manifest, digest);
  if ((kindOf(manifest.mediaType) ?? (Array.isArray(json.manifests) ? 'index' : 'manifest')) === 'index') {
    if (depth >= MAX_DEPTH) throw new RegistryError(`${ctx.label}: ${digest} nests indexes deeper than ${MAX_DEPTH}`, ctx.label);
    // Children first: a registry refuses an index whose manifests it does not have.
    await Promise.all((json.manifests ?? []).map((d) => copyManifest(ctx, descriptorDigest(ctx, d), depth + 1)));
  } else {
    // A foreign (non-distributable) layer lives at its `urls`, not in any registry; registries accept manifests
    // naming it without having it, so it is not copied (as docker and skopeo do by default).
    const blobs = [json.config, ...(json.layers ?? [])].filter((d): d is Descriptor => Boolean(d) && !isForeign(d!));
    await Promise.all(blobs.map((d) => copyBlobOnce(ctx, d)));
  }
  await putManifest(ctx, digest, manifest);
}

async function targetHas(ctx: Ctx, kind: 'manifests' | 'blobs', digest: string): Promise<boolean> {
  const response = await ctx.target.request({
    method: 'HEAD',
    path: `/v2/${ctx.to.repository}/${kind}/${digest}`,
    scopes: [pushScope(ctx.to)],
    accept: kind === 'manifests' ? MANIFEST_ACCEPT : undefined,
  });
  await discardBody(response);
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw new RegistryError(`${ctx.label}: ${ctx.target.host} answered HTTP ${response.status} to HEAD ${kind} ${digest}`, ctx.label, response.status);
}

async function fetchManifest(ctx: Ctx, digest: string): Promise<Manifest> {
  const response = await ctx.source.request({ method: 'GET', path: `/v2/${ctx.from.repository}/manifests/${digest}`, scopes: [pullScope(ctx.from)], accept: MANIFEST_ACCEPT });
  if (response.status !== 200) {
    await discardBody(response);
    const why = response.status === 404 ? 'does not serve' : `answered HTTP ${response.status} for`;
    throw new RegistryError(`${ctx.label}: the source ${ctx.source.host} ${why} manifest ${digest} of '${ctx.from.repository}'`, ctx.label, response.status);
  }
  const bytes = await readCapped(response, BODY_LIMITS.manifest, ctx.label, 'manifest');
  if (digestOf(bytes, digest) !== digest) throw new RegistryError(`${ctx.label}: the source ${ctx.source.host} served bytes for ${digest} that hash to ${digestOf(bytes, digest)}`, ctx.label);
  const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  return { bytes, mediaType };
}

interface ManifestJson {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}

function parseJson(ctx: Ctx, manifest: Manifest, digest: string): ManifestJson {
  try {
    const json = JSON.parse(new TextDecoder().decode(manifest.bytes)) as ManifestJson;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
    // The bytes are pushed as they are; the type sent with them must be one the target reads as a manifest.
    if (!kindOf(manifest.mediaType)) manifest.mediaType = kindOf(json.mediaType) ? json.mediaType! : manifest.mediaType;
    if (!manifest.mediaType) throw new Error('no media type');
    return json;
  } catch (error) {
    throw new RegistryError(`${ctx.label}: manifest ${digest} at ${ctx.source.host} is not a manifest (${(error as Error).message})`, ctx.label);
  }
}

function isForeign(d: Descriptor & { urls?: unknown }): boolean {
  return /foreign|nondistributable/.test(d.mediaType ?? '') && Array.isArray(d.urls) && d.urls.length > 0;
}

function descriptorDigest(ctx: Ctx, d: Descriptor): string {
  if (typeof d?.digest !== 'string' || !isValidDigest(d.digest)) throw new RegistryError(`${ctx.label}: a descriptor at ${ctx.source.host} has no valid digest`, ctx.label);
  return d.digest;
}

async function putManifest(ctx: Ctx, reference: string, m: Manifest): Promise<void> {
  const response = await ctx.target.request({
    method: 'PUT',
    path: `/v2/${ctx.to.repository}/manifests/${reference}`,
    scopes: [pushScope(ctx.to)],
    contentType: m.mediaType,
    body: m.bytes,
  });
  await discardBody(response);
  if (response.status !== 201) {
    throw new RegistryError(`${ctx.label}: ${ctx.target.host} refused manifest ${reference} (HTTP ${response.status})`, ctx.label, response.status);
  }
  const served = response.headers.get('docker-content-digest');
  const digest = digestOf(m.bytes);
  if (served && isValidDigest(served) && served !== digest) throw new RegistryError(`${ctx.label}: ${ctx.target.host} stored ${reference} as ${served}, not ${digest}`, ctx.label);
  if (isValidDigest(reference)) ctx.result.manifestsPushed++;
}

/** A blob shared by several manifests (the same layer on two platforms) is copied once. */
function copyBlobOnce(ctx: Ctx, d: Descriptor): Promise<void> {
  const digest = descriptorDigest(ctx, d);
  let job = ctx.blobs.get(digest);
  if (!job) {
    job = ctx.limit(() => copyBlob(ctx, digest, typeof d.size === 'number' && d.size >= 0 ? d.size : undefined));
    ctx.blobs.set(digest, job);
  }
  return job;
}

async function copyBlob(ctx: Ctx, digest: string, size: number | undefined): Promise<void> {
  if (await targetHas(ctx, 'blobs', digest)) {
    ctx.result.blobsPresent++;
    return;
  }
  const scopes = ctx.mount ? [pushScope(ctx.to), pullScope(ctx.from)] : [pushScope(ctx.to)];
  const query = ctx.mount ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(ctx.from.repository)}` : '';
  const start = await ctx.target.request({ method: 'POST', path: `/v2/${ctx.to.repository}/blobs/uploads/${query}`, scopes });
  await discardBody(start);
  if (start.status === 201) {
    ctx.result.blobsMounted++;
    return;
  }
  const location = start.headers.get('location');
  if (start.status !== 202 || !location) {
    throw new RegistryError(`${ctx.label}: ${ctx.target.host} did not start an upload of blob ${digest} (HTTP ${start.status})`, ctx.label, start.status);
  }
  await uploadBlob(ctx, digest, size, location, scopes);
  ctx.result.blobsCopied++;
}

/** Streams the source blob into the target's upload: no blob is held in memory; the target checks the digest. */
async function uploadBlob(ctx: Ctx, digest: string, size: number | undefined, location: string, scopes: string[]): Promise<void> {
  const timeoutMs = ctx.source.timeoutMs + Math.ceil(((size ?? 0) / (1024 * 1024)) * BLOB_MS_PER_MIB);
  const got = await ctx.source.request({ method: 'GET', path: `/v2/${ctx.from.repository}/blobs/${digest}`, scopes: [pullScope(ctx.from)], timeoutMs });
  if (got.status !== 200 || !got.body) {
    await discardBody(got);
    throw new RegistryError(`${ctx.label}: the source ${ctx.source.host} answered HTTP ${got.status} for blob ${digest}`, ctx.label, got.status);
  }
  const header = got.headers.get('content-length');
  const declared = header === null ? Number.NaN : Number(header);
  const length = size ?? (Number.isFinite(declared) && declared >= 0 ? declared : undefined);
  if (size !== undefined && Number.isFinite(declared) && declared !== size) {
    await discardBody(got);
    throw new RegistryError(`${ctx.label}: the source ${ctx.source.host} sends ${declared} bytes for blob ${digest}, whose descriptor says ${size}`, ctx.label);
  }
  const url = new URL(location, ctx.target.origin);
  url.searchParams.set('digest', digest);
  const put = await ctx.target.request({
    method: 'PUT',
    path: url.toString(),
    scopes,
    contentType: 'application/octet-stream',
    contentLength: length,
    body: capped(got.body, length, () => `the source ${ctx.source.host} sent more than ${length} bytes for blob ${digest}`),
    timeoutMs,
  });
  await discardBody(put);
  if (put.status !== 201) {
    throw new RegistryError(`${ctx.label}: ${ctx.target.host} refused blob ${digest} (HTTP ${put.status})`, ctx.label, put.status);
  }
}

/** Passes a stream through, failing it once it goes past `cap` bytes (a descriptor's size is part of its identity). */
function capped(body: ReadableStream<Uint8Array>, cap: number | undefined, message: () => string): ReadableStream<Uint8Array> {
  if (cap === undefined) return body;
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > cap) controller.error(new RegistryError(message(), undefined));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** At most `n` jobs at once, in call order. */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (job) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
