// Where a promotion reads and writes: the config file (loaded once), the target's pins, and, for
// from-environment, the image the source environment pins now. Files named in the config are relative to
// the config file's folder: the root of the checked-out GitOps repository.
import { dirname, join } from 'node:path';
import { DigestpinError, FileError } from '../runtime/errors.js';
import { parseReference } from '../registry/reference.js';
import type { ImageReference } from '../registry/types.js';
import { readPin } from '../values/index.js';
import type { DigestpinRequest, PinSpec } from '../request.js';
import { parseConfig, pinsFor, type DigestpinConfig } from './config.js';

export type ReadFile = (path: string) => Promise<string>;

export interface LoadedConfig {
  path: string;
  config: DigestpinConfig;
}

export async function loadConfig(request: Readonly<DigestpinRequest>, readFile: ReadFile): Promise<LoadedConfig | undefined> {
  const path = request.configPath;
  if (!path) return undefined;
  const text = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DigestpinError(`config file ${path} can't be read: ${e.code ?? e.message}`, { input: 'config', file: path });
  });
  return { path, config: parseConfig(text, path) };
}

export function targetPins(request: Readonly<DigestpinRequest>, loaded: LoadedConfig | undefined): { pins: PinSpec[]; mode?: 'direct' | 'pull-request' } {
  if (request.pins) return { pins: request.pins };
  const { pins, env } = pinsFor(loaded!.config, loaded!.path, request.environment, request.service);
  return { pins, mode: env.mode };
}

/** The image `from` pins for the service: its repository, tag and digest, read from the GitOps checkout. */
export async function pinnedInEnvironment(
  request: Readonly<DigestpinRequest>,
  loaded: LoadedConfig,
  from: string,
  readFile: ReadFile,
): Promise<{ push: ImageReference; digest: string; tag?: string }> {
  const [source] = pinsFor(loaded.config, loaded.path, from, request.service).pins;
  const file = join(dirname(loaded.path), source!.file);
  const text = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new FileError(source!.file, undefined, `can't be read from the GitOps checkout (${e.code ?? e.message})`);
  });
  const pinned = readPin(text, source!.target, source!.file);
  if (!pinned.digest) throw new FileError(source!.file, pinned.line, `${from} pins no digest for ${request.service} yet, so there is nothing to promote`);
  const ref = parseReference(`${pinned.repository}@${pinned.digest}`, 'from-environment');
  return { push: { registry: ref.registry, repository: ref.repository }, digest: pinned.digest, tag: pinned.tag };
}
