// Bounded retry with full-jitter exponential backoff for races on a branch head (STALE_DATA, not a fast forward).
// Attempts and delays are injectable so tests stay fast; a real conflict (an edit that throws) is never retried.
import { GitOpsError } from '../../runtime/errors.js';
import { RecoverableError } from './api.js';

export interface RetryPolicy {
  /** Total attempts, first included. Default 10. */
  attempts: number;
  baseDelayMs: number;
  /** Cap of one delay. Default 30 s. */
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 10,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
};

/**
 * Delay before retry `n` (1-based): uniform in [0, min(cap, unit * 2^n)], where the unit is the larger of the base
 * delay and twice the losing attempt's own duration. Racers then spread over a window that scales with how long one
 * read-and-commit takes (the span in which another commit makes ours stale), so a slow or busy API does not make every
 * retry collide again; with 50 racers most land within ~7 of the 10 attempts. Pure given `random`.
 */
export function backoffDelay(n: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>, attemptMs = 0): number {
  const ceiling = Math.min(policy.maxDelayMs, Math.max(policy.baseDelayMs, 2 * attemptMs) * 2 ** n);
  return Math.round(policy.random() * ceiling);
}

/** Runs `attempt` until it returns; only 'stale' races are retried. `what` names the branch for the final error. */
export async function retryOnStale<T>(policy: RetryPolicy, what: string, attempt: (n: number) => Promise<T>): Promise<T> {
  let lost = 0;
  for (let n = 0; ; n += 1) {
    const started = Date.now();
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof RecoverableError)) throw error;
      // An unanswered write gets one re-read (did it land?) and one more try; a second loss is the real failure.
      if (error.kind === 'lost') {
        if ((lost += 1) > 1) throw error.original ?? new GitOpsError(`${what}: ${error.message}`);
        continue;
      }
      // A race answer the step did not expect (e.g. "already exists" from another call) is a plain failure.
      if (error.kind !== 'stale') throw new GitOpsError(`${what}: ${error.message}`);
      if (n + 1 >= policy.attempts) {
        throw new GitOpsError(`${what} kept moving: gave up after ${policy.attempts} attempts (${error.message})`);
      }
      await policy.sleep(backoffDelay(n + 1, policy, Date.now() - started));
    }
  }
}
