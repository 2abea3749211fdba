// The health gate, pure: a pin moves on only when its Application is Synced and Healthy and runs the pinned
// digest. Images are compared as docker names them (`nginx` is `docker.io/library/nginx`), repository and digest;
// a tag beside the digest does not matter, since the runtime pulls by digest.
import { parseReference } from '../registry/reference.js';
import type { ImageReference } from '../registry/types.js';

export interface HealthStatus {
  sync: string;
  health: string;
  images: string[];
}

export type GateResult = { ok: true } | { ok: false; reason: string };

function parse(ref: string): ImageReference | undefined {
  try {
    return parseReference(ref);
  } catch {
    return undefined;
  }
}

const name = (r: ImageReference) => `${r.registry}/${r.repository}`;

/** Does Argo CD's image string run the pinned `repository@digest`? A tag-only image never does. */
export function runsPinnedImage(image: string, pinned: ImageReference & { digest: string }): boolean {
  const ref = parse(image);
  return Boolean(ref?.digest) && ref!.digest === pinned.digest && name(ref!) === name(pinned);
}

export function healthGate(status: HealthStatus, pinnedRef: string): GateResult {
  const pinned = parse(pinnedRef);
  if (!pinned?.digest) return { ok: false, reason: `the pinned reference '${pinnedRef}' has no digest to look for` };
  const target = pinned as ImageReference & { digest: string };
  if (status.sync !== 'Synced') return { ok: false, reason: `the Application is ${status.sync || 'not yet compared'}, not Synced` };
  if (status.health !== 'Healthy') return { ok: false, reason: `the Application is ${status.health || 'of unknown health'}, not Healthy` };
  if (status.images.some((image) => runsPinnedImage(image, target))) return { ok: true };
  const same = status.images.filter((image) => {
    const ref = parse(image);
    return ref !== undefined && name(ref) === name(target);
  });
  const short = `${name(target)}@${target.digest.slice(0, 19)}`;
  return {
    ok: false,
    reason: same.length
      ? `the Application runs ${same.join(', ')}, not ${short}`
      : `the Application runs no image of ${name(target)} (it lists ${status.images.length} image(s))`,
  };
}
