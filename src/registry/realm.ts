// Where registry credentials may go for a bearer token: the registry's own host, or a token host its operator
// documents for that registry family. Never a suffix match: `attacker.azurecr.io` shares a parent domain with
// `myteam.azurecr.io` (as `amazonaws.com` and `co.uk` names do) and must not receive myteam's password. Pure.
import { isLoopback } from './reference.js';

/**
 * Token hosts documented per registry family. Each entry: registry host names (exact) -> realm hosts (exact).
 * - Docker Hub: https://distribution.github.io/distribution/spec/auth/token/ (realm auth.docker.io)
 * - GitLab.com: https://docs.gitlab.com/ee/administration/packages/container_registry.html (realm gitlab.com/jwt/auth)
 * - NVIDIA NGC: https://docs.nvidia.com/ngc/ (realm authn.nvidia.com)
 * - Red Hat: https://access.redhat.com/RegistryAuthentication (realm sso.redhat.com)
 * GHCR, ACR, GAR/GCR, Quay and ECR Public answer with a realm on the registry's own host.
 */
export const DOCUMENTED_REALMS: ReadonlyArray<{ registries: readonly string[]; realms: readonly string[] }> = [
  { registries: ['docker.io', 'registry-1.docker.io', 'index.docker.io', 'registry.docker.io'], realms: ['auth.docker.io'] },
  { registries: ['registry.gitlab.com'], realms: ['gitlab.com'] },
  { registries: ['nvcr.io'], realms: ['authn.nvidia.com'] },
  { registries: ['registry.redhat.io', 'registry.connect.redhat.com'], realms: ['sso.redhat.com'] },
];

/**
 * Token hosts the user vouches for, registry host name -> realm host names (exact), from the
 * `registry-token-realms` input: a self-managed GitLab serves its registry on one host and its token endpoint on
 * another (`registry.example.com` -> `gitlab.example.com/jwt/auth`). Registered when inputs are read.
 */
const trusted = new Map<string, Set<string>>();

/** `REGISTRY=REALM_HOST`: credentials for REGISTRY may go to a token realm on REALM_HOST (https only). */
export function trustTokenRealm(registry: string, realmHost: string): void {
  const key = hostnameOf(registry);
  trusted.set(key, (trusted.get(key) ?? new Set()).add(hostnameOf(realmHost)));
}

function hostnameOf(host: string): string {
  return new URL(`http://${host}`).hostname.toLowerCase();
}

/**
 * May credentials for `registryHost` (host[:port]) be sent to this token realm? Over https to the registry's
 * own host name (any port) or a documented token host of its family; over http only from a loopback registry
 * to a loopback realm (tests, local stacks). Anything else could hand the password to a stranger.
 */
export function realmMayReceiveCredentials(realm: URL, registryHost: string): boolean {
  if (realm.username || realm.password) return false;
  if (realm.protocol === 'http:') return isLoopback(realm.host) && isLoopback(registryHost);
  if (realm.protocol !== 'https:') return false;
  const registry = hostnameOf(registryHost);
  const target = realm.hostname.toLowerCase();
  if (target === registry) return true;
  if (trusted.get(registry)?.has(target)) return true;
  return DOCUMENTED_REALMS.some((family) => family.registries.includes(registry) && family.realms.includes(target));
}
