// One HTTP attempt loop for registry calls: per-request timeout, bounded retries on 429/5xx/timeouts/network
// errors (retry-after honoured), and a request counter for benchmarks. Knows nothing of auth or manifests.
// The timeout covers the body too (the signal stays on the response), so a stalled body ends in body.ts.
import { RegistryError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { describeReadFailure, discardBody, rememberRequest } from './body.js';
import { isRetryableStatus, parseRetryAfter, retryDelay, type RetryPolicy } from './retry.js';

export interface TransportOptions {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  retry: RetryPolicy;
  logger?: Logger;
}

export interface SendRequest {
  method: 'GET' | 'HEAD';
  url: URL;
  headers: Record<string, string>;
  /** Image named in errors. */
  image: string;
  /** Incremented once per HTTP request actually sent. */
  counter?: { requests: number };
}

export type Send = (request: SendRequest) => Promise<Response>;

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  // fetch wraps the socket's error; its code (ECONNREFUSED, ...) says more than "fetch failed".
  if (cause?.code && cause.code !== 'ECONNRESET' && cause.code !== 'UND_ERR_SOCKET') return cause.code;
  return describeReadFailure(cause?.code ? cause : error, timeoutMs);
}

export function createTransport(options: TransportOptions): Send {
  const { retry, logger } = options;
  return async (request) => {
    const where = `${request.method} ${request.url.origin}${request.url.pathname}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: string | undefined;
      try {
        if (request.counter) request.counter.requests++;
        response = await options.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          redirect: 'follow',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        failure = describeNetworkError(error, options.timeoutMs);
      }
      if (response) rememberRequest(response, { request: where, host: request.url.host, timeoutMs: options.timeoutMs });
      if (response && !isRetryableStatus(response.status)) return response;
      if (attempt >= retry.maxRetries) {
        if (response) return response;
        throw new RegistryError(
          `${request.image}: could not reach ${request.url.host} (${where}): ${failure} after ${attempt + 1} attempt(s)`,
          request.image,
        );
      }
      const retryAfter = response ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
      const delay = retryDelay(attempt, retryAfter, retry);
      logger?.debug(`${where}: ${response ? `HTTP ${response.status}` : failure}; retry ${attempt + 1} in ${delay} ms`);
      // Cancelled, not drained: the body of a 503 may never end.
      if (response) await discardBody(response);
      await options.sleep(delay);
    }
  };
}
