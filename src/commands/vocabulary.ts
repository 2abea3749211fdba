// One vocabulary for the CLI and the action: each pipeline flag is named after the action input it feeds
// (which follow docker/build-push-action and create-pull-request), plus a few short aliases. Names whose
// meaning changed keep working for one release, with a deprecation warning. docs/cli.md is generated from here.

export interface FlagSpec {
  /** Action input the flag feeds. */
  input: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  help: string;
}

export interface AliasSpec {
  /** The flag this name stands for. */
  flag: string;
  /** Set for an old name: the warning printed when it is used. */
  deprecated?: string;
}

const flag = (input: string, help: string, extra: Partial<FlagSpec> = {}): FlagSpec => ({ input, type: 'string', help, ...extra });

export const PROMOTE_FLAGS: Record<string, FlagSpec> = {
  'gitops-repository': flag('gitops-repository', 'GitOps repository: owner/name (GitHub) or a git URL / path'),
  environment: flag('environment', 'target environment, e.g. dev'),
  service: flag('service', 'service name (default: last segment of the image)'),
  config: flag('config', 'digestpin.yaml: where each environment pins each service (instead of --values-file)'),
  'values-file': flag('values-file', 'values or kustomization file in the GitOps repository (instead of --config)'),
  key: flag('key', "Helm values key of the image block (default 'image')"),
  'kustomize-image': flag('kustomize-image', 'kustomization images: entry name'),
  style: flag('style', 'how the chart reads the pin: digest, sha, tag-digest, reference or registry'),
  'sha-key': flag('sha-key', "with --style sha, the field of the hex digest (default 'sha')"),
  container: flag('container', 'with --style reference on a container list, the container by name'),
  marker: flag('marker', "pin the lines carrying this setter marker (digestpin's or Flux's $imagepolicy)"),
  'image-ref': flag('image-ref', 'pushed image, REPO:TAG or REPO@DIGEST'),
  image: flag('image', 'image name (with --digest, or for ship), e.g. localhost:5000/ameide/agents'),
  digest: flag('digest', 'digest to pin (with --image)'),
  'from-environment': flag('from-environment', 'promote what this environment pins now (with --config)'),
  'image-tag': flag('image-tag', 'tag to build, or to write beside the digest'),
  registry: flag('registry', 'push-side registry host'),
  'pull-registry': flag('pull-registry', 'cluster-side registry host written into values'),
  'registry-aliases': flag('registry-aliases', 'CLUSTER_HOST=RUNNER_ADDRESS (repeatable)', { multiple: true }),
  'insecure-registries': flag('insecure-registries', 'plain-http registry host (repeatable)', { multiple: true }),
  'registry-token-realms': flag('registry-token-realms', 'REGISTRY_HOST=TOKEN_REALM_HOST: a token service you vouch for (repeatable)', { multiple: true }),
  platform: flag('platform', "pin one platform's manifest digest (os/arch)"),
  'set-repository': flag('set-repository', 'write image.repository instead of requiring it to match', { type: 'boolean' }),
  'tag-policy': flag('tag-policy', 'set (default), keep or remove image.tag'),
  mode: flag('mode', 'pull-request (default) or direct'),
  'base-branch': flag('base-branch', "base branch (default 'main')"),
  'branch-template': flag('branch-template', "default 'digestpin/{environment}/{service}'"),
  'pr-labels': flag('pr-labels', 'PR labels, comma-separated or repeated', { multiple: true }),
  reviewers: flag('reviewers', 'PR reviewers, comma-separated (org/team for teams)', { multiple: true }),
  assignees: flag('assignees', 'PR assignees, comma-separated', { multiple: true }),
  draft: flag('draft', 'open the PR as a draft', { type: 'boolean' }),
  'auto-merge': flag('auto-merge', 'enable auto-merge: merge, squash or rebase'),
  'force-update': flag('force-update', 'overwrite commits someone else pushed to the promotion branch (default: leave them, operation blocked)', { type: 'boolean' }),
  'github-api-url': flag('github-api-url', 'GitHub API URL, for GitHub Enterprise Server (default $GITHUB_API_URL)'),
  'dry-run': flag('dry-run', 'verify and compute the change, write nothing', { type: 'boolean' }),
  // The promotion bot (issue 11): with any of these, promote plans the chain and runs what is due.
  services: flag('services', 'promote these services (comma-separated or repeated), one PR each (a group\'s members: one PR)', { multiple: true }),
  group: flag('group', 'promote this group of the config in one PR'),
  all: flag('all', 'promote every service of --from-environment → --environment', { type: 'boolean' }),
  auto: flag('auto', 'promote into every environment with auto: true, from its from: environment', { type: 'boolean' }),
  rollback: flag('rollback', 'pin the N-th previous distinct digest of --environment/--service (with its tag)'),
};

/** `promote --from dev --to staging`: the chain's words for from-environment and environment (promote only). */
export const CHAIN_ALIASES: Record<string, AliasSpec> = {
  from: { flag: 'from-environment' },
  to: { flag: 'environment' },
};

export const BUILD_FLAGS: Record<string, FlagSpec> = {
  context: flag('context', "build context (default '.')"),
  file: flag('file', 'Dockerfile path (default {context}/Dockerfile), as in docker/build-push-action'),
  platforms: flag('platforms', 'e.g. linux/amd64,linux/arm64'),
  'build-args': flag('build-args', 'KEY=VALUE (repeatable)', { multiple: true }),
  target: flag('target', 'build stage'),
  labels: flag('labels', 'KEY=VALUE image label (repeatable)', { multiple: true }),
  tags: flag('tags', 'extra tags to push, full references or bare tags (repeatable)', { multiple: true }),
  provenance: flag('provenance', 'buildx --provenance'),
  sbom: flag('sbom', 'buildx --sbom'),
  'cache-from': flag('cache-from', 'buildx --cache-from (repeatable)', { multiple: true }),
  'cache-to': flag('cache-to', 'buildx --cache-to (repeatable)', { multiple: true }),
  builder: flag('builder', 'buildx builder'),
};

const SHORT: Record<string, AliasSpec> = {
  repo: { flag: 'gitops-repository' },
  tag: { flag: 'image-tag' },
  base: { flag: 'base-branch' },
  alias: { flag: 'registry-aliases' },
  'insecure-registry': { flag: 'insecure-registries' },
};

/** `--file` and `--labels` meant the values file and PR labels before the names followed the action. */
export const OLD_FILE = "--file for the values file is deprecated: use --values-file (from the next release --file is the Dockerfile, as in the action's 'file' input)";
export const OLD_LABELS = "--labels for PR labels is deprecated: use --pr-labels (from the next release --labels are image labels, as in the action's 'labels' input)";

export const PROMOTE_ALIASES: Record<string, AliasSpec> = {
  ...SHORT,
  file: { flag: 'values-file', deprecated: OLD_FILE },
  labels: { flag: 'pr-labels', deprecated: OLD_LABELS },
};

export const BUILD_ALIASES: Record<string, AliasSpec> = {
  ...SHORT,
  dockerfile: { flag: 'file' },
  'build-arg': { flag: 'build-args' },
  label: { flag: 'labels' },
};

const { 'image-ref': _imageRef, digest: _digest, 'from-environment': _from, services: _s, group: _g, all: _a, auto: _au, rollback: _r, ...shipPromote } = PROMOTE_FLAGS;
export const SHIP_FLAGS: Record<string, FlagSpec> = { ...BUILD_FLAGS, ...shipPromote };
