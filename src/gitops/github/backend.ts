// GitHubBackend: a promotion is one read query, then at most a branch write (signed createCommitOnBranch), one PR call
// and one options call. The PR branch never points at base; someone else's commits on it are never overwritten
// (unless force-update); a PR a person closed is not reopened for the same change. Races are re-read and re-applied.
import type { Logger } from '../../runtime/logger.js';
import type { GitHubClient } from '../octokit.js';
import type { ChangedFile, GitOpsBackend, PromotionRequest, PromotionResult } from '../types.js';
import { createApi, RecoverableError } from './api.js';
import { readBlobText } from './blob.js';
import { readHistory } from './history.js';
import { applyOptions, missingOptions } from './options.js';
import { blockedMarker, madeByRun, proposalKey, proposalMarker } from './ownership.js';
import { applyEdits, decidePullRequest, parseRead, type OpenPullRequest, type RepoState } from './plan.js';
import { closeSuperseded, commentOn, openPullRequest, updatePullRequest, type Target } from './pull-request.js';
import { buildReadQuery, type ReadPlan } from './queries.js';
import { DEFAULT_RETRY, retryOnStale, type RetryPolicy } from './retry.js';
import { commit, MoveRefused, newRunId, writeBranch, type WriteCtx } from './write.js';

export interface GitHubBackendOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  logger: Logger;
  /** Race retry policy (direct mode and branch races); tests inject short delays. */
  retry?: Partial<RetryPolicy>;
}

type Ctx = WriteCtx;

function readPlan(ctx: Ctx, withBranch: boolean): ReadPlan {
  const { request: r, t } = ctx;
  const o = withBranch ? r.pullRequest ?? {} : {};
  const users = [...new Set([...(o.reviewers ?? []), ...(o.assignees ?? [])])];
  return { owner: t.owner, name: t.repo, baseBranch: r.baseBranch, paths: [...new Set(r.edits.map((e) => e.path))], branch: withBranch ? r.branch : undefined, labels: o.labels, users };
}

/**
 * GraphQL `Blob.text` stops at 512,000 bytes (`isTruncated`) and is not the bytes of a non-UTF-8 file: such files
 * are read in full from the REST blob API, and refused with the byte offset when they are not UTF-8.
 */
async function readFull(ctx: Ctx, state: RepoState): Promise<void> {
  for (const b of state.truncated) {
    const text = await readBlobText(ctx.api, ctx.t, b.oid, b.path);
    (b.side === 'base' ? state.baseTexts : state.branchTexts).set(b.path, text);
  }
}

async function read(ctx: Ctx, plan: ReadPlan): Promise<RepoState> {
  const q = buildReadQuery(plan);
  const data = await ctx.api.graphql<{ repository: Record<string, unknown> | null; viewer?: { login?: string } }>(q.query, q.variables, { step: 'read', repository: ctx.t.repository });
  const state = parseRead(data, plan.paths, plan);
  await readFull(ctx, state);
  return state;
}

function result(ctx: Ctx, partial: Omit<PromotionResult, 'calls'>): PromotionResult {
  return { ...partial, calls: ctx.api.calls };
}

async function promoteDirect(ctx: Ctx, policy: RetryPolicy): Promise<PromotionResult> {
  const { request: r } = ctx;
  let written: ChangedFile[] = [];
  return retryOnStale(policy, `base branch '${r.baseBranch}' of ${ctx.t.repository}`, async (attempt) => {
    if (attempt > 0) ctx.logger.info(`base branch '${r.baseBranch}' moved or an answer was lost; re-reading (attempt ${attempt + 1})`);
    const state = await read(ctx, readPlan(ctx, false));
    // The commit of an earlier attempt landed though its answer was lost: it is this run's commit.
    if (attempt > 0 && madeByRun(state.baseMessage, ctx.runId)) return result(ctx, { operation: 'committed', commitSha: state.baseOid, branch: r.baseBranch, changedFiles: written });
    const changes = applyEdits(r.edits, state.baseTexts);
    if (changes.length === 0) return result(ctx, { operation: 'unchanged', commitSha: state.baseOid, branch: r.baseBranch, changedFiles: [] });
    if (r.dryRun) return result(ctx, { operation: 'none', branch: r.baseBranch, changedFiles: changes });
    written = changes;
    const sha = await commit(ctx, r.baseBranch, state.baseOid, changes, r.describe(changes).commitMessage);
    ctx.logger.info(`committed ${changes.length} file(s) to '${r.baseBranch}' of ${ctx.t.repository}: ${sha}`);
    return result(ctx, { operation: 'committed', commitSha: sha, branch: r.baseBranch, changedFiles: changes });
  });
}

function supersededNote(r: PromotionRequest, state: RepoState): string {
  const pins = r.edits.flatMap((e) => {
    const s = e.apply(state.baseTexts.get(e.path)).summary;
    return s ? [`\`${s.file}\` (${s.service}, ${s.environment}) already pins \`${s.newDigest}\``] : [`\`${e.path}\` already holds this change`];
  });
  return `Superseded: \`${r.baseBranch}\` (commit ${state.baseOid.slice(0, 7)}) already holds the pin this pull request proposes: ${pins.join('; ')}. Closed by digestpin.`;
}

/** The branch pins what this run pins (so base holding it means the PR's proposal landed). False if it can't apply. */
function pinsSame(r: PromotionRequest, state: RepoState): boolean {
  if (state.branchOid === undefined) return false;
  try {
    return applyEdits(r.edits, state.branchTexts).length === 0;
  } catch {
    return false;
  }
}

type PrFields = Pick<PromotionResult, 'pullRequestNumber' | 'pullRequestUrl'>;
const prFields = (pr?: { number: number; url: string }): PrFields => (pr ? { pullRequestNumber: pr.number, pullRequestUrl: pr.url } : {});

/** Opens the PR, or updates the open one, then applies the options it lacks. */
async function publish(ctx: Ctx, state: RepoState, changes: ChangedFile[], commitSha: string | undefined, proposal: string): Promise<PromotionResult> {
  const { request: r, t } = ctx;
  const text = r.describe(changes);
  const body = `${text.body}\n\n${proposalMarker(proposal)}`;
  const done = { branch: r.branch, changedFiles: changes, commitSha };
  const options = r.pullRequest ?? {};
  const finish = async (pr: { id: string; number: number; url: string; draft?: boolean }, existing: OpenPullRequest | undefined, operation: 'created' | 'updated') => {
    const inputs = await missingOptions(ctx.api, t, options, state, { id: pr.id, number: pr.number, isDraft: existing?.isDraft ?? pr.draft ?? Boolean(options.draft), existing }, ctx.logger, true);
    await applyOptions(ctx.api, t, inputs, pr.number, ctx.logger);
    ctx.logger.info(`${operation === 'created' ? 'opened' : 'updated'} PR #${pr.number} (${pr.url})`);
    return result(ctx, { operation, ...done, ...prFields(pr) });
  };
  if (state.pullRequest) {
    await updatePullRequest(ctx.api, t, state.pullRequest, { title: text.title, body });
    return finish(state.pullRequest, state.pullRequest, 'updated');
  }
  const opened = await openPullRequest(ctx.api, t, { base: r.baseBranch, head: r.branch, title: text.title, body, draft: options.draft }, (m) => ctx.logger.warning(m));
  if (opened) return finish(opened, undefined, 'created');
  // 422 "A pull request already exists": a racer opened it. Look it up and update it rather than add another.
  const again = await read(ctx, { ...readPlan(ctx, true), labels: [], users: [] });
  if (!again.pullRequest) throw new RecoverableError('stale', 'pull request vanished after "already exists"');
  await updatePullRequest(ctx.api, t, again.pullRequest, { title: text.title, body });
  return finish(again.pullRequest, again.pullRequest, 'updated');
}

async function block(ctx: Ctx, state: RepoState, reason: string): Promise<PromotionResult> {
  const pr = state.pullRequest;
  const marker = blockedMarker(state.branchOid ?? '');
  // One note per head: a rerun on the same human commit doesn't repeat it.
  if (pr && !pr.comments.some((c) => c.includes(marker))) {
    await commentOn(ctx.api, ctx.t, pr.id, `digestpin did not update this pull request: ${reason}.\n\n${marker}`);
  }
  ctx.logger.warning(reason);
  return result(ctx, { operation: 'blocked', branch: ctx.request.branch, commitSha: state.branchOid, changedFiles: [], reason, ...prFields(pr) });
}

async function promotePullRequest(ctx: Ctx, policy: RetryPolicy): Promise<PromotionResult> {
  const { request: r, t } = ctx;
  if (r.pullRequest?.workflowToken) {
    (ctx.logger.notice ?? ctx.logger.warning)(`the token is this workflow's GITHUB_TOKEN: GitHub starts no workflows for its pull requests, so required checks on ${t.repository} never run and auto-merge waits forever; use a GitHub App token (actions/create-github-app-token) or a PAT`);
  }
  let refused: MoveRefused | undefined;
  return retryOnStale(policy, `promotion branch '${r.branch}' of ${t.repository}`, async () => {
    const state = await read(ctx, readPlan(ctx, true));
    // The move was refused though the branch had not moved: a rule (a ruleset blocking force pushes), not a race.
    if (refused && state.branchOid === refused.beforeOid) throw refused.refusal;
    refused = undefined;
    const changes = applyEdits(r.edits, state.baseTexts);
    const proposal = proposalKey(changes);
    const step = decidePullRequest(state, changes, { branch: r.branch, baseBranch: r.baseBranch, runId: ctx.runId, force: Boolean(r.pullRequest?.forceUpdate), proposal, branchPinsSame: pinsSame(r, state) });
    const pr = state.pullRequest;
    if (r.dryRun) return result(ctx, { operation: 'none', branch: r.branch, changedFiles: changes, ...prFields(pr) });
    switch (step.kind) {
      case 'unchanged': {
        if (step.reason) ctx.logger.warning(step.reason);
        if (pr) await applyOptions(ctx.api, t, await missingOptions(ctx.api, t, r.pullRequest ?? {}, state, { ...pr, existing: pr }, ctx.logger, false), pr.number, ctx.logger);
        return result(ctx, { operation: 'unchanged', commitSha: changes.length === 0 ? state.baseOid : state.branchOid, branch: r.branch, changedFiles: [], ...(step.reason ? { reason: step.reason } : {}), ...prFields(pr) });
      }
      case 'close':
        await closeSuperseded(ctx.api, t, step.pullRequest, supersededNote(r, state));
        ctx.logger.info(`closed PR #${step.pullRequest.number}: '${r.baseBranch}' already holds the pin`);
        return result(ctx, { operation: 'closed', commitSha: state.baseOid, branch: r.branch, changedFiles: [], ...prFields(pr) });
      case 'skipped':
        ctx.logger.info(step.reason);
        return result(ctx, { operation: 'skipped', branch: r.branch, changedFiles: [], reason: step.reason, ...prFields(step.pullRequest) });
      case 'blocked':
        return block(ctx, state, step.reason);
      case 'publish':
        return publish(ctx, state, changes, state.branchOid, proposal);
      case 'write': {
        const sha = await writeBranch(ctx, step.how, state, changes, r.describe(changes).commitMessage).catch((error: unknown) => {
          if (error instanceof MoveRefused) refused = error;
          throw error;
        });
        return publish(ctx, state, changes, sha, proposal);
      }
    }
  });
}

export function createGitHubBackend(options: GitHubBackendOptions): GitOpsBackend {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const t: Target = { owner: options.owner, repo: options.repo, repository: `${options.owner}/${options.repo}` };
  return {
    async promote(request) {
      const ctx: Ctx = { api: createApi(options.octokit), t, request, logger: options.logger, runId: newRunId() };
      return request.mode === 'direct' ? promoteDirect(ctx, policy) : promotePullRequest(ctx, policy);
    },
    // Each call counts its own GitHub calls (`calls` on the returned list feeds the benchmark).
    history: (query) => readHistory(createApi(options.octokit), t, query),
  };
}
