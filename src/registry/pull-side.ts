// Push side versus pull side: the runner pushes to one address, the cluster pulls by the name the values file
// holds (maybe an alias of the same registry, maybe another registry). Proves the pull name serves the digest.
import { RegistryError } from '../runtime/errors.js';
import { reachedRegistry } from './client.js';
import { formatReference, repositoryName, toReference } from './reference.js';
import type { ImageReference, RegistryClient, Resolution } from './types.js';

export interface PushPullCheck {
  /** True when the pull name serves the digest the push side holds. */
  agree: boolean;
  push: Resolution;
  /** Present when the pull side serves the digest. */
  pull?: Resolution;
  /** One sentence saying how the two sides disagree; absent when they agree. */
  message?: string;
}

/** The one sentence for "the push side has it, the pull side does not". */
export function disagreementMessage(
  push: ImageReference,
  pull: ImageReference,
  digest: string,
  aliases: Record<string, string> | undefined,
): string {
  const reached = reachedRegistry(pull.registry, aliases);
  const via = reached !== pull.registry ? ` (reached as ${reached})` : '';
  const pushReached = reachedRegistry(push.registry, aliases);
  let why: string;
  if (push.repository !== pull.repository) {
    why = `the repository names differ (${push.repository} vs ${pull.repository})`;
  } else if (pushReached.toLowerCase() === reached.toLowerCase()) {
    why = 'the same address answers differently for the two names; check credentials and the alias map';
  } else {
    why = 'they are two registries; push to the one the cluster pulls from, or copy the image there';
  }
  return `pushed to ${repositoryName(push)} but ${repositoryName(pull)}${via} does not serve ${digest}; ${why}`;
}

/**
 * Verifies `digest` on the push side (waiting out a fresh push), then under the exact pull-side name.
 * Disagreement is a result with one sentence; a push side without the digest, or a pull side that cannot be
 * reached, is a RegistryError.
 */
export async function checkPushPullAgreement(
  pushRef: ImageReference | string,
  pullRef: ImageReference | string,
  digest: string,
  client: RegistryClient,
  aliases?: Record<string, string>,
): Promise<PushPullCheck> {
  const push = toReference(pushRef);
  const pull = toReference(pullRef);
  const pushed = await client.verify(push, digest);
  try {
    const pulled = await client.verify(pull, digest, { waitForPush: false });
    return { agree: true, push: pushed, pull: pulled };
  } catch (error) {
    if (!(error instanceof RegistryError) || error.status !== 404) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RegistryError(
        `pushed to ${repositoryName(push)}, but the pull side ${formatReference({ ...pull, digest })} could not be checked: ${reason}`,
        formatReference(pull),
        error instanceof RegistryError ? error.status : undefined,
        { cause: error },
      );
    }
    return { agree: false, push: pushed, message: disagreementMessage(push, pull, digest, aliases) };
  }
}

/** Does `ref`'s registry serve `ref.digest`? False on a 404; any other failure is thrown, never taken for "no". */
export async function servesDigest(client: RegistryClient, ref: ImageReference & { digest: string }): Promise<boolean> {
  try {
    await client.verify({ registry: ref.registry, repository: ref.repository }, ref.digest, { waitForPush: false });
    return true;
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return false;
    throw error;
  }
}
