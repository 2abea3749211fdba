// The registry client: resolves a tag (one HEAD) or verifies a digest (one HEAD on /manifests/<digest>) over the
// OCI Distribution API, fetching bodies only when asked for platforms, labels or a content check.
import { RegistryError } from '../runtime/errors.js';
import { quoteServerText } from '../runtime/log-text.js';
import { pullScope } from './auth.js';
import { defaultDockerConfigPath, findCredentials, loadDockerConfig, type DockerConfigCredentials } from './docker-config.js';
import { BODY_LIMITS, discardBody, readCapped, readErrorText } from './body.js';
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
    const image = formatReference(isDigest ? { ...ref, tag: undefined, digest: target } : { ...ref, tag: target, digest: undefined });
    const ctx: LookupContext = {
      request: sessionFor(ref, reached),
      scope: pullScope(ref.repository),
      repository: ref.repository,
      image,
      counter: { requests: 0 },
      reached,
      windowMs: resolveOptions.waitForPush === false ? 0 : (options.notFoundWindowMs ?? DEFAULT_NOT_FOUND_WINDOW_MS),
    };
    const build = (digest: string, mediaType: string): Resolution => ({
      reference: { ...ref, registry: reached, digest, tag: isDigest ? ref.tag : target },
      digest,
      mediaType,
      kind: kindOf(mediaType) ?? 'manifest',
      platforms: [],
      requests: 0,
    });
    const wantBody = Boolean(resolveOptions.describe || resolveOptions.platform || resolveOptions.labels || resolveOptions.verifyContent);
    if (!wantBody) {
      // One HEAD answers when the registry names the digest (or the caller did) and the media type is known.
      const head = await fetchManifest(ctx, target, 'HEAD');
      await discardBody(head);
      const header = head.headers.get('docker-content-digest');
      const known = isDigest ? target : header && isValidDigest(header) ? header : undefined;
      const mediaType = mediaTypeOf(head);
      if (known && kindOf(mediaType)) return { ...build(known, mediaType), requests: ctx.counter.requests };
    }
    const got = await fetchManifest(ctx, target, 'GET');
    const { digest, parsed } = await readManifest(got, isDigest ? target : undefined, ctx);
    const resolution = await describeManifest(ctx, { ...build(digest, parsed.mediaType), kind: parsed.kind }, parsed, resolveOptions);
    return { ...resolution, requests: ctx.counter.requests };
  }

  async function fetchManifest(ctx: LookupContext, target: string, method: 'GET' | 'HEAD'): Promise<Response> {
    const { windowMs, reached } = ctx;
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
      const text = method === 'GET' ? await readErrorText(response) : (await discardBody(response), '');
      if (response.status === 404 && waited < windowMs) {
        const delay = notFoundDelay(attempt, windowMs - waited);
        options.logger?.debug(`${ctx.image}: not found yet at ${reached}; retrying in ${delay} ms (right after a push)`);
        await sleep(delay);
        waited += delay;
        continue;
      }
      // One more request tells a missing repository from a missing tag, which the 404 itself does not.
      const repositoryMissing = response.status === 404 && (/NAME_UNKNOWN/.test(text) || (await repositoryExists(ctx)) === false);
      throw statusError(response.status, repositoryMissing, ctx, target, reached, waited);
    }
  }

  return {
    resolve: async (reference, resolveOptions = {}) => {
      const ref = toReference(reference);
      return lookup(ref, ref.digest ?? ref.tag ?? 'latest', resolveOptions);
    },
    verify: async (reference, digest, resolveOptions = {}) => {
      if (!isValidDigest(digest)) {
        throw new RegistryError(`'${digest}' is not a valid digest (sha256: + 64 lowercase hex or sha512: + 128)`, undefined);
      }
      return lookup(reference, digest, resolveOptions);
    },
  };
}

interface LookupContext extends FetchContext {
  /** Host the runner reaches (after alias mapping). */
  reached: string;
  /** How long 404s are retried (right after a push). */
  windowMs: number;
}

function mediaTypeOf(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
}

/** Reads a fetched manifest: its checked digest and its parsed content. */
async function readManifest(response: Response, asked: string | undefined, ctx: LookupContext) {
  const bytes = await readCapped(response, BODY_LIMITS.manifest, ctx.image, 'manifest');
  const digest = checkedDigest(bytes, response.headers.get('docker-content-digest'), asked, ctx.image, ctx.reached);
  try {
    return { digest, parsed: parseManifest(new TextDecoder().decode(bytes), mediaTypeOf(response)) };
  } catch {
    const type = mediaTypeOf(response) ? quoteServerText(mediaTypeOf(response)) : 'no content type';
    throw new RegistryError(`${ctx.image}: ${ctx.reached} served a manifest that is not JSON (${type})`, ctx.image);
  }
}

/** After a final 404: does the repository exist at all? Registries answer MANIFEST_UNKNOWN for both cases. */
async function repositoryExists(ctx: FetchContext): Promise<boolean | undefined> {
  const path = `/v2/${ctx.repository}/tags/list?n=1`;
  const response = await ctx.request({ method: 'GET', path, scope: ctx.scope, image: ctx.image, counter: ctx.counter });
  await discardBody(response);
  return response.status === 200 ? true : response.status === 404 ? false : undefined;
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

function statusError(
  status: number,
  repositoryMissing: boolean,
  ctx: FetchContext,
  target: string,
  host: string,
  waitedMs: number,
): RegistryError {
  const what = isValidDigest(target) ? `digest ${target}` : `tag '${target}'`;
  const after = waitedMs > 0 ? `, still missing after ${Math.round(waitedMs / 1000)} s` : '';
  if (status === 404 && repositoryMissing) {
    const message = `${ctx.image}: repository '${ctx.repository}' does not exist on registry ${host} (HTTP 404${after})`;
    return new RegistryError(message, ctx.image, 404);
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
