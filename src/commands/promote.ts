// `digestpin promote`: pin an already-pushed image (verified at the registry first) in a GitOps repository.
import type { CommandMain } from './types.js';
import { runPipelineCommand, type FlagSpec } from './pipeline-command.js';

export const PROMOTE_FLAGS: Record<string, FlagSpec> = {
  repo: { input: 'gitops-repository', type: 'string', help: "GitOps repository: owner/name (GitHub) or a git URL / path" },
  environment: { input: 'environment', type: 'string', help: 'target environment, e.g. dev' },
  service: { input: 'service', type: 'string', help: 'service name (default: last segment of the image)' },
  file: { input: 'values-file', type: 'string', help: 'values or kustomization file in the GitOps repository' },
  key: { input: 'key', type: 'string', help: "Helm values key of the image block (default 'image')" },
  'kustomize-image': { input: 'kustomize-image', type: 'string', help: 'kustomization images: entry name' },
  config: { input: 'config', type: 'string', help: 'digestpin config file mapping environment/service to file and key' },
  'image-ref': { input: 'image-ref', type: 'string', help: 'pushed image, REPO:TAG or REPO@DIGEST' },
  image: { input: 'image', type: 'string', help: 'image name (with --digest), e.g. localhost:5000/ameide/agents' },
  digest: { input: 'digest', type: 'string', help: 'digest to pin (with --image)' },
  'from-environment': { input: 'from-environment', type: 'string', help: 'promote what this environment pins now (with --config)' },
  tag: { input: 'image-tag', type: 'string', help: 'tag to write beside the digest' },
  registry: { input: 'registry', type: 'string', help: 'push-side registry host' },
  'pull-registry': { input: 'pull-registry', type: 'string', help: 'cluster-side registry host written into values' },
  alias: { input: 'registry-aliases', type: 'string', multiple: true, help: 'CLUSTER_HOST=RUNNER_ADDRESS (repeatable)' },
  'insecure-registry': { input: 'insecure-registries', type: 'string', multiple: true, help: 'plain-http registry host (repeatable)' },
  platform: { input: 'platform', type: 'string', help: "pin one platform's manifest digest (os/arch)" },
  'set-repository': { input: 'set-repository', type: 'boolean', help: 'write image.repository instead of requiring it to match' },
  'tag-policy': { input: 'tag-policy', type: 'string', help: 'set (default), keep or remove image.tag' },
  mode: { input: 'mode', type: 'string', help: 'pull-request (default) or direct' },
  base: { input: 'base-branch', type: 'string', help: "base branch (default 'main')" },
  'branch-template': { input: 'branch-template', type: 'string', help: "default 'digestpin/{environment}/{service}'" },
  labels: { input: 'pr-labels', type: 'string', help: 'PR labels, comma-separated' },
  reviewers: { input: 'reviewers', type: 'string', help: 'PR reviewers, comma-separated (org/team for teams)' },
  draft: { input: 'draft', type: 'boolean', help: 'open the PR as a draft' },
  'auto-merge': { input: 'auto-merge', type: 'string', help: 'enable auto-merge: merge, squash or rebase' },
  'dry-run': { input: 'dry-run', type: 'boolean', help: 'verify and compute the change, write nothing' },
};

export const main: CommandMain = (argv, io) =>
  runPipelineCommand('promote', argv, io, PROMOTE_FLAGS, '--repo REPO --environment E (--file F [--key PATH | --kustomize-image NAME] | --config C) (--image-ref REF | --image NAME --digest D) [options]');
