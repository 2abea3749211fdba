// Parses image references the way docker does (host[:port]/path/name[:tag][@digest], Docker Hub defaults)
// and checks digests by the OCI rules. Pure: bad input becomes an InputError that names the input.
import { InputError } from '../runtime/errors.js';
import type { ImageReference } from './types.js';

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';

// distribution/reference grammar: lowercase path components joined by '.', '_', '__' or runs of '-'.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const MAX_NAME_LENGTH = 255;

/** `sha256:` + 64 lowercase hex, or `sha512:` + 128 lowercase hex (OCI image-spec descriptor rules). */
export function isValidDigest(value: string): boolean {
  return DIGEST.test(value);
}

/** Splits `host[:port]` or `[v6]:port` into host and port (port may be undefined). */
function splitHostPort(registry: string): { host: string; port?: string } {
  const v6 = /^(\[[^\]]*\])(?::(\d+))?$/.exec(registry);
  if (v6) return { host: v6[1]!, port: v6[2] };
  const at = registry.lastIndexOf(':');
  return at < 0 ? { host: registry } : { host: registry.slice(0, at), port: registry.slice(at + 1) };
}

/** `host[:port]` or `[v6]:port`, as an image reference's first component may name a registry. */
export function isValidDomain(registry: string): boolean {
  const { host, port } = splitHostPort(registry);
  if (port !== undefined && !/^\d{1,5}$/.test(port)) return false;
  if (IPV6_HOST.test(host)) return true;
  return host.split('.').every((part) => DOMAIN_COMPONENT.test(part));
}

/** `os/arch[/variant]`, leniently, as registries spell platforms (any case, `aarch64`); see normalizePlatform. */
export function isPlatformString(platform: string): boolean {
  return /^[a-z0-9_-]+\/[a-z0-9_-]+(?:\/[a-z0-9_.-]+)?$/i.test(platform);
}

/** A tag: 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-'. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** A registry-neutral repository path: lowercase components such as `ameide/agents`. */
export function isValidRepositoryPath(path: string): boolean {
  return path.length <= MAX_NAME_LENGTH && path.split('/').every((part) => PATH_COMPONENT.test(part));
}

/**
 * `CLUSTER_HOST=RUNNER_ADDRESS` pairs (the seed's host_from_cluster, reversed) into an alias map, hosts
 * lower-cased. `input` names the flag or action input in errors; `shape` is how its docs write a pair.
 */
export function parseAliases(pairs: readonly string[], input: string, shape = 'CLUSTER_HOST=REACHABLE_HOST'): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const pair of pairs) {
    const [from, to, ...extra] = pair.split('=').map((s) => s.trim());
    if (!from || !to || extra.length || !isValidDomain(from) || !isValidDomain(to)) {
      throw new InputError(input, `'${pair}' must look like ${shape}, e.g. k3d-dev-reg:5000=localhost:5000`);
    }
    aliases[from.toLowerCase()] = to.toLowerCase();
  }
  return aliases;
}

/** True for hosts docker reaches over plain http without configuration: localhost, 127.0.0.0/8, [::1]. */
export function isLoopback(registry: string): boolean {
  const { host } = splitHostPort(registry.toLowerCase());
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** The host that serves the registry API: Docker Hub's API lives at registry-1.docker.io. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB || registry === 'index.docker.io' ? DOCKER_HUB_API : registry;
}

/** Docker's rule: the first component is a host when it has a '.' or ':', or is `localhost`, or has uppercase. */
export function splitDomain(name: string): { registry: string; remainder: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const isHost = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  let registry = isHost ? first.toLowerCase() : DOCKER_HUB;
  let remainder = isHost ? name.slice(slash + 1) : name;
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && !remainder.includes('/')) remainder = `library/${remainder}`;
  return { registry, remainder };
}

/** Parses `input` like `docker pull` would. `inputName` names the flag or action input in errors. */
export function parseReference(input: string, inputName = 'image'): ImageReference {
  const fail = (why: string): never => {
    throw new InputError(inputName, `'${input}' is not a valid image reference: ${why}`);
  };
  const text = input.trim();
  if (!text) fail('it is empty');
  if (/\s/.test(text)) fail('it contains whitespace');
  if (text.includes('://')) fail('leave out the scheme (http:// or https://)');

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isValidDigest(digest)) fail(`digest '${digest}' must be sha256: + 64 lowercase hex or sha512: + 128`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) fail(`tag '${tag}' must be 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-'`);
  }
  if (!rest) fail('the repository name is missing');
  if (rest.length > MAX_NAME_LENGTH) fail(`the name is longer than ${MAX_NAME_LENGTH} characters`);
  if (/^[a-f0-9]{64}$/.test(rest)) fail('a 64-character hex string is an image ID, not a repository name');

  const { registry, remainder } = splitDomain(rest);
  if (!isValidDomain(registry)) fail(`'${registry}' is not a valid registry host[:port]`);
  if (!remainder) fail('the repository name is missing');
  if (remainder !== remainder.toLowerCase()) fail(`repository name '${remainder}' must be lowercase`);
  for (const part of remainder.split('/')) {
    if (!PATH_COMPONENT.test(part)) fail(`'${part}' is not a valid path component (lowercase letters, digits, '.', '_', '-')`);
  }
  return { registry, repository: remainder, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The canonical string form: `registry/repository[:tag][@digest]` (Docker Hub written out as docker.io). */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** `registry/repository` without tag or digest: the name a values file pins. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Accepts a parsed reference or a string, so callers can pass either. */
export function toReference(ref: ImageReference | string, inputName?: string): ImageReference {
  return typeof ref === 'string' ? parseReference(ref, inputName) : ref;
}
