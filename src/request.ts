// The validated, frozen request every phase works from. inputs.ts (action) and commands/* (CLI) build it;
// nothing downstream reads inputs or environment variables again.
import type { BuildRequest } from './buildx/types.js';
import type { Credentials } from './registry/types.js';
import type { PinTarget, TagPolicy } from './values/types.js';
import type { PullRequestOptions } from './gitops/types.js';
import type { VerifyPolicy } from './verify/types.js';

/** The build inputs: buildx's request without what the pipeline derives (tags, metadata file). */
export type BuildSpec = Omit<BuildRequest, 'tags' | 'metadataFile' | 'buildArgs'> & {
  buildArgs: string[];
  /** Tags besides the one digestpin derives: full references or bare tags. */
  extraTags: string[];
};

/** Where the image comes from: built here, pushed by someone else, or named by digest (promotion, rollback). */
export type ImageSource =
  | { kind: 'build'; build: BuildSpec; name: string; tag: string }
  | { kind: 'image-ref'; ref: string }
  | { kind: 'digest'; name: string; digest: string; tag?: string }
  /** Whatever `from` pins now, read through the config from the checked-out GitOps repository. */
  | { kind: 'environment'; from: string };

export interface RegistrySpec {
  /** Push side host. */
  push?: string;
  /** Cluster side host written into values; defaults to the push side. */
  pull?: string;
  aliases: Record<string, string>;
  insecure: string[];
  credentials?: Credentials;
  platform?: string;
}

export interface PinSpec {
  environment: string;
  service: string;
  file: string;
  target: PinTarget;
}

export interface GitOpsSpec {
  repository: string;
  /** The repository as logs and errors show it: a URL without its user and password. */
  repositoryDisplay: string;
  token?: string;
  apiUrl?: string;
  baseBranch: string;
  /** Unset: the config's environment mode, else pull-request. */
  mode?: 'direct' | 'pull-request';
  branchTemplate: string;
  pullRequest: PullRequestOptions;
  dryRun: boolean;
}

/** Where the run came from, for PR bodies and OCI labels. */
export interface RunContext {
  sha?: string;
  sourceRepository?: string;
  serverUrl: string;
  runId?: string;
  workspace: string;
  tempDir: string;
}

/** A manual rollback (issue 11): the PR says so and names the digest it returns to. */
export interface RollbackInfo {
  /** How many distinct digests back (1 = the one before the current). */
  steps: number;
  digest: string;
  tag?: string;
  /** The commit of the GitOps repository that pinned it first. */
  commit: string;
}

export interface DigestpinRequest {
  /** Set for a rollback: the PR title and body say it is one. */
  rollback?: RollbackInfo;
  image: ImageSource;
  registry: RegistrySpec;
  environment: string;
  service: string;
  /** Set from values-file/key inputs, or from the config file (see config.ts). */
  pins?: PinSpec[];
  configPath?: string;
  tagPolicy: TagPolicy['mode'];
  /** Write repository/newName instead of requiring it to name the verified image. */
  setRepository: boolean;
  gitops: GitOpsSpec;
  run: RunContext;
  /** Supply-chain policy from the verify-* inputs; unset: the target environment's `verify:` in the config. */
  verify?: VerifyPolicy;
  /** Sign what was built (cosign-compatible), with this private key (PEM or cosign's encrypted key). */
  sign?: { key: string; password?: string };
  /**
   * Other services promoted in the same commit or PR (a group): each names its own image (not a build) and pins,
   * and is verified exactly as this request is; their pins join this request's one GitOps write.
   */
  companions?: Array<Readonly<DigestpinRequest>>;
}
