// Every GitHub HTTP attempt is bounded: a per-request timeout that covers the headers and the whole body, and a cap on
// the body's size. Failures are typed (GitHubTimeoutError, GitHubSizeError) and name the request, so the one error a
// user sees says "timed out" or "exceeded", never a status GitHub did not send.
import { BodyReadFailed, BodyTooLarge, readBounded } from '../../runtime/bounded-body.js';

export interface BoundedFetchOptions {
  /** Longest one attempt may take, headers and body together. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
}

/** `POST /graphql (DigestpinCommit)` or `GET /repos/o/r/git/blobs/sha`: what a person can find in the code. */
export function describeRequest(url: string, init: { method?: string; body?: unknown }): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // keep the raw url
  }
  const name = typeof init.body === 'string' ? /"query"\s*:\s*"\s*(?:query|mutation)\s+(\w+)/.exec(init.body)?.[1] : undefined;
  return `${(init.method ?? 'GET').toUpperCase()} ${path}${name ? ` (${name})` : ''}`;
}

export class GitHubTimeoutError extends Error {
  constructor(
    readonly request: string,
    readonly timeoutMs: number,
  ) {
    super(`${request} got no complete answer within ${Math.round(timeoutMs / 100) / 10} s`);
    this.name = 'GitHubTimeoutError';
  }
}

export class GitHubSizeError extends Error {
  constructor(
    readonly request: string,
    readonly maxBytes: number,
  ) {
    const size = maxBytes >= 1048576 ? `${Math.round(maxBytes / 1048576)} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
    super(`the answer to ${request} exceeded the ${size} cap`);
    this.name = 'GitHubSizeError';
  }
}

const NO_BODY = new Set([101, 204, 205, 304]);

/** The body within the cap (the shared reader), its failures in this module's typed terms. */
async function readCapped(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  try {
    return await readBounded(response, maxBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw new GitHubSizeError(what, maxBytes);
    // A stalled or dropped body: the stream's own error, which the caller maps to a timeout when its timer fired.
    throw error instanceof BodyReadFailed ? error.cause : error;
  }
}

/** A fetch for Octokit's `request.fetch`: each call gets its own timer, so Octokit's retries each get a full budget. */
export function boundedFetch(options: BoundedFetchOptions, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const what = describeRequest(url, init);
    const timer = AbortSignal.timeout(options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
    const timedOut = (error: unknown) => (timer.aborted ? new GitHubTimeoutError(what, options.timeoutMs) : error);
    try {
      const response = await inner(input, { ...init, signal });
      const bytes = response.body && !NO_BODY.has(response.status) ? await readCapped(response, options.maxBytes, what) : null;
      const headers = new Headers(response.headers);
      headers.delete('content-encoding');
      headers.delete('content-length');
      return new Response(bytes as BodyInit | null, { status: response.status, statusText: response.statusText, headers });
    } catch (error) {
      throw timedOut(error);
    }
  };
}

/** The typed bound failure somewhere in an Octokit error's cause chain, if any. */
export function boundFailure(error: unknown): GitHubTimeoutError | GitHubSizeError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (e instanceof GitHubTimeoutError || e instanceof GitHubSizeError) return e;
  }
  return undefined;
}
