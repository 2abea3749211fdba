// The one error a failed policy raises: which policy failed, for which image, and why, on one line.
import { DigestpinError } from '../runtime/errors.js';

export class PolicyError extends DigestpinError {
  readonly policy: string;
  constructor(policy: string, image: string, reason: string) {
    super(`verify policy '${policy}' failed for ${image}: ${reason}`, { image });
    this.policy = policy;
    this.reason = reason;
    this.image = image;
  }

  readonly reason: string;
  readonly image: string;

  /** The same failure, said as the pipeline says it: the promotion stopped before any write. */
  stoppedPromotion(environment: string): PolicyError {
    return new PolicyError(this.policy, this.image, `${this.reason}; the promotion to ${environment} stopped before any GitOps write`);
  }
}
