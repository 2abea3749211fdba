// cosign keeps an image's signatures and attestations beside it, under tags named after its digest
// (`sha256-<hex>.sig`, `sha256-<hex>.att`). A copy to another registry that left them behind would fail the
// target environment's verify policy, so they travel with the image, byte for byte (same digests).
import { RegistryError } from '../runtime/errors.js';
import { createRegistryClient } from './client.js';
import { copyImage, type CopyOptions } from './copy.js';
import type { ImageReference, RegistryClientOptions } from './types.js';

const SUFFIXES = ['.sig', '.att'] as const;

/** Copies the cosign tags of `from.digest` that exist at the source; returns the tags copied. */
export async function copySignatureTags(
  registry: RegistryClientOptions,
  from: ImageReference & { digest: string },
  to: ImageReference,
  options: CopyOptions = {},
): Promise<string[]> {
  const client = createRegistryClient(registry);
  const copied: string[] = [];
  for (const suffix of SUFFIXES) {
    const tag = `${from.digest.replace(':', '-')}${suffix}`;
    let digest: string;
    try {
      digest = (await client.resolve({ registry: from.registry, repository: from.repository, tag }, { waitForPush: false })).digest;
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404) continue;
      throw error;
    }
    await copyImage(registry, { registry: from.registry, repository: from.repository, digest }, { registry: to.registry, repository: to.repository, tag }, options);
    copied.push(tag);
  }
  return copied;
}
