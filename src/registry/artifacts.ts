// Reads what sits beside an image: manifests by tag or digest (cosign's `sha256-<hex>.sig` tag, attestation
// manifests), small blobs (signed payloads, in-toto statements) and the OCI 1.1 referrers list. Everything is
// content-checked against its digest and size-capped; reuses the client's transport, session and credentials.
import { RegistryError } from '../runtime/errors.js';
import { pullScope } from './auth.js';
import { readCapped } from './body.js';
import { reachedRegistry } from './client.js';
import { defaultDockerConfigPath, findCredentials, loadDockerConfig, type DockerConfigCredentials } from './docker-config.js';
import { digestOf, MEDIA_TYPES, type Descriptor } from './manifest.js';
import { apiHost, formatReference, isLoopback, isValidDigest } from './reference.js';
import { DEFAULT_RETRY } from './retry.js';
import { createAuthState, createSession, type SessionRequestFn } from './session.js';
import { createTransport } from './transport.js';
import type { ImageReference, RegistryClientOptions } from './types.js';

/** Signatures and attestations are a few KiB; anything far larger is not one, and is not read. */
export const ARTIFACT_MAX_BYTES = 4 * 1024 * 1024;

/** What each path reads, as errors name it. */
const ARTIFACT_KINDS: Record<string, string> = { manifests: 'signature or attestation manifest', blobs: 'signature or attestation blob', referrers: 'referrers list' };

const ARTIFACT_ACCEPT = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest, MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList].join(', ');

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  /** Parsed body: an OCI/Docker manifest or index. */
  json: {
    mediaType?: string;
    artifactType?: string;
    manifests?: Descriptor[];
    layers?: Descriptor[];
    config?: Descriptor;
    subject?: Descriptor;
    annotations?: Record<string, string>;
  };
}

export interface ArtifactReader {
  /** A manifest by tag or digest; undefined when the registry has none (404). */
  manifest(ref: ImageReference, target: string): Promise<FetchedManifest | undefined>;
  /** A blob by digest, checked against the digest; at most ARTIFACT_MAX_BYTES. */
  blob(ref: ImageReference, digest: string): Promise<Uint8Array>;
  /** OCI 1.1 referrers of `digest`; undefined when the registry does not offer the API. */
  referrers(ref: ImageReference, digest: string, artifactType?: string): Promise<Descriptor[] | undefined>;
  /** HTTP requests sent so far (benchmarks). */
  readonly requests: number;
}

export function createArtifactReader(options: RegistryClientOptions = {}): ArtifactReader {
  const send = createTransport({
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    timeoutMs: options.timeoutMs ?? 30_000,
    retry: { ...DEFAULT_RETRY, maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries },
    logger: options.logger,
  });
  const state = createAuthState();
  const sessions = new Map<string, SessionRequestFn>();
  const counter = { requests: 0 };
  const insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
  const configPath = options.dockerConfigPath === false ? undefined : (options.dockerConfigPath ?? defaultDockerConfigPath());
  let dockerConfig: DockerConfigCredentials | undefined;

  function sessionFor(ref: ImageReference): { request: SessionRequestFn; reached: string } {
    const reached = reachedRegistry(ref.registry, options.aliases);
    const host = apiHost(reached);
    // Keyed like the client's sessions: credentials may differ by the name a host is reached under.
    const key = `${ref.registry}>${host}`;
    let request = sessions.get(key);
    if (!request) {
      dockerConfig ??= configPath ? loadDockerConfig(configPath) : { credentials: {}, helperHosts: [] };
      const credentials = findCredentials([reached, ref.registry], options.credentials, dockerConfig.credentials);
      const plainHttp = isLoopback(host) || insecure.has(reached.toLowerCase()) || insecure.has(ref.registry);
      const hint = `no credentials for ${reached}`;
      request = createSession(send, { host, protocol: plainHttp ? 'http:' : 'https:', credentials, credentialsHint: hint }, state);
      sessions.set(key, request);
    }
    return { request, reached };
  }

  async function get(ref: ImageReference, path: string, accept: string | undefined, target: string): Promise<{ status: number; bytes: Uint8Array; type: string }> {
    const { request } = sessionFor(ref);
    const image = formatReference({ ...ref, tag: undefined, digest: undefined }) + (isValidDigest(target) ? `@${target}` : `:${target}`);
    const response = await request({ method: 'GET', path: `/v2/${ref.repository}/${path}`, scope: pullScope(ref.repository), accept, image, counter });
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > ARTIFACT_MAX_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw new RegistryError(`${image}: ${path.split('/')[0]} is ${length} bytes, more than the ${ARTIFACT_MAX_BYTES}-byte cap for signatures and attestations`, image);
    }
    // No or a false Content-Length: the read itself stops at the cap, so an endless body is never buffered.
    const bytes = await readCapped(response, ARTIFACT_MAX_BYTES, image, ARTIFACT_KINDS[path.split('/')[0]!] ?? 'response');
    return { status: response.status, bytes, type: (response.headers.get('content-type') ?? '').split(';')[0]!.trim() };
  }

  function failed(ref: ImageReference, what: string, status: number): RegistryError {
    const image = formatReference({ ...ref, tag: undefined });
    return new RegistryError(`${image}: could not read ${what} (HTTP ${status})`, image, status);
  }

  return {
    get requests() {
      return counter.requests;
    },
    async manifest(ref, target) {
      const { status, bytes, type } = await get(ref, `manifests/${target}`, ARTIFACT_ACCEPT, target);
      if (status === 404) return undefined;
      if (status !== 200) throw failed(ref, `manifest ${target}`, status);
      const digest = digestOf(bytes, isValidDigest(target) ? target : undefined);
      if (isValidDigest(target) && digest !== target) throw failed(ref, `manifest ${target}: its content hashes to ${digest}`, status);
      try {
        const json = JSON.parse(new TextDecoder().decode(bytes)) as FetchedManifest['json'];
        return { digest, mediaType: type || json.mediaType || '', json };
      } catch {
        throw failed(ref, `manifest ${target}: it is not JSON`, status);
      }
    },
    async blob(ref, digest) {
      if (!isValidDigest(digest)) throw failed(ref, `blob '${digest}': not a digest`, 0);
      const { status, bytes } = await get(ref, `blobs/${digest}`, undefined, digest);
      if (status !== 200) throw failed(ref, `blob ${digest}`, status);
      if (digestOf(bytes, digest) !== digest) throw failed(ref, `blob ${digest}: its content does not hash to that digest`, status);
      return bytes;
    },
    async referrers(ref, digest, artifactType) {
      const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
      const { status, bytes } = await get(ref, `referrers/${digest}${query}`, MEDIA_TYPES.ociIndex, digest);
      // Registries without the API answer 404 (distribution 2.x) or 405; the referrers tag schema covers them.
      if (status !== 200) return undefined;
      try {
        const index = JSON.parse(new TextDecoder().decode(bytes)) as { manifests?: Descriptor[] };
        const list = Array.isArray(index.manifests) ? index.manifests : [];
        // A registry may ignore the filter (it says so in OCI-Filters-Applied); filter again here.
        return artifactType ? list.filter((d) => (d as { artifactType?: string }).artifactType === artifactType) : list;
      } catch {
        return undefined;
      }
    },
  };
}
