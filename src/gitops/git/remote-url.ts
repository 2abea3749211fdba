// Checks a GitOps remote given as a URL or scp-style address before anything runs: it must parse, and it may
// carry credentials only where git sends them safely (https, or http to a loopback host). Pure but for
// registering the credentials as secrets, which happens here, when inputs are read, before anything is logged.
// Light on purpose: inputs.ts (the action's start-up path) imports it.
import { InputError } from '../../runtime/errors.js';
import { isLoopback } from '../../registry/reference.js';
import { registerSecret } from '../../runtime/secrets.js';

export interface RemoteCredentials {
  user: string;
  password: string;
}

export interface CheckedRemote {
  /** The remote as the user wrote it, without user and password: what logs and errors show. */
  display: string;
  /** Present only for an http(s) URL that carried credentials. */
  credentials?: RemoteCredentials;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** Schemes git can fetch from; anything else is a typo or a trick. */
const GIT_SCHEMES = new Set(['https', 'http', 'ssh', 'git+ssh', 'ssh+git', 'git', 'file', 'ftp', 'ftps']);
const BAD_PERCENT = /%(?![0-9a-f]{2})/i;

/** The raw text with any `user:password@` part replaced, for messages about a value that did not parse. */
function withoutUserinfo(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@').replace(/^[^/@:]*:[^/@]*@/, '***@');
}

function decode(part: string, input: string, shown: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new InputError(input, `'${shown}' has a '%' in its user or password that is not followed by two hex digits; percent-encode it as %25`);
  }
}

/**
 * Checks `raw` (a URL or an scp-style `user@host:path`) and registers its credentials as secrets. Local paths
 * are returned as they are. Throws an InputError naming `input` that never echoes a password.
 */
export function checkRemoteUrl(raw: string, input = 'gitops-repository'): CheckedRemote {
  const value = raw.trim();
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (!scheme) {
    // scp-style `user:password@host:path`: git would hand the password to ssh in argv, readable by every user.
    if (/^[^/@:]*:[^/@]*@[^/]*:/.test(value)) {
      registerSecret(value.slice(0, value.indexOf('@')));
      throw new InputError(input, `'${withoutUserinfo(value)}' holds a password in an scp-style address, which ssh can't take safely; use an ssh key (ssh-agent) or an https URL with a token`);
    }
    return { display: value };
  }
  const at = value.indexOf('@', scheme.length + 3);
  const end = value.slice(scheme.length + 3).search(/[/?#]/);
  const userinfo = at >= 0 && (end < 0 || at < scheme.length + 3 + end) ? value.slice(scheme.length + 3, at) : '';
  // Registered first: any message from here on, and every later log line, shows it masked. A lone user name
  // (ssh://deploy@host) is a login, not a secret; a lone https user is a token and is registered below.
  if (userinfo.includes(':')) {
    registerSecret(userinfo);
    registerSecret(userinfo.slice(userinfo.indexOf(':') + 1));
  }
  const shown = withoutUserinfo(value);
  if (!GIT_SCHEMES.has(scheme)) throw new InputError(input, `'${shown}' uses ${scheme}://, which git does not fetch from; use https://, ssh:// or a path`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, `'${shown}' is not a valid URL (check the host, the port (1-65535) and any '%' escapes)`);
  }
  if (BAD_PERCENT.test(value)) throw new InputError(input, `'${shown}' has a '%' that is not followed by two hex digits; percent-encode it as %25`);
  const user = decode(url.username, input, shown);
  const password = decode(url.password, input, shown);
  registerSecret(password);
  url.username = '';
  url.password = '';
  const display = url.href;
  if (!user && !password) return { display: scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git' ? value : display };
  if (scheme === 'https' || (scheme === 'http' && isLoopback(url.host))) {
    // `https://TOKEN@host` carries the token in the user part.
    if (!password) registerSecret(user);
    return { display, credentials: { user, password } };
  }
  if (scheme.includes('ssh') && !password) return { display: value };
  const why = scheme === 'http' ? 'plain http would send them unencrypted' : `git would pass them to ${scheme.includes('ssh') ? 'ssh' : scheme} in its argv and logs`;
  throw new InputError(input, `'${display}' carries credentials on ${scheme}://, where ${why}; use https:// with a token (or an ssh key for ssh://)`);
}
