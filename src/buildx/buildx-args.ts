// Pure: a BuildRequest in, the `docker buildx build` argv out (docker/build-push-action's getArgs).
// Validation happens here too, so a bad value fails before any process starts, naming the action input.
import { isAbsolute } from 'node:path';
import { InputError } from '../runtime/errors.js';
import type { BuildRequest } from './types.js';

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const ARG_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;
// docker reference grammar, without a digest: buildx can't tag by digest.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\\d+)?|\\[[0-9a-fA-F:]+\\](?::\\d+)?)';
const TAG = new RegExp(`^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?$`);
// `true`/`false`, or comma-separated key=value attributes (`mode=max,builder-id=...`).
const ATTESTATION = /^(?:true|false|[a-z][\w-]*=[^,\s]*(?:,[a-z][\w-]*=[^,\s]*)*)$/;
const NAME = /^[\w][\w.-]*$/;

/** The `docker` argv (starting with `buildx build`) for this request. Throws InputError on a bad value. */
export function buildxArgs(request: BuildRequest): string[] {
  const args = ['buildx', 'build'];
  const platforms = validatePlatforms(request.platforms);
  if (platforms.length > 0) args.push('--platform', platforms.join(','));
  for (const pair of normalizeBuildArgs(request.buildArgs)) args.push('--build-arg', pair);
  for (const label of request.labels) args.push('--label', validatePair('labels', label, LABEL_KEY));
  for (const tag of validateTags(request.tags, request.push)) args.push('--tag', tag);
  if (request.provenance !== undefined) args.push('--provenance', attestation('provenance', request.provenance));
  if (request.sbom !== undefined) args.push('--sbom', attestation('sbom', request.sbom));
  for (const cache of request.cacheFrom) args.push('--cache-from', nonBlank('cache-from', cache));
  for (const cache of request.cacheTo) args.push('--cache-to', nonBlank('cache-to', cache));
  if (request.builder !== undefined) args.push('--builder', named('builder', request.builder));
  if (request.target !== undefined) args.push('--target', named('target', request.target));
  if (request.file !== undefined) args.push('--file', nonBlank('file', request.file));
  args.push('--metadata-file', validateMetadataFile(request.metadataFile));
  if (request.push) args.push('--push');
  args.push(validateContext(request.context));
  return args;
}

/** A user value, quoted and kept on one line, for error messages. */
function show(value: string): string {
  return `'${value.replace(/\r?\n/g, '\\n')}'`;
}

/** `os/arch[/variant]` each, no repeats, as buildx takes them; InputError('platforms') otherwise. */
export function validatePlatforms(platforms: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new InputError('platforms', `${show(platform)} is not os/arch[/variant], e.g. linux/amd64 or linux/arm/v7`);
    }
    if (seen.has(platform)) throw new InputError('platforms', `${show(platform)} is listed twice`);
    seen.add(platform);
  }
  return [...seen];
}

/** `KEY=value` pairs, in the order given. A bare `KEY` is refused: buildx would read it from our environment. */
export function normalizeBuildArgs(buildArgs: BuildRequest['buildArgs']): string[] {
  const pairs = Array.isArray(buildArgs)
    ? buildArgs
    : Object.entries(buildArgs).map(([key, value]) => `${key}=${value}`);
  return pairs.map((pair) => validatePair('build-args', pair, ARG_KEY));
}

function validatePair(input: string, pair: string, keyPattern: RegExp): string {
  const eq = pair.indexOf('=');
  const key = eq < 0 ? pair : pair.slice(0, eq);
  if (eq < 0 || !keyPattern.test(key)) {
    // Only the key is echoed: build-arg values may be tokens nobody registered as secrets.
    const shown = eq < 0 ? pair : `${key}=…`;
    throw new InputError(input, `${show(shown)} is not KEY=value (KEY like ${input === 'labels' ? 'org.opencontainers.image.source' : 'VERSION'})`);
  }
  return pair;
}

function validateTags(tags: readonly string[], push: boolean): readonly string[] {
  if (push && tags.length === 0) {
    throw new InputError('tags', 'at least one tag is needed to push, e.g. registry.example.com/team/app:sha-1234');
  }
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new InputError('tags', `${show(tag)} is not an image reference like registry.example.com/team/app:1.2.3 (lowercase name, no digest)`);
    }
  }
  return tags;
}

function attestation(input: string, value: string): string {
  if (!ATTESTATION.test(value)) {
    throw new InputError(input, `${show(value)} is not true, false or key=value attributes like mode=max`);
  }
  return value;
}

function nonBlank(input: string, value: string): string {
  if (value.trim() === '' || /[\r\n]/.test(value)) throw new InputError(input, `${show(value)} is empty or spans several lines`);
  return value;
}

function named(input: string, value: string): string {
  if (!NAME.test(value)) throw new InputError(input, `${show(value)} is not a name (letters, digits, '.', '_', '-')`);
  return value;
}

function validateMetadataFile(file: string): string {
  // Relative paths would resolve against the workspace, which the action must never write into.
  if (!isAbsolute(file)) throw new InputError('metadata-file', `${show(file)} must be an absolute path under RUNNER_TEMP`);
  return file;
}

function validateContext(context: string): string {
  nonBlank('context', context);
  // A leading '-' would be read as a flag, and '-' (stdin) has no files to COPY.
  if (context.startsWith('-')) throw new InputError('context', `${show(context)} must be a directory or a git/https URL, not '-' or a flag`);
  return context;
}
