// Reads one Argo CD Application's sync state, health and running images (GET /api/v1/applications/{name} with a
// bearer token), bounded in time and size; errors are one line naming the server and the application, never the token.
import { DigestpinError } from '../runtime/errors.js';
import { quoteServerText } from '../runtime/log-text.js';
import { registerSecret } from '../runtime/secrets.js';
import { BodyReadFailed, BodyTooLarge, describeReadFailure, readBounded } from '../runtime/bounded-body.js';

export interface ApplicationHealthOptions {
  /** Argo CD's URL, e.g. `https://argocd.example.com` (a `--rootpath` prefix is kept). */
  server: string;
  token: string;
  application: string;
  /** The Application's namespace, when Argo CD manages applications in several (`appNamespace`). */
  appNamespace?: string;
  fetch?: typeof fetch;
  /** Allow plain http to a non-loopback server (Argo CD run with `--insecure` behind a proxy). Loopback is always allowed. */
  insecure?: boolean;
  /** Default 30 s, the body included. */
  timeoutMs?: number;
}

export interface ApplicationHealth {
  /** `status.sync.status`: Synced, OutOfSync, Unknown ('' when Argo CD has not compared yet). */
  sync: string;
  /** `status.health.status`: Healthy, Progressing, Degraded, Suspended, Missing, Unknown. */
  health: string;
  /** `status.summary.images`: the images the Application's resources run. */
  images: string[];
  /** `status.sync.revision`: the Git revision the comparison was made at, when given. */
  revision?: string;
}

/** An Argo CD call failed: unreachable, refused, or answered something that is not an Application. */
export class ArgoCdError extends DigestpinError {
  readonly status?: number;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, {}, options);
    this.status = status;
  }
}

/** An Application with thousands of resources is a few MiB; anything far larger is not a reply to trust. */
export const APPLICATION_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

export async function applicationHealth(opts: ApplicationHealthOptions): Promise<ApplicationHealth> {
  registerSecret(opts.token);
  const url = applicationUrl(opts);
  const where = `Argo CD ${url.origin}, application '${opts.application}'`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchFn = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let response: Response;
  try {
    response = await fetchFn(url, {
      headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
      // A redirect could carry the token elsewhere, or downgrade it to http; the caller fixes the URL instead.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ArgoCdError(`${where}: could not be reached (${describeReadFailure(error, timeoutMs)})`, undefined, { cause: error });
  }
  const text = await readBody(response, where, timeoutMs);
  if (response.status !== 200) throw statusError(response, text, where);
  return readApplication(text, where);
}

/** `{server}/api/v1/applications/{name}`; refuses a URL that would send the token in the clear or that is not one. */
export function applicationUrl(opts: Pick<ApplicationHealthOptions, 'server' | 'application' | 'appNamespace' | 'insecure'>): URL {
  let base: URL;
  try {
    base = new URL(opts.server);
  } catch {
    throw new ArgoCdError(`Argo CD server '${opts.server}' is not a URL (write it like https://argocd.example.com)`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new ArgoCdError(`Argo CD server '${opts.server}' must be an http(s) URL`);
  if (base.username || base.password) throw new ArgoCdError(`Argo CD server ${base.origin}: leave credentials out of the URL; the token is given separately`);
  if (base.protocol === 'http:' && !opts.insecure && !isLoopbackHost(base.hostname)) {
    throw new ArgoCdError(`Argo CD server ${base.origin}: plain http would send the token unencrypted; use https (or insecure: true)`);
  }
  if (!opts.application || /[/?#]/.test(opts.application)) {
    throw new ArgoCdError(`Argo CD server ${base.origin}: '${opts.application}' is not an application name`);
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${base.origin}${prefix}/api/v1/applications/${encodeURIComponent(opts.application)}`);
  if (opts.appNamespace) url.searchParams.set('appNamespace', opts.appNamespace);
  return url;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}


/** The body as text, at most APPLICATION_MAX_BYTES; the request's deadline covers it. */
async function readBody(response: Response, where: string, timeoutMs: number): Promise<string> {
  try {
    return Buffer.from(await readBounded(response, APPLICATION_MAX_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new ArgoCdError(`${where}: the reply is larger than ${APPLICATION_MAX_BYTES} bytes; digestpin stopped reading`, response.status);
    if (!(error instanceof BodyReadFailed)) throw error;
    throw new ArgoCdError(`${where}: reading the reply failed after ${error.bytes} bytes (${describeReadFailure(error.cause, timeoutMs)})`, response.status, { cause: error.cause });
  }
}

/** Argo CD answers errors as runtimeError JSON: `{ error, code, message }`. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : '';
    return message ? `: ${quoteServerText(message)}` : '';
  } catch {
    return '';
  }
}

function statusError(response: Response, text: string, where: string): ArgoCdError {
  const status = response.status;
  const said = serverMessage(text);
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return new ArgoCdError(`${where}: answered with a redirect (HTTP ${status}${location ? ` to ${quoteServerText(location)}` : ''}); give the server's final URL`, status);
  }
  if (status === 401) return new ArgoCdError(`${where}: the token was refused (HTTP 401${said}); check argocd-token`, status);
  if (status === 403) {
    // Argo CD answers 403 both when the token's role may not read the application and when it does not exist.
    return new ArgoCdError(`${where}: permission denied (HTTP 403${said}); the token's role needs 'applications, get' on it, or it does not exist`, status);
  }
  if (status === 404) return new ArgoCdError(`${where}: no such application (HTTP 404${said})`, status);
  return new ArgoCdError(`${where}: answered HTTP ${status}${said}`, status);
}

function readApplication(text: string, where: string): ApplicationHealth {
  let app: { status?: { sync?: { status?: unknown; revision?: unknown }; health?: { status?: unknown }; summary?: { images?: unknown } } };
  try {
    app = JSON.parse(text) as typeof app;
  } catch {
    throw new ArgoCdError(`${where}: the reply is not JSON`);
  }
  if (typeof app !== 'object' || app === null || Array.isArray(app)) throw new ArgoCdError(`${where}: the reply is not an Application`);
  const status = app.status ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const images = Array.isArray(status.summary?.images) ? status.summary.images.filter((i): i is string => typeof i === 'string') : [];
  const revision = str(status.sync?.revision);
  return { sync: str(status.sync?.status), health: str(status.health?.status), images, ...(revision ? { revision } : {}) };
}
