// Reads registry credentials from a docker config.json (`auths` with base64 `auth`, or username/password)
// and picks the ones for a registry host. Credential helpers (credsStore) are not run; they are reported.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { registerSecret } from '../runtime/secrets.js';
import type { Credentials } from './types.js';

export interface DockerConfigCredentials {
  credentials: Record<string, Credentials>;
  /** Hosts whose credentials live in a credential helper, which digestpin does not run. */
  helperHosts: string[];
}

/** $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function defaultDockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
}

/** `https://index.docker.io/v1/`, `http://host:5000/v2/` and `host:5000` all name a host the same way. */
export function normalizeConfigHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
}

function decodeEntry(entry: AuthEntry): Credentials | undefined {
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  if (!entry.auth) return undefined;
  const pair = Buffer.from(entry.auth, 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon <= 0) return undefined;
  registerSecret(entry.auth);
  return { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
}

/** Parses config.json text. A file that is not JSON gives no credentials rather than a crash on unrelated hosts. */
export function parseDockerConfig(text: string): DockerConfigCredentials {
  let json: { auths?: Record<string, AuthEntry>; credsStore?: string; credHelpers?: Record<string, string> };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    return { credentials: {}, helperHosts: [] };
  }
  const credentials: Record<string, Credentials> = {};
  const helperHosts = Object.keys(json.credHelpers ?? {}).map(normalizeConfigHost);
  for (const [key, entry] of Object.entries(json.auths ?? {})) {
    const decoded = decodeEntry(entry ?? {});
    if (decoded) {
      registerSecret(decoded.password);
      credentials[normalizeConfigHost(key)] = decoded;
    } else if (json.credsStore) helperHosts.push(normalizeConfigHost(key));
  }
  return { credentials, helperHosts };
}

/** Reads the file; a missing file means no credentials. */
export function loadDockerConfig(path: string): DockerConfigCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { credentials: {}, helperHosts: [] };
  }
  return parseDockerConfig(text);
}

/** Credentials for the first of `hosts` that has any: explicit ones first, then the docker config. */
export function findCredentials(
  hosts: string[],
  explicit: Record<string, Credentials> | undefined,
  fromConfig: Record<string, Credentials>,
): Credentials | undefined {
  const names = hosts.map(normalizeConfigHost);
  const normalizedExplicit = Object.fromEntries(Object.entries(explicit ?? {}).map(([k, v]) => [normalizeConfigHost(k), v]));
  for (const name of names) if (normalizedExplicit[name]) return normalizedExplicit[name];
  for (const name of names) if (fromConfig[name]) return fromConfig[name];
  return undefined;
}
