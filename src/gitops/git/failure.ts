// Reads git's stderr and `push --porcelain` output into a failure kind (race, transient, auth, ...) and one-line
// messages that name the remote (never its credentials). Pure; git runs with LC_ALL=C so the texts are stable.
import { GitOpsError } from '../../runtime/errors.js';
import { redact } from '../../runtime/secrets.js';

export type GitFailureKind =
  | 'race' // someone else moved the ref: fetch, re-apply, retry
  | 'redirect' // an http(s) remote with credentials answered with a redirect, which git is told not to follow
  | 'ref-conflict' // the branch name collides with an existing branch (`a` beside `a/b`): no retry can help
  | 'rejected' // the remote refused the push (a hook, a protected branch): maybe transient, retried a little
  | 'transient' // the connection dropped or the server failed: retried a little
  | 'auth'
  | 'not-found'
  | 'branch-missing'
  | 'unreachable'
  | 'other';

/** `'refs/heads/main' exists; cannot create 'refs/heads/main/dev/agents'` (files backend) and its variants. */
const REF_CONFLICT = /'(refs\/[^']+)' exists; cannot create '(refs\/[^']+)'|there are still refs under '(refs\/[^']+)'|blocking reference '(refs\/[^']+)'/i;

const PATTERNS: Array<[GitFailureKind, RegExp]> = [
  ['ref-conflict', REF_CONFLICT],
  ['redirect', /returned error: 30[0-8]\b/],
  ['branch-missing', /Remote branch \S+ not found in upstream|couldn't find remote ref|cloned an empty repository/i],
  ['auth', /Authentication failed|could not read (Username|Password)|Permission denied \(|returned error: 40[13]|HTTP 40[13]|access denied|not authorized|Invalid username or password/i],
  ['not-found', /does not appear to be a git repository|repository '[^']*' not found|Repository not found|returned error: 404|HTTP 404|project you were looking for could not be found/i],
  ['race', /non-fast-forward|fetch first|stale info|incorrect old value|cannot lock ref|failed to lock|failed to update ref|but expected|reference already exists/i],
  ['rejected', /hook declined|remote rejected|pre-receive|protected branch/i],
  ['unreachable', /Could not resolve host|Connection refused|Failed to connect|No route to host|Network is unreachable|unable to look up|Name or service not known/i],
  ['transient', /early EOF|Operation too slow|hung up|RPC failed|returned error: 5\d\d|HTTP 5\d\d|unexpected disconnect|Connection reset|timed out|index-pack failed|transfer closed|SSL_read|gnutls|Broken pipe|packet write failed/i],
];

/** The conflict line, when git's output holds one: it says more than the porcelain `failed to update ref`. */
export function refConflict(output: string): string | undefined {
  const line = output.split('\n').find((l) => REF_CONFLICT.test(l));
  return line?.replace(/^remote:\s*/, '').replace(/^error:\s*/, '').trim();
}

export function classifyGitFailure(output: string): GitFailureKind {
  // A network command that failed without a word (killed, or the connection died before git could say
  // why) is retried a little like a dropped connection: clone and fetch are read-only, pushes are leased.
  if (!output.trim()) return 'transient';
  for (const [kind, pattern] of PATTERNS) if (pattern.test(output)) return kind;
  return 'other';
}

export const RETRYABLE: ReadonlySet<GitFailureKind> = new Set(['race', 'rejected', 'transient']);

/** A git command failed; `kind` tells the retry loop whether another attempt can help. */
export class GitCommandError extends GitOpsError {
  readonly kind: GitFailureKind;
  constructor(kind: GitFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, undefined, options);
    this.kind = kind;
  }
}

/** The line worth showing from git's output: the last `fatal:`/`error:`/rejection line, or the last line. */
export function gitDetail(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/^remote:\s*/, '').trim())
    .filter((l) => l && !/^(hint:|To |Done$)/.test(l));
  // The first `fatal:` says what went wrong; later ones ("Could not read from remote repository") only repeat it.
  const fatal = lines.find((l) => /^fatal:/i.test(l));
  const key = fatal ?? [...lines].reverse().find((l) => /^error:|\[(remote )?rejected\]|declined/i.test(l));
  const line = key ?? lines.at(-1) ?? '';
  return redact(line.replace(/^(fatal|error):\s*/i, '').replace(/^!\t[^\t]*\t/, ''));
}

export interface FailureContext {
  /** What git was doing, e.g. `clone`, `push`. */
  operation: string;
  /** The remote's display form (no credentials). */
  remote: string;
  /** The branch the operation was about. */
  branch?: string;
}

export function gitFailureMessage(kind: GitFailureKind, ctx: FailureContext, detail: string): string {
  const { operation, remote, branch } = ctx;
  switch (kind) {
    case 'auth':
      return `git ${operation} on ${remote} was refused: the credentials are missing or lack ${operation === 'push' ? 'write' : 'read'} access to this repository (${detail})`;
    case 'not-found':
      return `git remote ${remote} was not found or is not readable: check the repository URL or path (${detail})`;
    case 'branch-missing':
      return `branch '${branch ?? '?'}' does not exist on ${remote}: create it or pass the right base branch`;
    case 'unreachable':
      return `could not reach git remote ${remote} for ${operation}: ${detail}`;
    case 'redirect':
      return `git ${operation} on ${remote} was redirected (${detail.match(/30\d/)?.[0] ?? 'HTTP 3xx'}) and the redirect was not followed (it is turned off for a remote with credentials, so they can't reach another server): give the URL it redirects to`;
    case 'ref-conflict':
      return `git ${operation} to ${remote}${branch ? ` branch '${branch}'` : ''} can never succeed: the name collides with an existing branch (git can't hold both 'a' and 'a/b'); choose another branch-template or base branch (${detail})`;
    case 'race':
      return `git ${operation} to ${remote}${branch ? ` branch '${branch}'` : ''} lost a race with another writer: ${detail}`;
    case 'rejected':
      return `the remote ${remote} rejected the ${operation}${branch ? ` to branch '${branch}'` : ''}: ${detail}`;
    default:
      return `git ${operation} on ${remote} failed: ${detail}`;
  }
}

export function gitCommandError(output: string, ctx: FailureContext, cause?: unknown): GitCommandError {
  const kind = classifyGitFailure(output);
  return new GitCommandError(kind, gitFailureMessage(kind, ctx, gitDetail(output) || 'no output'), { cause });
}

/** Result of `git push --porcelain`: per-ref lines `<flag>\t<from>:<to>\t<summary>`; `!` marks a rejection. */
export function pushRejection(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('!\t'));
  return line?.split('\t').slice(2).join(' ').trim();
}
