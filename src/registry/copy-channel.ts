// Authenticated reads and writes to one registry for copying images: any method, an optional (streamed) body,
// tokens for a set of scopes (push at the target, plus pull at the mount source). Retries what can be resent.
// The read client (session.ts) stays GET/HEAD-only; this reuses its auth rules (auth.ts, realm.ts).
import { RegistryError } from '../runtime/errors.js';
import { basicAuthorization, parseChallenges, readToken, realmMayReceiveCredentials, tokenUrl, type Challenge, type TokenResponse } from './auth.js';
import { BODY_LIMITS, describeReadFailure, discardBody, readCapped, rememberRequest } from './body.js';
import { reachedRegistry } from './client.js';
import { defaultDockerConfigPath, findCredentials, loadDockerConfig } from './docker-config.js';
import { apiHost, isLoopback } from './reference.js';
import { DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, retryDelay } from './retry.js';
import type { Credentials, ImageReference, RegistryClientOptions } from './types.js';

export interface ChannelRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  /** `/v2/...` on this registry, or an absolute URL the registry gave (an upload location). */
  path: string;
  /** Token scopes, e.g. `repository:a/b:pull,push`. */
  scopes: string[];
  accept?: string;
  contentType?: string;
  /** Bytes (resent on retry) or a stream (sent once: a failure is final). */
  body?: Uint8Array | ReadableStream<Uint8Array>;
  contentLength?: number;
  /** Overrides the channel's per-request timeout (blob transfers get more time for more bytes). */
  timeoutMs?: number;
}

export interface CopyChannel {
  /** The host the runner reaches (after alias mapping), as `host[:port]`. */
  readonly host: string;
  readonly origin: string;
  readonly timeoutMs: number;
  request(req: ChannelRequest): Promise<Response>;
}

export interface ChannelOptions extends RegistryClientOptions {
  /** Names the copy (`from -> to`) in every error. */
  label: string;
  counter: { requests: number };
}

/** One channel per registry; credentials found as the read client finds them (explicit, then docker config). */
export function createCopyChannel(ref: ImageReference, options: ChannelOptions): CopyChannel {
  const fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retry = { ...DEFAULT_RETRY, maxRetries: options.maxRetries ?? DEFAULT_RETRY.maxRetries };
  const reached = reachedRegistry(ref.registry, options.aliases);
  const host = apiHost(reached);
  const insecure = new Set((options.insecureRegistries ?? []).map((h) => h.toLowerCase()));
  const plainHttp = isLoopback(host) || insecure.has(reached.toLowerCase()) || insecure.has(ref.registry);
  const origin = `${plainHttp ? 'http' : 'https'}://${host}`;
  const configPath = options.dockerConfigPath === false ? undefined : (options.dockerConfigPath ?? defaultDockerConfigPath());
  const fromConfig = configPath ? loadDockerConfig(configPath).credentials : {};
  const credentials = findCredentials([reached, ref.registry], options.credentials, fromConfig);
  const label = options.label;
  let challenge: Challenge | undefined;
  const tokens = new Map<string, { value: string; expiresAt: number }>();

  const fail = (message: string, status?: number, cause?: unknown) =>
    new RegistryError(`${label}: ${host}: ${message}`, label, status, cause ? { cause } : undefined);

  async function authorization(scopes: string[]): Promise<string | undefined> {
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return credentials ? basicAuthorization(credentials) : undefined;
    const key = scopes.join(' ');
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.value}`;
    const token = await fetchToken(challenge, scopes);
    tokens.set(key, { value: token.token, expiresAt: Date.now() + token.expiresInMs - Math.min(10_000, token.expiresInMs / 2) });
    return `Bearer ${token.token}`;
  }

  async function fetchToken(c: Challenge, scopes: string[]): Promise<{ token: string; expiresInMs: number }> {
    let url: URL;
    try {
      url = tokenUrl(c, scopes[0]!);
      for (const scope of scopes.slice(1)) url.searchParams.append('scope', scope);
    } catch {
      throw fail('sent a bearer challenge without a usable realm', 401);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (credentials) {
      if (!realmMayReceiveCredentials(url, host)) throw fail(`asks for credentials at token realm ${url.origin}, which digestpin does not send them to`, 401);
      headers.authorization = basicAuthorization(credentials);
    }
    options.counter.requests++;
    const response = await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) }).catch((e: unknown) => {
      throw fail(`the token server ${url.origin} could not be reached: ${describeReadFailure(e, timeoutMs)}`, undefined, e);
    });
    rememberRequest(response, { request: `GET ${url.origin}${url.pathname}`, host: url.host, timeoutMs });
    const text = response.ok ? Buffer.from(await readCapped(response, BODY_LIMITS.token, label, 'token reply')).toString('utf8') : (await discardBody(response), '');
    let token: ReturnType<typeof readToken>;
    try {
      token = text ? readToken(JSON.parse(text) as TokenResponse) : undefined;
    } catch {
      token = undefined;
    }
    if (!token) throw fail(`the token server ${url.origin} gave no token for ${scopes.join(' ')} (HTTP ${response.status})${credentialsWhy(credentials)}`, response.status);
    return token;
  }

  function urlOf(path: string): URL {
    const url = new URL(path, origin);
    // An upload location on another origin would receive this registry's Authorization header.
    if (url.origin !== origin) throw fail(`gave an upload location on another origin (${url.origin}); digestpin does not follow it`);
    return url;
  }

  async function send(req: ChannelRequest, url: URL, auth: string | undefined): Promise<Response> {
    const headers: Record<string, string> = {};
    if (auth) headers.authorization = auth;
    if (req.accept) headers.accept = req.accept;
    if (req.contentType) headers['content-type'] = req.contentType;
    if (req.contentLength !== undefined) headers['content-length'] = String(req.contentLength);
    const limit = req.timeoutMs ?? timeoutMs;
    options.counter.requests++;
    const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers, redirect: 'follow', signal: AbortSignal.timeout(limit) };
    if (req.body instanceof Uint8Array) init.body = new Uint8Array(req.body);
    else if (req.body) (init.body = req.body), (init.duplex = 'half');
    const response = await fetchFn(url, init);
    rememberRequest(response, { request: `${req.method} ${url.origin}${url.pathname}`, host, timeoutMs: limit });
    return response;
  }

  async function request(req: ChannelRequest): Promise<Response> {
    const url = urlOf(req.path);
    const resendable = !(req.body instanceof ReadableStream);
    for (let attempt = 0, round = 0; ; ) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await send(req, url, await authorization(req.scopes));
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        failure = error;
      }
      if (response?.status === 401 && resendable && round === 0) {
        await discardBody(response);
        const next = parseChallenges(response.headers.get('www-authenticate')).find((c) => c.scheme === 'bearer' || c.scheme === 'basic');
        if (next && (next.scheme === 'bearer' || credentials)) {
          challenge = next;
          tokens.clear();
          round++;
          continue;
        }
      }
      if (response?.status === 401 || response?.status === 403) {
        await discardBody(response);
        throw fail(`refused ${req.method} ${url.pathname} (HTTP ${response.status})${credentialsWhy(credentials)}`, response.status);
      }
      if (response && !isRetryableStatus(response.status)) return response;
      if (!resendable || attempt >= retry.maxRetries) {
        if (response) return response;
        throw fail(`${req.method} ${url.pathname} failed: ${describeReadFailure(failure, req.timeoutMs ?? timeoutMs)}`, undefined, failure);
      }
      const delay = retryDelay(attempt, response ? parseRetryAfter(response.headers.get('retry-after')) : undefined, retry);
      if (response) await discardBody(response);
      options.logger?.debug(`${label}: ${req.method} ${url.pathname} at ${host}: ${response ? `HTTP ${response.status}` : 'no answer'}; retrying in ${delay} ms`);
      await sleep(delay);
      attempt++;
    }
  }

  return { host, origin, timeoutMs, request };
}

function credentialsWhy(credentials: Credentials | undefined): string {
  return credentials ? '; check that the credentials for it have the access this needs' : '; no credentials were found for it';
}
