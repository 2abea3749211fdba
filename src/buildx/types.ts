// Contract of the build phase: what the orchestration asks buildx to do, and what it gets back.
// The request is plain data (inputs.ts fills it); buildxArgs() turns it into argv, runBuild() runs it.
import type { Exec } from '../runtime/exec.js';
import type { Logger } from '../runtime/logger.js';

export interface BuildRequest {
  /** Build context: a directory, or a git/https URL buildx understands. Never `-` (stdin). */
  context: string;
  /** Dockerfile path (`--file`); buildx's default `{context}/Dockerfile` when absent. */
  file?: string;
  /** `os/arch[/variant]` each; empty means the builder's own platform. */
  platforms: string[];
  /** `{ KEY: value }`, or `KEY=value` lines as the action input gives them. */
  buildArgs: Record<string, string> | string[];
  target?: string;
  /** `key=value` OCI labels (`--label`). */
  labels: string[];
  /** Full references including the registry, e.g. `127.0.0.1:5000/ameide/agents:sha-1234`. */
  tags: string[];
  /** buildx `--provenance` value: `true`, `false`, `mode=max`, `mode=min,inline-only=true`... */
  provenance?: string;
  /** buildx `--sbom` value: `true`, `false`, `generator=...`. */
  sbom?: string;
  cacheFrom: string[];
  cacheTo: string[];
  /** buildx builder instance name (`--builder`). */
  builder?: string;
  push: boolean;
  /** Absolute path (under RUNNER_TEMP) where buildx writes its `--metadata-file`. */
  metadataFile: string;
}

/** The descriptor buildx reports for what it exported (the index for multi-platform builds). */
export interface BuildDescriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** The parts of buildx's `--metadata-file` that digestpin relies on. */
export interface BuildMetadata {
  /** `containerimage.digest`: the digest of the exported image (index or manifest). */
  digest: string;
  /** `containerimage.descriptor`. */
  descriptor: BuildDescriptor;
  /** `image.name`, split on commas (buildx joins the tags). Empty when buildx named nothing. */
  imageNames: string[];
  /** The whole parsed file, for debugging and the job summary. */
  raw: Record<string, unknown>;
}

export interface BuildResult {
  digest: string;
  mediaType: string;
  imageNames: string[];
  /** False for a build-only run: the digest then exists in the builder, not in any registry. */
  pushed: boolean;
  metadata: BuildMetadata;
}

export interface BuildDeps {
  exec: Exec;
  logger: Logger;
  /** Extra environment for docker, e.g. `{ DOCKER_CONFIG }` from dockerLogin(). */
  env?: Record<string, string>;
}
