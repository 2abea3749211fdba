// Logs docker into a registry inside a private DOCKER_CONFIG, so the user's ~/.docker is never written.
// The password goes through stdin only; the returned env points buildx at the private config.
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Credentials } from '../registry/types.js';
import { DigestpinError, ExecError, oneLine, RegistryError } from '../runtime/errors.js';
import type { Exec } from '../runtime/exec.js';
import type { Logger } from '../runtime/logger.js';
import { registerSecret } from '../runtime/secrets.js';
import { buildFailureReason } from './run-build.js';

export interface DockerLoginOptions {
  exec: Exec;
  /** Private config directory to create and log into (under RUNNER_TEMP). */
  dockerConfigDir: string;
  /** The user's docker config directory to inherit builders and contexts from. Default $DOCKER_CONFIG or ~/.docker. */
  sourceConfigDir?: string;
  logger?: Logger;
}

// Builder instances (setup-buildx-action), contexts and user-installed plugins live next to config.json;
// without them a private DOCKER_CONFIG would lose the builder the workflow set up.
const SHARED_ENTRIES = ['buildx', 'contexts', 'cli-plugins'];

/** Returns the environment to pass to docker/buildx (`{ DOCKER_CONFIG }`). Throws RegistryError when refused. */
export async function dockerLogin(registry: string, creds: Credentials, options: DockerLoginOptions): Promise<Record<string, string>> {
  registerSecret(creds.password);
  registerSecret(`${creds.username}:${creds.password}`);
  const dir = resolve(options.dockerConfigDir);
  const source = resolve(options.sourceConfigDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'));
  if (dir === source) throw new DigestpinError(`docker login: the private config dir ${dir} is the user's own docker config`);
  await prepareConfigDir(dir, source, registry);
  const env = { DOCKER_CONFIG: dir };
  try {
    await options.exec('docker', ['login', '--username', creds.username, '--password-stdin', registry], {
      input: creds.password,
      env,
      logger: options.logger,
    });
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    const reason = buildFailureReason(error.stderr) || oneLine(error.message);
    throw new RegistryError(`docker login to ${registry} as '${creds.username}' failed${reason ? `: ${reason}` : ''}`, undefined);
  }
  return env;
}

async function prepareConfigDir(dir: string, source: string, registry: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const config = await readSourceConfig(join(source, 'config.json'));
  // A credsStore/credHelper would send the new password into the user's keychain; keep it in this dir.
  delete config.credsStore;
  const helpers = config.credHelpers as Record<string, unknown> | undefined;
  if (helpers && typeof helpers === 'object') delete helpers[registry];
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  for (const entry of SHARED_ENTRIES) {
    const from = join(source, entry);
    const to = join(dir, entry);
    if (existsSync(from) && !existsSync(to)) await symlink(from, to);
  }
}

async function readSourceConfig(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    // An unreadable user config is docker's problem elsewhere; here it only means nothing to inherit.
    return {};
  }
}
