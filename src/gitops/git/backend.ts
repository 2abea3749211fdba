// Plain-git GitOps backend: any remote (file, local path, ssh, https). One commit per promotion, made in a
// shallow sparse clone; the base branch is pushed only as a fast-forward, the promotion branch with a lease, and
// a lost race is fetched, re-applied to the fresh text and retried with jittered backoff (bounded).
//
// Operations: direct mode -> `committed` | `unchanged`. Pull-request mode: git has no pull request API, so the
// branch is pushed and the result is `committed` with `branch` set (a notice says the PR must be opened by hand
// or by the forge); on GitLab the push options open/update a merge request -> `created` (branch was new) or
// `updated` (branch existed). `unchanged` when the base or the branch already holds exactly this content; an
// older branch for the same target is left alone (there is no PR here to close). Dry run -> `none` with the
// changed files, or `unchanged`.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DigestpinError, GitOpsError, InputError } from '../../runtime/errors.js';
import { exec as defaultExec, type Exec } from '../../runtime/exec.js';
import type { Logger } from '../../runtime/logger.js';
import type { ChangedFile, FileEdit, FileEditResult, GitOpsBackend, PromotionRequest, PromotionResult } from '../types.js';
import { checkTargetPath, gitLabPushOptions, parseMergeRequest, pushArgs, type PushPlan } from './argv.js';
import { backoffDelay, nextRetry, type RetryState } from './backoff.js';
import { classifyGitFailure, GitCommandError, gitDetail, gitFailureMessage, pushRejection, refConflict, RETRYABLE } from './failure.js';
import { redact } from '../../runtime/secrets.js';
import { readGitHistory } from './history.js';
import { parseRemote } from './remote.js';
import { createGitSession, DEFAULT_IDENTITY, type GitIdentity, type GitSession } from './session.js';
import { cloneSparse, commitTargets, fetchRemoteBranch, readTarget, refreshBase, writeTarget } from './workspace.js';

export interface GitBackendOptions {
  /** Git URL (file, ssh, https, scp-style) or local path. Default: the request's `repository`. */
  remote?: string;
  /** Where the temporary clone goes (the action passes RUNNER_TEMP); it is removed afterwards. */
  workDir: string;
  logger: Logger;
  exec?: Exec;
  identity?: GitIdentity;
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1) source for the backoff jitter. */
  random?: () => number;
  /** Seconds without progress before an http(s) transfer is abandoned as stalled (default 60). */
  stallSeconds?: number;
  /** Use GitLab merge-request push options (default: when the host name contains `gitlab`). */
  gitlab?: boolean;
}

interface Context {
  session: GitSession;
  request: PromotionRequest;
  paths: string[];
  options: GitBackendOptions;
  /**
   * Commits this run has tried to push, with the files they changed. A push whose acknowledgement was lost (the
   * connection dropped after the server updated the ref) looks like a failure; the next attempt finds one of
   * these at the remote head and reports it as this run's own commit instead of `unchanged`.
   */
  pushed: Map<string, ChangedFile[]>;
  /** The promotion branch existed before this run's first push (GitLab: `updated` rather than `created`). */
  branchExisted?: boolean;
}

export function createGitBackend(options: GitBackendOptions): GitOpsBackend {
  return { promote: (request) => promoteWithGit(options, request), history: (query) => readGitHistory(options, query) };
}

async function promoteWithGit(options: GitBackendOptions, request: PromotionRequest): Promise<PromotionResult> {
  const paths = [...new Set(request.edits.map((e) => checkTargetPath(e.path)))];
  if (paths.length === 0) throw new GitOpsError('nothing to promote: the request has no file edits');
  if (request.mode === 'pull-request' && request.branch === request.baseBranch) {
    throw new InputError('branch', `the promotion branch '${request.branch}' is the base branch; use direct mode or another branch name`);
  }
  const remote = parseRemote(options.remote ?? request.repository, { gitlab: options.gitlab });
  await mkdir(options.workDir, { recursive: true });
  const root = await mkdtemp(join(options.workDir, 'digestpin-git-'));
  const session = createGitSession(options.exec ?? defaultExec, options.logger, remote, join(root, 'repo'),
    options.identity ?? DEFAULT_IDENTITY, options.stallSeconds);
  const ctx: Context = { session, request, paths, options, pushed: new Map() };
  let cloned = false;
  try {
    const result = await withRetries(ctx, async () => {
      // The first attempt clones (again, if a dropped connection broke the clone); later ones fetch the new head.
      let head: string;
      if (cloned) head = await refreshBase(session, request.baseBranch);
      else {
        await rm(session.dir, { recursive: true, force: true });
        head = await cloneSparse(session, request.baseBranch, paths);
        cloned = true;
      }
      return request.mode === 'direct' ? directAttempt(ctx, head) : branchAttempt(ctx);
    });
    return { ...result, calls: session.calls };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

type Attempt = Omit<PromotionResult, 'calls'>;

/** Runs attempts until one returns; a retryable git failure is followed by a jittered pause and a fresh attempt. */
async function withRetries(ctx: Context, attempt: () => Promise<Attempt>): Promise<Attempt> {
  const sleep = ctx.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let state: RetryState = { attempts: 0, transient: 0 };
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      const next = nextRetry(state, error.kind);
      if (!next) throw exhausted(error, n);
      state = next;
      const delay = backoffDelay(n, ctx.options.random);
      ctx.options.logger.info(`${error.message}; retrying in ${delay} ms (attempt ${n + 1})`);
      await sleep(delay);
    }
  }
}

function exhausted(error: GitCommandError, attempts: number): GitOpsError {
  if (attempts === 1 || !RETRYABLE.has(error.kind)) return error;
  return new GitOpsError(`${error.message} (gave up after ${attempts} attempts)`, undefined, { cause: error });
}

/** Reads each target once, applies its edits in order, keeps the files whose text changed. */
async function applyEdits(ctx: Context): Promise<ChangedFile[]> {
  const changed: ChangedFile[] = [];
  for (const path of ctx.paths) {
    const before = await readTarget(ctx.session, path);
    let text = before;
    let summary: ChangedFile['summary'];
    for (const edit of ctx.request.edits.filter((e) => e.path === path)) {
      const result = applyOne(edit, text, ctx.session.remote.display);
      text = result.text;
      summary = result.summary ?? summary;
    }
    if (text !== undefined && text !== before) changed.push({ path, before, after: text, summary });
  }
  return changed;
}

function applyOne(edit: FileEdit, text: string | undefined, remote: string): FileEditResult {
  try {
    return edit.apply(text);
  } catch (error) {
    // A conflict is not retried: the fresh text will not apply any better on the next attempt.
    if (error instanceof DigestpinError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new GitOpsError(`${edit.path} in ${remote}: the edit could not be applied: ${reason}`, undefined, { cause: error });
  }
}

async function commitChanges(ctx: Context, changed: ChangedFile[]) {
  for (const file of changed) await writeTarget(ctx.session, file.path, file.after);
  const { commitMessage } = ctx.request.describe(changed);
  return commitTargets(ctx.session, changed.map((f) => f.path), commitMessage);
}

async function directAttempt(ctx: Context, head: string): Promise<Attempt> {
  const { session, request } = ctx;
  const landed = ctx.pushed.get(head);
  if (landed) return ownCommit(ctx, head, request.baseBranch, landed);
  const changedFiles = await applyEdits(ctx);
  if (changedFiles.length === 0) return { operation: 'unchanged', changedFiles };
  if (request.dryRun) return { operation: 'none', changedFiles };
  const { commit } = await commitChanges(ctx, changedFiles);
  ctx.pushed.set(commit, changedFiles);
  await push(session, commit, { branch: request.baseBranch });
  ctx.options.logger.info(`pushed ${commit.slice(0, 12)} to ${session.remote.display} branch '${request.baseBranch}'`);
  return { operation: 'committed', commitSha: commit, changedFiles };
}

async function branchAttempt(ctx: Context): Promise<Attempt> {
  const { session, request, options } = ctx;
  const existing = await fetchRemoteBranch(session, request.branch);
  const landed = existing && ctx.pushed.get(existing.commit);
  if (landed) return ownCommit(ctx, existing.commit, request.branch, landed);
  ctx.branchExisted ??= Boolean(existing);
  const changedFiles = await applyEdits(ctx);
  if (changedFiles.length === 0) {
    if (existing) options.logger.info(`'${request.baseBranch}' already holds this pin; branch '${request.branch}' on ${session.remote.display} is left as it is (close its merge request by hand if it is stale)`);
    return { operation: 'unchanged', changedFiles };
  }
  if (request.dryRun) return { operation: 'none', changedFiles, branch: request.branch };
  const { commit, tree } = await commitChanges(ctx, changedFiles);
  if (existing?.tree === tree) return { operation: 'unchanged', changedFiles, branch: request.branch, commitSha: existing.commit };
  // A reviewer's commit on the promotion branch is kept: digestpin only replaces a branch it made itself.
  const foreign = existing && !request.pullRequest?.forceUpdate ? await foreignTip(ctx, existing.commit) : undefined;
  if (foreign) {
    const reason = `branch '${request.branch}' on ${session.remote.display} ends in a commit digestpin did not make (${foreign}); it is left as it is: merge or close its merge request, delete the branch, or set force-update: true to replace it`;
    options.logger.warning(reason);
    return { operation: 'blocked', reason, changedFiles: [], branch: request.branch, commitSha: existing!.commit };
  }
  const { title } = request.describe(changedFiles);
  const gitlab = session.remote.gitlab ? gitLabPushOptions(request.baseBranch, title, request.pullRequest) : undefined;
  ctx.pushed.set(commit, changedFiles);
  const output = await push(session, commit, { branch: request.branch, lease: existing?.commit ?? '', pushOptions: gitlab });
  const result: Attempt = { operation: 'committed', commitSha: commit, changedFiles, branch: request.branch };
  if (!gitlab) {
    options.logger.info(`pushed branch '${request.branch}' to ${session.remote.display}; git has no pull request API, so open the pull request into '${request.baseBranch}' by hand or let the forge do it`);
    return result;
  }
  const mr = parseMergeRequest(output);
  return { ...result, operation: existing ? 'updated' : 'created', pullRequestUrl: mr?.url, pullRequestNumber: mr?.number };
}

/**
 * The promotion branch's tip, when someone other than digestpin committed it: `sha by name <email>`. digestpin
 * always commits one commit on top of base, under its own identity, so a tip with another committer is a person's
 * (or another tool's) work, which a forced push would throw away.
 */
async function foreignTip(ctx: Context, tip: string): Promise<string | undefined> {
  const identity = ctx.options.identity ?? DEFAULT_IDENTITY;
  const shown = (await ctx.session.run(['log', '-1', '--format=%cn%x00%ce', tip])).stdout.trim();
  const [name = '', email = ''] = shown.split('\0');
  if (email.toLowerCase() === identity.email.toLowerCase()) return undefined;
  return `${tip.slice(0, 12)} by ${name} <${email}>`;
}

/** The remote holds a commit this run pushed though git reported a failure: the acknowledgement was lost. */
function ownCommit(ctx: Context, commit: string, branch: string, changedFiles: ChangedFile[]): Attempt {
  const { session, request, options } = ctx;
  options.logger.info(`${session.remote.display} branch '${branch}' already holds ${commit.slice(0, 12)}, this run's own commit: the push landed though its acknowledgement was lost`);
  if (request.mode === 'direct') return { operation: 'committed', commitSha: commit, changedFiles };
  const operation = session.remote.gitlab ? (ctx.branchExisted ? 'updated' : 'created') : 'committed';
  return { operation, commitSha: commit, changedFiles, branch };
}

/** Push; a rejection (porcelain `!` line) or failure becomes a classified GitCommandError. Returns git's output. */
async function push(session: GitSession, commit: string, plan: PushPlan): Promise<string> {
  const result = await session.run(pushArgs(commit, plan), { network: true, allowFailure: true });
  const output = `${result.stderr}\n${result.stdout}`;
  if (result.exitCode === 0) return output;
  const rejection = pushRejection(result.stdout);
  // A name collision hides behind the porcelain's "failed to update ref", which otherwise reads as a race.
  const conflict = refConflict(output);
  if (conflict) throw new GitCommandError('ref-conflict', gitFailureMessage('ref-conflict', { operation: 'push', remote: session.remote.display, branch: plan.branch }, redact(conflict)));
  const kind = classifyGitFailure(rejection ?? output);
  // A hook's own words ("remote: You are not allowed to push to protected branches") say more than "declined".
  const said = result.stderr.split('\n').filter((l) => /^remote:\s*\S/.test(l)).map((l) => l.replace(/^remote:\s*/, '').trim());
  const detail = rejection ? [rejection, ...said.slice(0, 2)].join('; ') : gitDetail(output);
  throw new GitCommandError(kind, gitFailureMessage(kind, { operation: 'push', remote: session.remote.display, branch: plan.branch }, redact(detail)));
}
