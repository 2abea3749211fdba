// Authenticated requests to one registry host: remembers the host's challenge so later calls send the right
// Authorization first time, fetches and caches bearer tokens per scope, and turns 401s into clear errors.
import { RegistryError } from '../runtime/errors.js';
import {
  basicAuthorization,
  parseChallenges,
  readToken,
  realmMayReceiveCredentials,
  TokenCache,
  tokenUrl,
  type Challenge,
  type TokenResponse,
} from './auth.js';
import { BODY_LIMITS, discardBody, readCapped } from './body.js';
import type { Send } from './transport.js';
import type { Credentials } from './types.js';

export interface SessionTarget {
  /** Host the runner reaches (after alias mapping), as host[:port]. */
  host: string;
  /** `http:` or `https:`. */
  protocol: 'http:' | 'https:';
  credentials?: Credentials;
  /** Why no credentials were found, for the "requires credentials" error. */
  credentialsHint?: string;
}

export interface SessionRequest {
  method: 'GET' | 'HEAD';
  path: string;
  scope: string;
  accept?: string;
  image: string;
  counter?: { requests: number };
}

/** Shared between requests of one client: challenges by host and tokens by realm+service+scope. */
export interface AuthState {
  challenges: Map<string, Challenge>;
  tokens: TokenCache;
}

export function createAuthState(now?: () => number): AuthState {
  return { challenges: new Map(), tokens: new TokenCache(now) };
}

async function fetchToken(
  send: Send,
  target: SessionTarget,
  challenge: Challenge,
  req: SessionRequest,
): Promise<{ token: string; expiresInMs: number }> {
  let url: URL;
  try {
    url = tokenUrl(challenge, req.scope);
  } catch {
    throw new RegistryError(`${req.image}: ${target.host} sent a bearer challenge without a usable realm`, req.image, 401);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.credentials) {
    if (!realmMayReceiveCredentials(url, target.host)) {
      throw new RegistryError(
        `${req.image}: ${target.host} asks for credentials at token realm ${url.origin}, which is neither https on ` +
          `${target.host} itself nor a token host documented for that registry; digestpin does not send credentials there ` +
          `(if that is your registry's own token service, say so with registry-token-realms: ${target.host.split(':')[0]}=${url.hostname})`,
        req.image,
        401,
      );
    }
    headers.authorization = basicAuthorization(target.credentials);
  }
  const response = await send({ method: 'GET', url, headers, image: req.image, counter: req.counter });
  if (response.status === 401 || response.status === 403) {
    await discardBody(response);
    throw new RegistryError(
      target.credentials
        ? `${req.image}: the token server ${url.origin} refused the credentials for ${target.host} (HTTP ${response.status})`
        : `${req.image}: the token server ${url.origin} refused an anonymous token for ${req.scope} ` +
          `(HTTP ${response.status}); ${target.credentialsHint ?? 'give credentials'}`,
      req.image,
      response.status,
    );
  }
  let parsed: ReturnType<typeof readToken>;
  const text = response.ok
    ? Buffer.from(await readCapped(response, BODY_LIMITS.token, req.image, 'token reply')).toString('utf8')
    : (await discardBody(response), '');
  try {
    parsed = response.ok ? readToken(JSON.parse(text) as TokenResponse) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!parsed) {
    const message = `${req.image}: the token server ${url.origin} gave no token (HTTP ${response.status})`;
    throw new RegistryError(message, req.image, response.status);
  }
  return parsed;
}

export function createSession(send: Send, target: SessionTarget, state: AuthState) {
  async function authorization(challenge: Challenge | undefined, req: SessionRequest): Promise<string | undefined> {
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return target.credentials ? basicAuthorization(target.credentials) : undefined;
    if (challenge.scheme !== 'bearer') return undefined;
    const key = TokenCache.key(challenge, req.scope);
    const cached = state.tokens.get(key);
    if (cached) return `Bearer ${cached}`;
    const { token, expiresInMs } = await fetchToken(send, target, challenge, req);
    state.tokens.set(key, token, expiresInMs);
    return `Bearer ${token}`;
  }

  function refused(req: SessionRequest, challenge: Challenge | undefined): RegistryError {
    if (target.credentials) {
      return new RegistryError(`${req.image}: ${target.host} refused the credentials given for it (HTTP 401)`, req.image, 401);
    }
    const scheme = challenge ? ` (${challenge.scheme} auth)` : '';
    return new RegistryError(
      `${req.image}: ${target.host} requires credentials${scheme}; ${target.credentialsHint ?? 'none were given'}`,
      req.image,
      401,
    );
  }

  return async function request(req: SessionRequest): Promise<Response> {
    const url = new URL(`${target.protocol}//${target.host}${req.path}`);
    for (let round = 0; round < 2; round++) {
      const known = state.challenges.get(target.host);
      const auth = await authorization(known, req);
      const headers: Record<string, string> = {};
      if (req.accept) headers.accept = req.accept;
      if (auth) headers.authorization = auth;
      const response = await send({ method: req.method, url, headers, image: req.image, counter: req.counter });
      if (response.status !== 401) return response;
      await discardBody(response);
      const challenge = parseChallenges(response.headers.get('www-authenticate')).find(
        (c) => c.scheme === 'bearer' || c.scheme === 'basic',
      );
      // A second 401, or one we cannot answer, is final.
      if (round === 1 || !challenge || (challenge.scheme === 'basic' && !target.credentials)) throw refused(req, challenge);
      if (known && auth && challenge.scheme === 'basic') throw refused(req, challenge);
      if (known?.scheme === 'bearer') state.tokens.delete(TokenCache.key(known, req.scope));
      state.challenges.set(target.host, challenge);
    }
    throw refused(req, undefined);
  };
}

export type SessionRequestFn = ReturnType<typeof createSession>;
