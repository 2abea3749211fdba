// Writing the promotion branch without ever pointing it at base (GitHub closes a PR whose head has no commits, for
// good): create it, commit on its head, or rebuild it on a scratch branch and move it with one checked updateRefs.
import { randomBytes } from 'node:crypto';
import { GitOpsError } from '../../runtime/errors.js';
import type { Logger } from '../../runtime/logger.js';
import { redact } from '../../runtime/secrets.js';
import { describeFailure } from '../errors.js';
import { boundFailure } from './bounded-fetch.js';
import type { ChangedFile, PromotionRequest } from '../types.js';
import { RecoverableError, type GitHubApi } from './api.js';
import { commitTrailers } from './ownership.js';
import { fileChanges, type RepoState, type WriteHow } from './plan.js';
import { COMMIT_MUTATION, UPDATE_REFS_MUTATION } from './queries.js';
import type { Target } from './pull-request.js';

export const ZERO_OID = '0'.repeat(40);

export interface WriteCtx {
  api: GitHubApi;
  t: Target;
  request: PromotionRequest;
  logger: Logger;
  /** Random per promotion; in each commit's trailer, so a commit whose answer was lost is still known as ours. */
  runId: string;
}

export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * A failure after which the commit may or may not have landed (no answer, a dropped connection, a 5xx): re-read and
 * look, rather than report a failure for a commit that exists. A GraphQL error answer (FORBIDDEN...) is definite.
 */
function ambiguous(error: unknown): boolean {
  if (error instanceof RecoverableError) return false;
  if (boundFailure(error)) return true;
  const cause = (error as { cause?: { status?: number; errors?: unknown } }).cause;
  if (Array.isArray(cause?.errors)) return false;
  const status = cause?.status ?? (error as { status?: number }).status;
  return status !== undefined && status >= 500;
}

/** One signed createCommitOnBranch on `branch`, expecting `expectedHeadOid`. Returns the new commit's oid. */
export async function commit(ctx: WriteCtx, branch: string, expectedHeadOid: string, changes: ChangedFile[], message: string): Promise<string> {
  const [headline = '', ...rest] = message.split('\n');
  const body = [rest.join('\n').trim(), commitTrailers(ctx.request.mode === 'pull-request' ? ctx.request.branch : ctx.request.baseBranch, ctx.runId)].filter(Boolean).join('\n\n');
  const input = {
    branch: { repositoryNameWithOwner: ctx.t.repository, branchName: branch },
    expectedHeadOid,
    message: { headline, body },
    fileChanges: fileChanges(changes),
  };
  try {
    const data = await ctx.api.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(COMMIT_MUTATION, { input }, {
      step: 'commit',
      repository: ctx.t.repository,
      paths: changes.map((c) => c.path),
    });
    return data.createCommitOnBranch.commit.oid;
  } catch (error) {
    // expectedHeadOid makes a second try safe: if the first landed, the re-read finds this run's trailer on the head.
    if (ambiguous(error)) throw new RecoverableError('lost', `the answer to the commit was lost (${(error as Error).message})`, error);
    throw error;
  }
}

async function createRef(ctx: WriteCtx, name: string, oid: string, step: 'create-branch'): Promise<void> {
  const { t } = ctx;
  await ctx.api.rest('POST /repos/{owner}/{repo}/git/refs', { owner: t.owner, repo: t.repo, ref: `refs/heads/${name}`, sha: oid }, { repository: t.repository, step });
}

async function updateRefs(ctx: WriteCtx, repositoryId: string, refUpdates: Array<{ name: string; beforeOid: string; afterOid: string; force?: boolean }>): Promise<void> {
  await ctx.api.graphql(UPDATE_REFS_MUTATION, { input: { repositoryId, refUpdates } }, { step: 'move-branch', repository: ctx.t.repository });
}

/**
 * Scratch branch beside the promotion branch (a sibling name, so it never collides with it in git's ref store), fresh
 * per attempt: a scratch ref an earlier attempt could not delete (its answer was lost) is never in the way.
 */
function scratchName(branch: string, runId: string): string {
  return `${branch}.digestpin-${runId}-${randomBytes(3).toString('hex')}`;
}

/** A scratch ref is this run's alone: deleted without a check. Already gone (the atomic move took it) is fine. */
async function deleteScratch(ctx: WriteCtx, scratch: string): Promise<void> {
  const { t } = ctx;
  try {
    await ctx.api.rest('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { owner: t.owner, repo: t.repo, ref: `heads/${scratch}` }, { repository: t.repository, step: 'delete-branch' });
  } catch (error) {
    if (/reference does not exist/i.test((error as Error).message)) return;
    ctx.logger.warning(`could not delete the scratch branch '${scratch}' in ${t.repository} (delete it by hand): ${(error as Error).message}`);
  }
}

/**
 * GitHub refused the checked move of the promotion branch. If the re-read finds the branch still at `beforeOid`, the
 * refusal was not a race but a rule (a ruleset blocking force pushes): the caller reports `refusal` at once.
 */
export class MoveRefused extends RecoverableError {
  constructor(
    readonly beforeOid: string,
    readonly refusal: GitOpsError,
  ) {
    super('stale', `promotion branch moved while it was rebuilt (${refusal.message})`);
  }
}

function moveRefused(ctx: WriteCtx, beforeOid: string, error: unknown): MoveRefused {
  const cause = error instanceof GitOpsError ? (error as { cause?: unknown }).cause ?? error : error;
  const said = redact(describeFailure(cause).message).replace(/\s+/g, ' ').trim();
  return new MoveRefused(beforeOid, new GitOpsError(`promotion branch '${ctx.request.branch}' of ${ctx.t.repository}: GitHub refused to move it to the rebuilt commit: ${said}`));
}

/**
 * Commit on a scratch branch at base, then, in one atomic updateRefs, move the promotion branch from the head this run
 * read (beforeOid) to the new commit and delete the scratch branch. If the head moved, nothing changes and the caller
 * re-reads. Whatever fails, the scratch branch is deleted (REST, unconditionally: no one else writes it).
 */
async function rebuild(ctx: WriteCtx, state: RepoState, changes: ChangedFile[], message: string): Promise<string> {
  const branch = ctx.request.branch;
  const scratch = scratchName(branch, ctx.runId);
  let moved = false;
  try {
    await createRef(ctx, scratch, state.baseOid, 'create-branch').catch((error: unknown) => {
      // Only a stale scratch ref of this run can hold this name: re-read and start over with a fresh one.
      if (error instanceof RecoverableError && error.kind === 'ref-exists') throw new RecoverableError('stale', `scratch branch '${scratch}' already exists`);
      throw error;
    });
    const at = await commit(ctx, scratch, state.baseOid, changes, message);
    try {
      await updateRefs(ctx, state.repositoryId, [
        { name: `refs/heads/${branch}`, beforeOid: state.branchOid!, afterOid: at, force: true },
        { name: `refs/heads/${scratch}`, beforeOid: at, afterOid: ZERO_OID },
      ]);
    } catch (error) {
      if (error instanceof GitOpsError && /\(4\d\d\)|refused/.test(error.message)) throw error;
      // GitHub documents no message for a failed beforeOid check: whatever it says, re-read and decide again. For a
      // definite answer the re-read tells a race (the head moved) from a rule (it did not); an unanswered move is retried.
      if (ambiguous(error)) throw new RecoverableError('stale', `the answer to the branch move was lost (${(error as Error).message})`);
      throw moveRefused(ctx, state.branchOid!, error);
    }
    moved = true;
    return at;
  } finally {
    if (!moved) await deleteScratch(ctx, scratch);
  }
}

/** Puts the new commit on the promotion branch the way `how` says. Returns its oid. */
export async function writeBranch(ctx: WriteCtx, how: WriteHow, state: RepoState, changes: ChangedFile[], message: string): Promise<string> {
  const branch = ctx.request.branch;
  if (how === 'create') {
    try {
      await createRef(ctx, branch, state.baseOid, 'create-branch');
    } catch (error) {
      // A racer created it first: fine. The commit names the head it expects, so nothing is overwritten.
      if (!(error instanceof RecoverableError && error.kind === 'ref-exists')) throw error;
    }
    return commit(ctx, branch, state.baseOid, changes, message);
  }
  if (how === 'on-head') return commit(ctx, branch, state.branchOid!, changes, message);
  return rebuild(ctx, state, changes, message);
}
