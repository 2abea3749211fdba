// The one way digestpin runs processes: an argv array (never a shell), the command echoed with
// secrets masked, stderr kept for the error, output optionally streamed into the log.
import { execa } from 'execa';
import { ExecError } from './errors.js';
import type { Logger } from './logger.js';
import { redactLog } from './secrets.js';

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Echo the command and stream its output lines into this logger. */
  logger?: Logger;
  /** Do not echo the command (for very chatty internal calls such as git plumbing). */
  quiet?: boolean;
  /** Return instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  timeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(file: string, args: readonly string[]): string {
  return redactLog([file, ...args].map(quote).join(' '));
}

export const exec: Exec = async (file, args, options = {}) => {
  const { logger } = options;
  if (logger && !options.quiet) logger.info(`$ ${formatCommand(file, args)}`);
  const child = execa(file, [...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    input: options.input,
    reject: false,
    timeout: options.timeoutMs,
    stripFinalNewline: true,
    lines: false,
  });
  if (logger && !options.quiet) {
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logger.info(line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
  }
  const result = await child;
  const out: ExecResult = {
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    exitCode: result.exitCode ?? (result.failed ? 1 : 0),
  };
  if (result.failed && !options.allowFailure) {
    const reason = result.timedOut
      ? `timed out after ${options.timeoutMs} ms`
      : result.exitCode === undefined
        ? (result.originalMessage ?? 'could not start')
        : `exited with ${result.exitCode}`;
    const tail = redactLog(out.stderr.trim().split('\n').slice(-3).join(' ').trim());
    throw new ExecError(`${formatCommand(file, args)} ${reason}${tail ? `: ${tail}` : ''}`, result.exitCode, redactLog(out.stderr));
  }
  return out;
};
