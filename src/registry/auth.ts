// Registry authentication, pure parts: WWW-Authenticate parsing, the token request, where credentials may go,
// and a token cache per (realm, service, scope). Every secret made here (base64 pair, token) is registered.
import { registerIssuedSecret, registerSecret } from '../runtime/secrets.js';
import type { Credentials } from './types.js';

export interface Challenge {
  scheme: 'basic' | 'bearer' | string;
  params: Record<string, string>;
}

/**
 * Parses a WWW-Authenticate header into challenges. Handles quoted and unquoted values (gcr.io sends
 * `service=gcr.io` unquoted), escaped quotes, and several challenges in one header.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  const out: Challenge[] = [];
  if (!header) return out;
  const re = /\s*([A-Za-z][\w-]*)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*)))?\s*,?/y;
  let current: Challenge | undefined;
  let match: RegExpExecArray | null;
  while (re.lastIndex < header.length && (match = re.exec(header))) {
    if (match[0].trim() === '') break;
    const [, name, quoted, bare] = match;
    if (quoted === undefined && bare === undefined) {
      // A token alone starts a new challenge; the scheme may be followed by its first param without a comma.
      current = { scheme: name!.toLowerCase(), params: {} };
      out.push(current);
    } else if (current) {
      current.params[name!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare!;
    }
  }
  return out;
}

/** `repository:<name>:pull`: the scope digestpin needs to read manifests and configs. */
export function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

/** The token request URL: realm + service (when given; GAR sends none) + scope. */
export function tokenUrl(challenge: Challenge, scope: string): URL {
  const url = new URL(challenge.params.realm ?? '');
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.append('scope', scope);
  return url;
}

export { realmMayReceiveCredentials } from './realm.js';

/** `Basic base64(user:pass)`, with the password and the pair registered as secrets. */
export function basicAuthorization(credentials: Credentials): string {
  const pair = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  registerSecret(credentials.password);
  registerSecret(pair);
  return `Basic ${pair}`;
}

export interface TokenResponse {
  token?: string;
  access_token?: string;
  expires_in?: number;
  issued_at?: string;
}

/**
 * Picks `token` or `access_token` (ACR and OAuth-style servers send only the latter). The server chose it, so it
 * is registered as an issued secret: masked in logs, never in outputs (a token `sha256` must not blank digests).
 * A token must be one header-safe word: anything else could split the Authorization header.
 */
export function readToken(response: TokenResponse): { token: string; expiresInMs: number } | undefined {
  const token = response.token || response.access_token;
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) return undefined;
  registerIssuedSecret(token);
  // The distribution spec says a missing expires_in means 60 s.
  const seconds = typeof response.expires_in === 'number' && response.expires_in > 0 ? response.expires_in : 60;
  return { token, expiresInMs: seconds * 1000 };
}

/** Tokens per realm+service+scope until shortly before they expire. */
export class TokenCache {
  private readonly entries = new Map<string, { token: string; expiresAt: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  static key(challenge: Challenge, scope: string): string {
    return `${challenge.params.realm ?? ''}|${challenge.params.service ?? ''}|${scope}`;
  }

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  set(key: string, token: string, expiresInMs: number): void {
    // Renew a little early so a token never expires between the cache check and the registry's.
    const margin = Math.min(10_000, expiresInMs / 2);
    this.entries.set(key, { token, expiresAt: this.now() + expiresInMs - margin });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
