// The registry client: resolves a tag (one HEAD) or verifies a digest (one HEAD on /manifests/<digest>) over the
// OCI Distribution API, fetching bodies only when asked for platforms, labels or a content check.
import { RegistryError } from '../runtime/errors.js';
import { pullScope } from './auth.js';
import { defaultDockerConfigPath, findCredentials, loadDockerConfig, type DockerConfigCredentials } from './docker-config.js';
import { describeManifest, type FetchContext } from './describe.js';
import { digestOf, kindOf, MANIFEST_ACCEPT, parseManifest } from './manifest.js';
import { apiHost, formatReference, isLoopback, isValidDigest, toReference } from './reference.js';
import { DEFAULT_RETRY, notFoundDelay } from './retry.js';
import { createAuthState, createSession, type SessionRequestFn } from './session.js';
import { createTransport } from './transport.js';
import type { ImageReference, RegistryClient, RegistryClientOptions, Resolution, ResolveOptions } from './types.js';

const DEFAULT_NOT_FOUND_WINDOW_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Where a reference is reached: the alias target when the registry has one (cluster name -> runner address). */
export function reachedRegistry(registry: string, aliases: Record<string, string> | undefined): string {
  return aliases?.[registry] ?? aliases?.[registry.toLowerCase()] ?? registry;
}

export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const send = createTransport({
    fetch: fetchFn,
    sleep,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries },
    logger: options.logger,
  });
  const state = createAuthState();
  const insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
  const sessions = new Map<string, SessionRequestFn>();
  const configPath = options.dockerConfigPath === false ? undefined : (options.dockerConfigPath ?? defaultDockerConfigPath());
  let dockerConfig: DockerConfigCredentials | undefined;

  function sessionFor(ref: ImageReference, reached: string): SessionRequestFn {
    const host = apiHost(reached);
    const key = `${ref.registry}>${host}`;
    let session = sessions.get(key);
    if (session) return session;
    dockerConfig ??= configPath ? loadDockerConfig(configPath) : { credentials: {}, helperHosts: [] };
    const names = [reached, ref.registry];
    const credentials = findCredentials(names, options.credentials, dockerConfig.credentials);
    const helper = names.some((n) => dockerConfig!.helperHosts.includes(n.toLowerCase()));
    const hint = `no credentials for ${reached} in the options${configPath ? ` or in ${configPath}` : ''}${
      helper ? ' (its entry there uses a credential helper, which digestpin does not run)' : ''
    }`;
    const plainHttp = isLoopback(host) || insecure.has(reached.toLowerCase()) || insecure.has(ref.registry);
    session = createSession(send, { host, protocol: plainHttp ? 'http:' : 'https:', credentials, credentialsHint: hint }, state);
    sessions.set(key, session);
    return session;
  }

  async function lookup(input: ImageReference | string, target: string, resolveOptions: ResolveOptions): Promise<Resolution> {
    const ref = toReference(input);
    const reached = reachedRegistry(ref.registry, options.aliases);
    const isDigest = isValidDigest(target);
    const asked: ImageReference = isDigest ? { ...ref, tag: undefined, digest: target } : { ...ref, tag: target, digest: undefined };
    const image = formatReference(asked);
    const ctx: FetchContext = {
      request: sessionFor(ref, reached),
      scope: pullScope(ref.repository),
      repository: ref.repository,
      image,
      counter: { requests: 0 },
    };
    const wantBody = Boolean(resolveOptions.describe || resolveOptions.platform || resolveOptions.labels || resolveOptions.verifyContent);
    const window = resolveOptions.waitForPush === false ? 0 : (options.notFoundWindowMs ?? DEFAULT_NOT_FOUND_WINDOW_MS);

    const build = (digest: string, contentType: string | null): Resolution => {
      const mediaType = (contentType ?? '').split(';')[0]!.trim();
      return {
        reference: { ...ref, registry: reached, digest, tag: isDigest ? ref.tag : target },
        digest,
        mediaType,
        kind: kindOf(mediaType) ?? 'manifest',
        platforms: [],
        requests: 0,
      };
    };
    if (!wantBody) {
      // One HEAD answers when the registry names the digest (or the caller did) and the media type is known.
      const head = await fetchManifest(ctx, target, 'HEAD', window, reached);
      const header = head.headers.get('docker-content-digest');
      const known = isDigest ? target : header && isValidDigest(header) ? header : undefined;
      if (known && kindOf(head.headers.get('content-type'))) {
        return { ...build(known, head.headers.get('content-type')), requests: ctx.counter.requests };
      }
    }
    const got = await fetchManifest(ctx, target, 'GET', window, reached);
    const bytes = new Uint8Array(await got.arrayBuffer());
    const digest = checkedDigest(bytes, got.headers.get('docker-content-digest'), isDigest ? target : undefined, image, reached);
    const contentType = got.headers.get('content-type');
    let parsed: ReturnType<typeof parseManifest>;
    try {
      parsed = parseManifest(new TextDecoder().decode(bytes), contentType);
    } catch {
      throw new RegistryError(`${image}: ${reached} served a manifest that is not JSON (${contentType ?? 'no content type'})`, image);
    }
    const base = build(digest, parsed.mediaType);
    const resolution = await describeManifest(ctx, { ...base, kind: parsed.kind }, parsed, resolveOptions);
    return { ...resolution, requests: ctx.counter.requests };
  }

  async function fetchManifest(ctx: FetchContext, target: string, method: 'GET' | 'HEAD', windowMs: number, reached: string) {
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const response = await ctx.request({
        method,
        path: `/v2/${ctx.repository}/manifests/${target}`,
        scope: ctx.scope,
        accept: MANIFEST_ACCEPT,
        image: ctx.image,
        counter: ctx.counter,
      });
      if (response.status === 200) return response;
      const text = method === 'GET' ? await response.text().catch(() => '') : (await response.arrayBuffer().catch(() => undefined), '');
      if (response.status === 404 && waited < windowMs) {
        const delay = notFoundDelay(attempt, windowMs - waited);
        options.logger?.debug(`${ctx.image}: not found yet at ${reached}; retrying in ${delay} ms (right after a push)`);
        await sleep(delay);
        waited += delay;
        continue;
      }
      // A HEAD 404 has no body; one GET tells a missing repository (NAME_UNKNOWN) from a missing tag.
      const detail = method === 'HEAD' && response.status === 404 ? await errorBody(ctx, target) : text;
      throw statusError(response.status, detail, ctx, target, reached, waited);
    }
  }

  return {
    resolve: (reference, resolveOptions = {}) => {
      const ref = toReference(reference);
      return lookup(ref, ref.digest ?? ref.tag ?? 'latest', resolveOptions);
    },
    verify: (reference, digest, resolveOptions = {}) => {
      if (!isValidDigest(digest)) {
        throw new RegistryError(`'${digest}' is not a valid digest (sha256: + 64 lowercase hex or sha512: + 128)`, undefined);
      }
      return lookup(reference, digest, resolveOptions);
    },
  };
}

async function errorBody(ctx: FetchContext, target: string): Promise<string> {
  const path = `/v2/${ctx.repository}/manifests/${target}`;
  const response = await ctx.request({ method: 'GET', path, scope: ctx.scope, accept: MANIFEST_ACCEPT, image: ctx.image, counter: ctx.counter });
  return response.status === 404 ? response.text().catch(() => '') : (await response.arrayBuffer().catch(() => undefined), '');
}

/** The digest of fetched bytes, checked against what the registry claimed and what the caller asked for. */
function checkedDigest(bytes: Uint8Array, header: string | null, asked: string | undefined, image: string, host: string): string {
  const computed = digestOf(bytes, asked ?? header ?? undefined);
  if (asked && computed !== asked) {
    throw new RegistryError(`${image}: ${host} served a manifest whose content hashes to ${computed}, not ${asked}`, image);
  }
  if (header && isValidDigest(header) && header.split(':')[0] === computed.split(':')[0] && header !== computed) {
    throw new RegistryError(`${image}: ${host} says the digest is ${header} but the manifest it served hashes to ${computed}`, image);
  }
  return computed;
}

function statusError(status: number, body: string, ctx: FetchContext, target: string, host: string, waitedMs: number): RegistryError {
  const what = isValidDigest(target) ? `digest ${target}` : `tag '${target}'`;
  const after = waitedMs > 0 ? `, still missing after ${Math.round(waitedMs / 1000)} s` : '';
  if (status === 404 && /NAME_UNKNOWN/.test(body)) {
    return new RegistryError(`${ctx.image}: repository '${ctx.repository}' does not exist on registry ${host} (HTTP 404${after})`, ctx.image, 404);
  }
  if (status === 404) {
    return new RegistryError(
      `${ctx.image}: registry ${host} does not serve ${what} of repository '${ctx.repository}' (HTTP 404${after})`,
      ctx.image,
      404,
    );
  }
  if (status === 403) {
    return new RegistryError(`${ctx.image}: registry ${host} denied access to repository '${ctx.repository}' (HTTP 403)`, ctx.image, 403);
  }
  return new RegistryError(`${ctx.image}: registry ${host} answered HTTP ${status} for the manifest of ${what}`, ctx.image, status);
}
