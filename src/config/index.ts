// The config room: digestpin.yaml's schema, loader and rules. The parser (YAML + ajv) is imported on
// first use, so a run without a config never loads it.
import { DigestpinError } from '../runtime/errors.js';
import type { DigestpinConfig } from './types.js';

export type { ConfigPin, DigestpinConfig, EnvironmentConfig, ServiceConfig, TargetConfig, VerifyPolicy } from './types.js';
export { immutablePinProblem, lintOptionsFor, pinsFor, pinsForImage, type PinIntent } from './pins.js';

export type ReadFile = (path: string) => Promise<string>;

export interface LoadedConfig {
  /** Where it is read from. */
  path: string;
  /** How errors and annotations name it: relative to the workspace. */
  name: string;
  config: DigestpinConfig;
}

/** Reads and checks the config at `path`; a missing file or a bad key fails here, before any build. */
export async function loadConfigFile(path: string, readFile: ReadFile, name = path): Promise<LoadedConfig> {
  const text = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DigestpinError(`config file ${name} can't be read: ${e.code ?? e.message}`, { input: 'config', file: name });
  });
  const { parseConfig } = await import('./parse.js');
  return { path, name, config: parseConfig(text, name) };
}
