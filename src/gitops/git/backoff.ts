// Retry budget and jittered backoff for pushes that lost a race or hit a transient failure. Pure.
import type { GitFailureKind } from './failure.js';

/** Attempts in all (races included): about ten, as the GitHub backend. */
export const MAX_ATTEMPTS = 10;
/** A refusal or a dropped connection is retried this many times at most: it is rarely a race. */
export const MAX_TRANSIENT_ATTEMPTS = 3;
export const BASE_DELAY_MS = 250;
export const MAX_DELAY_MS = 30_000;

/**
 * "Full jitter": a random delay up to an exponentially growing ceiling, so racing runs spread out instead of
 * colliding again in lock-step. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}

export interface RetryState {
  attempts: number;
  transient: number;
}

/** May another attempt follow a failure of `kind`? Counts it into a new state. */
export function nextRetry(state: RetryState, kind: GitFailureKind): RetryState | undefined {
  if (kind !== 'race' && kind !== 'rejected' && kind !== 'transient') return undefined;
  const next = { attempts: state.attempts + 1, transient: state.transient + (kind === 'race' ? 0 : 1) };
  if (next.attempts >= MAX_ATTEMPTS || next.transient >= MAX_TRANSIENT_ATTEMPTS) return undefined;
  return next;
}
