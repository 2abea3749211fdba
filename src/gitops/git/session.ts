// Runs git for one promotion: argv only (through runtime/exec), English messages, no prompts, the identity and
// the remote's credential environment applied, network calls counted, failures turned into GitCommandErrors.
import type { Exec, ExecResult } from '../../runtime/exec.js';
import { formatCommand } from '../../runtime/exec.js';
import type { Logger } from '../../runtime/logger.js';
import { gitCommandError } from './failure.js';
import type { GitRemote } from './remote.js';

export interface GitIdentity {
  name: string;
  email: string;
}

export const DEFAULT_IDENTITY: GitIdentity = { name: 'digestpin', email: 'digestpin@users.noreply.github.com' };

export interface GitRunOptions {
  input?: string;
  /** This call talks to the remote (counted, longer timeout, failure named after the remote). */
  network?: boolean;
  /** What the call is, for the error message (`clone`, `push`, ...). Default: the subcommand. */
  operation?: string;
  branch?: string;
  /** Return the result instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  /** Working directory for this call (default: the clone). */
  cwd?: string;
}

export interface GitSession {
  readonly remote: GitRemote;
  readonly dir: string;
  run(args: readonly string[], options?: GitRunOptions): Promise<ExecResult>;
  /** Git commands that talked to the remote so far. */
  readonly calls: number;
}

const NETWORK_TIMEOUT_MS = 10 * 60_000;
const LOCAL_TIMEOUT_MS = 2 * 60_000;
/** An http(s) transfer that moves less than a byte a second for this long is a stalled server: abort it. */
export const DEFAULT_STALL_SECONDS = 60;

export function createGitSession(
  exec: Exec, logger: Logger, remote: GitRemote, dir: string, identity: GitIdentity, stallSeconds = DEFAULT_STALL_SECONDS,
): GitSession {
  const env: Record<string, string | undefined> = {
    ...remote.env,
    LC_ALL: 'C',
    LANGUAGE: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // The identity option wins over whatever the environment says; no global git config is needed.
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: identity.name,
    GIT_COMMITTER_EMAIL: identity.email,
    // Inherited from a hook or a surrounding repository, these would point git at the wrong repository.
    GIT_DIR: undefined,
    GIT_WORK_TREE: undefined,
    GIT_INDEX_FILE: undefined,
    GIT_OBJECT_DIRECTORY: undefined,
  };
  const globals = ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`,
    '-c', 'advice.detachedHead=false', '-c', 'core.autocrlf=false',
    // curl's low-speed limit: a server that stops answering fails in a minute (then is retried a little), not
    // after the 10-minute process timeout.
    '-c', 'http.lowSpeedLimit=1', '-c', `http.lowSpeedTime=${stallSeconds}`];
  let calls = 0;
  return {
    remote,
    dir,
    get calls() {
      return calls;
    },
    async run(args, options = {}) {
      const argv = [...globals, ...args];
      if (options.network) calls++;
      logger.debug(`$ ${formatCommand('git', args)}`);
      const result = await exec('git', argv, {
        cwd: options.cwd ?? dir,
        env,
        input: options.input,
        allowFailure: true,
        timeoutMs: options.network ? NETWORK_TIMEOUT_MS : LOCAL_TIMEOUT_MS,
      });
      if (result.exitCode === 0 || options.allowFailure) return result;
      const operation = options.operation ?? args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git';
      const context = { operation, remote: remote.display, branch: options.branch };
      throw gitCommandError(`${result.stderr}\n${result.stdout}`, context);
    },
  };
}
