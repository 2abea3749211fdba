// Retry budget and jittered backoff for pushes that lost a race or hit a transient failure. Pure.
import { RETRYABLE, type GitFailureKind } from './failure.js';

/** Attempts in all (races included): about ten, as the GitHub backend. */
export const MAX_ATTEMPTS = 10;
/** A refusal or a dropped connection is retried this many times at most: it is rarely a race. */
export const MAX_TRANSIENT_ATTEMPTS = 3;
export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 30_000;

/**
 * "Equal jitter": half of an exponentially growing ceiling, plus a random share of the other half. Unlike full
 * jitter it never retries at once, so a run that lost a few races is not starved by fresh runs retrying within
 * milliseconds (simulated: 50 runs through a pool of 10 with 0.3-0.9 s push windows all land within 10 attempts;
 * full jitter from 250 ms left one run out about one time in seven). `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export interface RetryState {
  attempts: number;
  transient: number;
}

/** May another attempt follow a failure of `kind`? Counts it into a new state. */
export function nextRetry(state: RetryState, kind: GitFailureKind): RetryState | undefined {
  if (!RETRYABLE.has(kind)) return undefined;
  const next = { attempts: state.attempts + 1, transient: state.transient + (kind === 'race' ? 0 : 1) };
  if (next.attempts >= MAX_ATTEMPTS || next.transient >= MAX_TRANSIENT_ATTEMPTS) return undefined;
  return next;
}
