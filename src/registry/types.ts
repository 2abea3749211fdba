// Contract of the registry client (shared with buildx/, promote/ and commands/). Keep these names stable.
import type { Logger } from '../runtime/logger.js';

/** A parsed image reference, docker-style: host[:port]/path/name[:tag][@digest]. */
export interface ImageReference {
  /** Host as docker names it: `docker.io` for Docker Hub, otherwise host[:port] as written (lowercased). */
  registry: string;
  /** Repository path, e.g. `library/nginx` or `ameide/agents`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** Credentials by registry host (as in ImageReference.registry). Take precedence over the docker config. */
  credentials?: Record<string, Credentials>;
  /** Path to a docker config.json (`auths`, base64 `auth`). Defaults to $DOCKER_CONFIG/config.json or ~/.docker. */
  dockerConfigPath?: string | false;
  /** Hosts reached over plain http besides loopback ones. */
  insecureRegistries?: string[];
  /** Cluster-side host -> host-side address the runner can reach (the seed's host_from_cluster). */
  aliases?: Record<string, string>;
  /** How long a 404 right after a push is retried before it becomes an error. Default 30 s. */
  notFoundWindowMs?: number;
  /** Retry budget for 429/5xx/timeouts. */
  maxRetries?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  logger?: Logger;
  /** Injected for tests and benchmarks (request counting). Defaults to global fetch. */
  fetch?: typeof fetch;
  /** Injected for tests; defaults to setTimeout-based sleep. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ResolveOptions {
  /** Pick this platform's manifest digest (`os/arch[/variant]`) instead of the index digest. */
  platform?: string;
  /** Fetch the image config and report its OCI labels. */
  labels?: boolean;
  /** Fetch the manifest body and check its sha256 even when the registry sent a digest header. */
  verifyContent?: boolean;
  /** Retry 404s inside the not-found window (right after a push). Default true. */
  waitForPush?: boolean;
  /** Fetch the manifest body (one GET instead of one HEAD) so `platforms` is filled in. Added by the registry client. */
  describe?: boolean;
}

export type ManifestKind = 'index' | 'manifest';

export interface Resolution {
  /** The reference asked for (after alias mapping, with the host the runner reached). */
  reference: ImageReference;
  /** The digest to pin: the index digest, or the platform's digest when `platform` was given. */
  digest: string;
  mediaType: string;
  kind: ManifestKind;
  /** `os/arch[/variant]` of each image manifest (attestation manifests excluded). Empty when only a HEAD was
   * needed (no `describe`, `platform`, `labels` or `verifyContent`). */
  platforms: string[];
  /** OCI labels of the image config, when asked for. */
  labels?: Record<string, string>;
  /** Requests made for this resolution (for benchmarks). */
  requests: number;
}

export interface RegistryClient {
  /** Resolve a tag (or verify a digest, when the reference has one) at the registry. */
  resolve(reference: ImageReference | string, options?: ResolveOptions): Promise<Resolution>;
  /** Prove the registry serves `digest` under exactly this repository (one request when nothing more is asked). */
  verify(reference: ImageReference | string, digest: string, options?: ResolveOptions): Promise<Resolution>;
}
