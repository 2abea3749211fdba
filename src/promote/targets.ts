// Where a promotion reads and writes: the config (src/config, loaded once), the target's pins, and, for
// from-environment, the image the source environment pins now. Files named in the config are relative to
// the config file's folder: the root of the checked-out GitOps repository.
import { dirname, join, relative } from 'node:path';
import { DigestpinError, FileError } from '../runtime/errors.js';
import { parseReference } from '../registry/reference.js';
import type { ImageReference } from '../registry/types.js';
import { readPin } from '../values/index.js';
import type { DigestpinRequest, PinSpec } from '../request.js';
import { immutablePinProblem, loadConfigFile, pinsFor, pinsForImage, type LoadedConfig, type ReadFile } from '../config/index.js';

export type { LoadedConfig, ReadFile } from '../config/index.js';

export async function loadConfig(request: Readonly<DigestpinRequest>, readFile: ReadFile): Promise<LoadedConfig | undefined> {
  const path = request.configPath;
  return path ? loadConfigFile(path, readFile, relative(request.run.workspace, path) || path) : undefined;
}

/** Does the run know a tag that names the digest it pins? (A source environment's tag is read later.) */
function tagKnown(request: Readonly<DigestpinRequest>): boolean {
  const { image } = request;
  if (image.kind === 'image-ref') return Boolean(parseReference(image.ref, 'image-ref').tag);
  if (image.kind === 'digest') return Boolean(image.tag);
  return true;
}

/** The run's registry-neutral image name, when it is known before anything is read. */
function imageName(request: Readonly<DigestpinRequest>): string | undefined {
  const { image } = request;
  if (image.kind === 'image-ref') return parseReference(image.ref, 'image-ref').repository;
  return image.kind === 'environment' ? undefined : image.name;
}

/**
 * The target environment's `pull-registry:` is where its cluster pulls from: the digest is verified and pinned
 * there, unless the pull-registry input names another. A manual promotion gets the same as the bot.
 */
export function withEnvironmentRegistry(request: Readonly<DigestpinRequest>, loaded: LoadedConfig | undefined): Readonly<DigestpinRequest> {
  const pull = loaded?.config.environments.get(request.environment)?.pullRegistry;
  return pull && !request.registry.pull ? { ...request, registry: { ...request.registry, pull } } : request;
}

export function targetPins(request: Readonly<DigestpinRequest>, loaded: LoadedConfig | undefined): { pins: PinSpec[]; mode?: 'direct' | 'pull-request' } {
  if (request.pins) return { pins: request.pins };
  const { pins: all, env } = pinsFor(loaded!.config, loaded!.name, request.environment, request.service);
  const pins = pinsForImage(all, imageName(request), loaded!.name);
  const problem = immutablePinProblem(env, { tagPolicy: request.tagPolicy, tagKnown: tagKnown(request) });
  if (problem) throw new DigestpinError(`${problem} (${loaded!.name}${env.line ? `:${env.line}` : ''})`, { input: 'tag-policy', file: loaded!.name, line: env.line });
  return { pins, mode: env.mode };
}

/** The image `from` pins for the service: its repository, tag and digest, read from the GitOps checkout. */
export async function pinnedInEnvironment(
  request: Readonly<DigestpinRequest>,
  loaded: LoadedConfig,
  from: string,
  readFile: ReadFile,
): Promise<{ push: ImageReference; digest: string; tag?: string }> {
  // The service's own image: the first target that does not pin another image.
  const { pins } = pinsFor(loaded.config, loaded.name, from, request.service);
  const source = pins.find((p) => !p.image) ?? pins[0]!;
  const file = join(dirname(loaded.path), source.file);
  const text = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new FileError(source.file, undefined, `can't be read from the GitOps checkout (${e.code ?? e.message})`);
  });
  const pinned = readPin(text, source.target, source.file);
  if (!pinned.digest) throw new FileError(source.file, pinned.line, `${from} pins no digest for ${request.service} yet, so there is nothing to promote`);
  const ref = parseReference(`${pinned.repository}@${pinned.digest}`, 'from-environment');
  return { push: { registry: ref.registry, repository: ref.repository }, digest: pinned.digest, tag: pinned.tag };
}
