// Pure retry decisions for registry calls: which answers are worth another try, and how long to wait.
// Waits are bounded so a registry that keeps failing turns into an error in seconds, not minutes.

export interface RetryPolicy {
  /** Retries after the first attempt for 429, 5xx, timeouts and network errors. */
  maxRetries: number;
  /** First backoff; doubles per attempt. */
  baseDelayMs: number;
  /** No single wait is longer than this, even when retry-after asks for more. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 10_000 };

/** 429 and server errors that can pass; 501 and 505 say the server never will. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status !== 501 && status !== 505);
}

/** `retry-after` as delta-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** Exponential backoff for attempt 0, 1, 2...: base, 2*base, 4*base, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

/** The wait before the next attempt: the server's retry-after when it gave one, else backoff; always capped. */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, policy: RetryPolicy = DEFAULT_RETRY): number {
  return Math.min(policy.maxDelayMs, retryAfterMs ?? backoffDelay(attempt, policy));
}

/** Waits between 404 retries right after a push: 0.5 s, 1 s, 2 s, then every 4 s until the window closes. */
export function notFoundDelay(attempt: number, remainingMs: number): number {
  return Math.max(0, Math.min(500 * 2 ** Math.min(attempt, 3), remainingMs));
}
