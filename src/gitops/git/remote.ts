// Turns the user's remote (URL, scp-style ssh, or local path) into what git is given: a URL without credentials,
// a display form for messages, and environment that carries the credentials as an HTTP header. Pure.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerSecret } from '../../runtime/secrets.js';
import { checkRemoteUrl, type RemoteCredentials } from './remote-url.js';

export interface GitRemote {
  /** What git is given: never contains credentials. */
  url: string;
  /** What messages show: the URL without user or password. */
  display: string;
  /** Extra environment for every git call that talks to this remote (credentials live here, never in argv). */
  env: Record<string, string>;
  /**
   * `git upload-pack` command for file:// remotes. A local upload-pack reads the repository's own config, where
   * `uploadpack.allowFilter` is usually off, so the partial clone would silently fetch every blob.
   */
  uploadPack?: string;
  /** GitLab understands `merge_request.*` push options. */
  gitlab: boolean;
}

export interface RemoteOptions {
  /** Force GitLab push options on or off; by default on when the host name contains `gitlab`. */
  gitlab?: boolean;
  /** Base for relative local paths (default: the process working directory). */
  cwd?: string;
  /** The process environment, to append to an existing GIT_CONFIG_COUNT (default: process.env). */
  baseEnv?: Record<string, string | undefined>;
  /** Input named in errors (default `gitops-repository`). */
  input?: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SCP_LIKE = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)/;
export const LOCAL_UPLOAD_PACK = 'git -c uploadpack.allowFilter=true upload-pack';

export function parseRemote(remote: string, options: RemoteOptions = {}): GitRemote {
  const trimmed = remote.trim();
  if (SCHEME.test(trimmed)) return parseUrlRemote(trimmed, options);
  checkRemoteUrl(trimmed, options.input);
  const scp = SCP_LIKE.exec(trimmed);
  if (scp && !isAbsolute(trimmed)) {
    return { url: trimmed, display: trimmed, env: {}, gitlab: options.gitlab ?? isGitLabHost(scp[1] ?? '') };
  }
  // A plain path: use file:// so git does a real (shallow, filtered) transfer instead of a hard-linked local copy.
  const url = pathToFileURL(resolve(options.cwd ?? process.cwd(), trimmed)).href;
  return { url, display: url, env: {}, uploadPack: LOCAL_UPLOAD_PACK, gitlab: options.gitlab ?? false };
}

function parseUrlRemote(remote: string, options: RemoteOptions): GitRemote {
  // The same check the inputs made: unsafe credentials are refused, the rest registered as secrets.
  const checked = checkRemoteUrl(remote, options.input);
  const parsed = new URL(remote);
  parsed.username = '';
  parsed.password = '';
  const url = parsed.href;
  const gitlab = options.gitlab ?? isGitLabHost(parsed.hostname);
  if (parsed.protocol === 'file:') return { url, display: url, env: {}, uploadPack: LOCAL_UPLOAD_PACK, gitlab };
  if (!checked.credentials) return { url: checked.display, display: checked.display, env: {}, gitlab };
  return { url, display: url, env: authEnv(parsed, checked.credentials, options.baseEnv ?? process.env), gitlab };
}

/**
 * Credentials go in `http.<origin>/.extraHeader` through GIT_CONFIG_* environment variables: not in argv (which
 * other users can read in `ps`), not in a file. git sends an extra header to wherever a redirect leads, so
 * `http.followRedirects` is off for this remote: a server that redirects elsewhere gets a failed fetch, not the
 * header (git's default follows redirects on the first request of each operation).
 */
function authEnv(url: URL, credentials: RemoteCredentials, baseEnv: Record<string, string | undefined>) {
  const { user, password } = credentials;
  const pair = `${user}:${password}`;
  registerSecret(pair);
  const header = `Authorization: Basic ${Buffer.from(pair).toString('base64')}`;
  registerSecret(header);
  const index = Number.parseInt(baseEnv.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  return {
    GIT_CONFIG_COUNT: String(index + 2),
    [`GIT_CONFIG_KEY_${index}`]: `http.${url.origin}/.extraHeader`,
    [`GIT_CONFIG_VALUE_${index}`]: header,
    [`GIT_CONFIG_KEY_${index + 1}`]: 'http.followRedirects',
    [`GIT_CONFIG_VALUE_${index + 1}`]: 'false',
  };
}

export function isGitLabHost(host: string): boolean {
  return host.toLowerCase().includes('gitlab');
}
