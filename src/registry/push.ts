// Pushes small artifacts (a cosign signature: one payload blob, one config blob, one manifest) to a registry
// over the OCI Distribution API: monolithic blob upload (POST then PUT ?digest=) and a manifest PUT by tag.
// Every request goes through the copy channel (copy-channel.ts), so signature pushes get the same guards as
// image copies: an upload Location on another origin is refused (it would receive the Authorization header),
// token replies are read under a size cap, and a token realm that may not receive the credentials is an error
// naming it. The read client stays GET/HEAD-only; writes live here.
import { RegistryError } from '../runtime/errors.js';
import { discardBody } from './body.js';
import { createCopyChannel, type CopyChannel } from './copy-channel.js';
import { digestOf } from './manifest.js';
import { formatReference } from './reference.js';
import type { ImageReference, RegistryClientOptions } from './types.js';

export interface ArtifactWriter {
  /** Uploads `bytes` unless the registry already has the blob; returns its digest. */
  pushBlob(ref: ImageReference, bytes: Uint8Array): Promise<string>;
  /** PUTs a manifest under `tag`; returns the digest of the bytes sent. */
  pushManifest(ref: ImageReference, tag: string, bytes: Uint8Array, mediaType: string): Promise<string>;
  readonly requests: number;
}

export function createArtifactWriter(options: RegistryClientOptions = {}): ArtifactWriter {
  const counter = { requests: 0 };
  const channels = new Map<string, CopyChannel>();

  const imageOf = (ref: ImageReference) => formatReference({ ...ref, tag: undefined, digest: undefined });
  /** One channel per repository: its errors name the image, its tokens carry that repository's push scope. */
  function channel(ref: ImageReference): CopyChannel {
    const image = imageOf(ref);
    let c = channels.get(image);
    if (!c) channels.set(image, (c = createCopyChannel(ref, { ...options, label: image, counter })));
    return c;
  }
  const scopes = (ref: ImageReference) => [`repository:${ref.repository}:pull,push`];

  /** The body is never needed: dropped unread. Anything but the status asked for is a one-line error. */
  async function settle(ref: ImageReference, what: string, response: Response, ok: boolean): Promise<void> {
    await discardBody(response);
    if (ok) return;
    const image = imageOf(ref);
    throw new RegistryError(`${image}: could not push ${what} (HTTP ${response.status})`, image, response.status);
  }

  return {
    get requests() {
      return counter.requests;
    },
    async pushBlob(ref, bytes) {
      const digest = digestOf(bytes);
      const c = channel(ref);
      const head = await c.request({ method: 'HEAD', path: `/v2/${ref.repository}/blobs/${digest}`, scopes: scopes(ref) });
      await discardBody(head);
      if (head.status === 200) return digest;
      const start = await c.request({ method: 'POST', path: `/v2/${ref.repository}/blobs/uploads/`, scopes: scopes(ref) });
      const location = start.headers.get('location');
      await settle(ref, `blob ${digest} (upload not started)`, start, start.status === 202 && !!location);
      // The channel refuses a location on another origin before anything is sent there.
      const url = new URL(location!, c.origin);
      url.searchParams.set('digest', digest);
      const put = await c.request({ method: 'PUT', path: url.href, scopes: scopes(ref), body: bytes, contentType: 'application/octet-stream', contentLength: bytes.length });
      await settle(ref, `blob ${digest}`, put, put.status === 201);
      return digest;
    },
    async pushManifest(ref, tag, bytes, mediaType) {
      const put = await channel(ref).request({ method: 'PUT', path: `/v2/${ref.repository}/manifests/${tag}`, scopes: scopes(ref), body: bytes, contentType: mediaType });
      await settle(ref, `manifest ${tag}`, put, put.status === 201);
      return digestOf(bytes);
    },
  };
}
