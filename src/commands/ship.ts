// `digestpin ship`: the whole pipeline from the command line, as the action runs it: build and push with
// buildx, verify the digest at the pull side, pin, commit or open the PR.
import type { CommandMain } from './types.js';
import { runPipelineCommand, type FlagSpec } from './pipeline-command.js';
import { PROMOTE_FLAGS } from './promote.js';

const BUILD_FLAGS: Record<string, FlagSpec> = {
  context: { input: 'context', type: 'string', help: "build context (default '.')" },
  dockerfile: { input: 'file', type: 'string', help: 'Dockerfile path' },
  platforms: { input: 'platforms', type: 'string', help: 'e.g. linux/amd64,linux/arm64' },
  'build-arg': { input: 'build-args', type: 'string', multiple: true, help: 'KEY=VALUE (repeatable)' },
  target: { input: 'target', type: 'string', help: 'build stage' },
  label: { input: 'labels', type: 'string', multiple: true, help: 'KEY=VALUE image label (repeatable)' },
  provenance: { input: 'provenance', type: 'string', help: 'buildx --provenance' },
  sbom: { input: 'sbom', type: 'string', help: 'buildx --sbom' },
  'cache-from': { input: 'cache-from', type: 'string', multiple: true, help: 'buildx --cache-from (repeatable)' },
  'cache-to': { input: 'cache-to', type: 'string', multiple: true, help: 'buildx --cache-to (repeatable)' },
  builder: { input: 'builder', type: 'string', help: 'buildx builder' },
};

const { 'image-ref': _imageRef, digest: _digest, 'from-environment': _from, ...promoteFlags } = PROMOTE_FLAGS;

export const main: CommandMain = (argv, io) =>
  runPipelineCommand('ship', argv, io, { ...BUILD_FLAGS, ...promoteFlags }, '--image NAME --registry HOST --tag T --repo REPO --environment E (--file F | --config C) [options]');
