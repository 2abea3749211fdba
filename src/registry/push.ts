// Pushes small artifacts (a cosign signature: one payload blob, one config blob, one manifest) to a registry
// over the OCI Distribution API: monolithic blob upload (POST then PUT ?digest=) and a manifest PUT by tag.
// Auth follows the read side's rules (auth.ts): bearer tokens with push scope, credentials only to the
// registry's own realm. The read client stays GET/HEAD-only; writes live here.
import { RegistryError } from '../runtime/errors.js';
import { basicAuthorization, parseChallenges, readToken, realmMayReceiveCredentials, tokenUrl, type TokenResponse } from './auth.js';
import { reachedRegistry } from './client.js';
import { defaultDockerConfigPath, findCredentials, loadDockerConfig } from './docker-config.js';
import { digestOf } from './manifest.js';
import { apiHost, formatReference, isLoopback } from './reference.js';
import type { ImageReference, RegistryClientOptions } from './types.js';

export interface ArtifactWriter {
  /** Uploads `bytes` unless the registry already has the blob; returns its digest. */
  pushBlob(ref: ImageReference, bytes: Uint8Array): Promise<string>;
  /** PUTs a manifest under `tag`; returns the digest of the bytes sent. */
  pushManifest(ref: ImageReference, tag: string, bytes: Uint8Array, mediaType: string): Promise<string>;
  readonly requests: number;
}

interface Call {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: URL;
  body?: Uint8Array;
  contentType?: string;
}

export function createArtifactWriter(options: RegistryClientOptions = {}): ArtifactWriter {
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const authorizations = new Map<string, string>();
  const counter = { requests: 0 };
  const insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
  const configPath = options.dockerConfigPath === false ? undefined : (options.dockerConfigPath ?? defaultDockerConfigPath());
  let config: ReturnType<typeof loadDockerConfig> | undefined;

  function target(ref: ImageReference) {
    const reached = reachedRegistry(ref.registry, options.aliases);
    const host = apiHost(reached);
    const plainHttp = isLoopback(host) || insecure.has(reached.toLowerCase()) || insecure.has(ref.registry);
    config ??= configPath ? loadDockerConfig(configPath) : { credentials: {}, helperHosts: [] };
    const credentials = findCredentials([reached, ref.registry], options.credentials, config.credentials);
    return { base: `${plainHttp ? 'http' : 'https'}://${host}`, host, credentials, image: formatReference({ ...ref, tag: undefined, digest: undefined }) };
  }

  async function send(call: Call, authorization: string | undefined): Promise<Response> {
    counter.requests++;
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    if (call.contentType) headers['content-type'] = call.contentType;
    return fetchFn(call.url, { method: call.method, headers, body: call.body ? new Uint8Array(call.body) : undefined, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  }

  /** One call, answering one 401 challenge (bearer with pull,push scope, or basic). */
  async function call(ref: ImageReference, c: Call): Promise<Response> {
    const t = target(ref);
    const key = `${t.host}/${ref.repository}`;
    let response = await send(c, authorizations.get(key));
    if (response.status !== 401) return response;
    await response.arrayBuffer().catch(() => undefined);
    const challenge = parseChallenges(response.headers.get('www-authenticate')).find((ch) => ch.scheme === 'bearer' || ch.scheme === 'basic');
    if (!challenge || (challenge.scheme === 'basic' && !t.credentials)) {
      throw new RegistryError(`${t.image}: ${t.host} requires credentials to push (HTTP 401); no credentials were found for ${t.host}`, t.image, 401);
    }
    let authorization: string;
    if (challenge.scheme === 'basic') authorization = basicAuthorization(t.credentials!);
    else {
      const url = tokenUrl(challenge, `repository:${ref.repository}:pull,push`);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (t.credentials && realmMayReceiveCredentials(url, t.host)) headers.authorization = basicAuthorization(t.credentials);
      counter.requests++;
      const tokenResponse = await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      const token = tokenResponse.ok ? readToken((await tokenResponse.json().catch(() => ({}))) as TokenResponse) : undefined;
      if (!token) throw new RegistryError(`${t.image}: the token server ${url.origin} gave no push token (HTTP ${tokenResponse.status})`, t.image, tokenResponse.status);
      authorization = `Bearer ${token.token}`;
    }
    authorizations.set(key, authorization);
    response = await send(c, authorization);
    if (response.status === 401 || response.status === 403) {
      await response.arrayBuffer().catch(() => undefined);
      const why = t.credentials ? 'the credentials need push access' : `no credentials were found for ${t.host}`;
      throw new RegistryError(`${t.image}: ${t.host} refused the push (HTTP ${response.status}); ${why}`, t.image, response.status);
    }
    return response;
  }

  function failed(ref: ImageReference, what: string, response: Response): RegistryError {
    const image = formatReference({ ...ref, tag: undefined, digest: undefined });
    return new RegistryError(`${image}: could not push ${what} (HTTP ${response.status})`, image, response.status);
  }

  return {
    get requests() {
      return counter.requests;
    },
    async pushBlob(ref, bytes) {
      const digest = digestOf(bytes);
      const { base } = target(ref);
      const head = await call(ref, { method: 'HEAD', url: new URL(`${base}/v2/${ref.repository}/blobs/${digest}`) });
      await head.arrayBuffer().catch(() => undefined);
      if (head.status === 200) return digest;
      const start = await call(ref, { method: 'POST', url: new URL(`${base}/v2/${ref.repository}/blobs/uploads/`) });
      await start.arrayBuffer().catch(() => undefined);
      const location = start.headers.get('location');
      if (start.status !== 202 || !location) throw failed(ref, `blob ${digest} (upload not started)`, start);
      const url = new URL(location, base);
      url.searchParams.set('digest', digest);
      const put = await call(ref, { method: 'PUT', url, body: bytes, contentType: 'application/octet-stream' });
      await put.arrayBuffer().catch(() => undefined);
      if (put.status !== 201) throw failed(ref, `blob ${digest}`, put);
      return digest;
    },
    async pushManifest(ref, tag, bytes, mediaType) {
      const { base } = target(ref);
      const put = await call(ref, { method: 'PUT', url: new URL(`${base}/v2/${ref.repository}/manifests/${tag}`), body: bytes, contentType: mediaType });
      await put.arrayBuffer().catch(() => undefined);
      if (put.status !== 201) throw failed(ref, `manifest ${tag}`, put);
      return digestOf(bytes);
    },
  };
}
