// Image-name rules the pinning engine needs: digest syntax, and the normalisation that lets
// `docker.io/library/nginx` and `nginx` count as the same repository. Pure; the rules come from registry/.
import { isValidDigest, splitDomain } from '../registry/reference.js';

/** `sha256:<64 hex>` or `sha512:<128 hex>`, lower-case: the registry module's rule. */
export const isDigest = isValidDigest;

/** A registry host: has a dot or a port, or is `localhost` (the rule docker uses). */
function isRegistryHost(component: string): boolean {
  return component === 'localhost' || component.includes('.') || component.includes(':');
}

/**
 * Canonical form of a repository (no tag, no digest): `nginx` -> `docker.io/library/nginx`,
 * `index.docker.io/x/y` -> `docker.io/x/y`, host lower-cased. Lenient: values files may hold names the
 * lint reports, so this never throws.
 */
export function normalizeRepository(repository: string): string {
  const { registry, remainder } = splitDomain(repository.trim());
  return `${registry === 'registry-1.docker.io' ? 'docker.io' : registry}/${remainder}`;
}

export function sameRepository(a: string, b: string): boolean {
  return normalizeRepository(a) === normalizeRepository(b);
}

/** Splits `reg.example:5000/team/app` into host and path; the host is undefined for Docker Hub short names. */
export function splitRegistry(repository: string): { host?: string; path: string } {
  const slash = repository.indexOf('/');
  if (slash > 0 && isRegistryHost(repository.slice(0, slash))) {
    return { host: repository.slice(0, slash), path: repository.slice(slash + 1) };
  }
  return { path: repository };
}

/** True when a repository value also carries a tag (`app:1.2`) or a digest (`app@sha256:...`). */
export function repositoryHasReference(repository: string): boolean {
  if (repository.includes('@')) return true;
  const lastSlash = repository.lastIndexOf('/');
  const lastPart = repository.slice(lastSlash + 1);
  // A colon before the first slash is a registry port, not a tag.
  return lastSlash >= 0 ? lastPart.includes(':') : repository.includes(':');
}
