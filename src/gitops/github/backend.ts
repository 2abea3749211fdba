// GitHubBackend: a promotion is one read query, at most one branch write, one signed createCommitOnBranch and one PR
// call. Races (STALE_DATA, "Reference already exists", "A pull request already exists") are re-read and re-applied.
import type { Logger } from '../../runtime/logger.js';
import type { GitHubClient } from '../octokit.js';
import type { ChangedFile, GitOpsBackend, PromotionRequest, PromotionResult } from '../types.js';
import { createApi, RecoverableError, type GitHubApi } from './api.js';
import { applyEdits, decidePullRequest, fileChanges, parseRead, type RepoState } from './plan.js';
import { applyOptions, closeSuperseded, openPullRequest, optionsInputs, updatePullRequest, type Target } from './pull-request.js';
import { buildReadQuery, COMMIT_MUTATION, type ReadPlan } from './queries.js';
import { DEFAULT_RETRY, retryOnStale, type RetryPolicy } from './retry.js';

export interface GitHubBackendOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  logger: Logger;
  /** Race retry policy (direct mode and branch races); tests inject short delays. */
  retry?: Partial<RetryPolicy>;
}

interface Ctx {
  api: GitHubApi;
  t: Target;
  request: PromotionRequest;
  logger: Logger;
}

function readPlan(ctx: Ctx, withBranch: boolean): ReadPlan {
  const { request: r, t } = ctx;
  const o = withBranch ? r.pullRequest ?? {} : {};
  const users = [...new Set([...(o.reviewers ?? []), ...(o.assignees ?? [])])];
  return {
    owner: t.owner,
    name: t.repo,
    baseBranch: r.baseBranch,
    paths: [...new Set(r.edits.map((e) => e.path))],
    branch: withBranch ? r.branch : undefined,
    labels: o.labels,
    users,
    teams: o.teamReviewers,
  };
}

async function read(ctx: Ctx, plan: ReadPlan): Promise<RepoState> {
  const q = buildReadQuery(plan);
  const data = await ctx.api.graphql<{ repository: Record<string, unknown> | null }>(q.query, q.variables, { step: 'read', repository: ctx.t.repository });
  return parseRead(data, plan.paths, plan);
}

async function commit(ctx: Ctx, branch: string, expectedHeadOid: string, changes: ChangedFile[], message: string): Promise<string> {
  const [headline = '', ...rest] = message.split('\n');
  const input = {
    branch: { repositoryNameWithOwner: ctx.t.repository, branchName: branch },
    expectedHeadOid,
    message: { headline, ...(rest.join('\n').trim() ? { body: rest.join('\n').trim() } : {}) },
    fileChanges: fileChanges(changes),
  };
  const data = await ctx.api.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(COMMIT_MUTATION, { input }, {
    step: 'commit',
    repository: ctx.t.repository,
    paths: changes.map((c) => c.path),
  });
  return data.createCommitOnBranch.commit.oid;
}

function result(ctx: Ctx, partial: Omit<PromotionResult, 'calls'>): PromotionResult {
  return { ...partial, calls: ctx.api.calls };
}

async function promoteDirect(ctx: Ctx, policy: RetryPolicy): Promise<PromotionResult> {
  const { request: r } = ctx;
  return retryOnStale(policy, `base branch '${r.baseBranch}' of ${ctx.t.repository}`, async (attempt) => {
    if (attempt > 0) ctx.logger.info(`base branch '${r.baseBranch}' moved; re-reading and re-applying (attempt ${attempt + 1})`);
    const state = await read(ctx, readPlan(ctx, false));
    const changes = applyEdits(r.edits, state.baseTexts);
    if (changes.length === 0) return result(ctx, { operation: 'unchanged', commitSha: state.baseOid, branch: r.baseBranch, changedFiles: [] });
    if (r.dryRun) return result(ctx, { operation: 'none', branch: r.baseBranch, changedFiles: changes });
    const sha = await commit(ctx, r.baseBranch, state.baseOid, changes, r.describe(changes).commitMessage);
    ctx.logger.info(`committed ${changes.length} file(s) to '${r.baseBranch}' of ${ctx.t.repository}: ${sha}`);
    return result(ctx, { operation: 'committed', commitSha: sha, branch: r.baseBranch, changedFiles: changes });
  });
}

async function ensureBranch(ctx: Ctx, how: 'create' | 'reset' | 'keep', oid: string): Promise<void> {
  const { t, request: r } = ctx;
  const c = { repository: t.repository };
  if (how === 'create') {
    try {
      await ctx.api.rest('POST /repos/{owner}/{repo}/git/refs', { owner: t.owner, repo: t.repo, ref: `refs/heads/${r.branch}`, sha: oid }, { ...c, step: 'create-branch' });
    } catch (error) {
      // A racer created it first: fine. The commit below names the head it expects, so nothing is overwritten.
      if (!(error instanceof RecoverableError && error.kind === 'ref-exists')) throw error;
    }
  } else if (how === 'reset') {
    await ctx.api.rest('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { owner: t.owner, repo: t.repo, ref: `heads/${r.branch}`, sha: oid, force: true }, { ...c, step: 'reset-branch' });
  }
}

function supersededNote(r: PromotionRequest, state: RepoState): string {
  const pins = r.edits.flatMap((e) => {
    const s = e.apply(state.baseTexts.get(e.path)).summary;
    return s ? [`\`${s.file}\` (${s.service}, ${s.environment}) already pins \`${s.newDigest}\``] : [`\`${e.path}\` already holds this change`];
  });
  return `Superseded: \`${r.baseBranch}\` (commit ${state.baseOid.slice(0, 7)}) already holds the pin this pull request proposes: ${pins.join('; ')}. Closed by digestpin.`;
}

async function promotePullRequest(ctx: Ctx, policy: RetryPolicy): Promise<PromotionResult> {
  const { request: r, t } = ctx;
  return retryOnStale(policy, `promotion branch '${r.branch}' of ${t.repository}`, async () => {
    const plan = readPlan(ctx, true);
    const state = await read(ctx, plan);
    const changes = applyEdits(r.edits, state.baseTexts);
    const step = decidePullRequest(state, changes);
    const pr = state.pullRequest;
    const prFields = pr ? { pullRequestNumber: pr.number, pullRequestUrl: pr.url } : {};
    if (r.dryRun) return result(ctx, { operation: 'none', branch: r.branch, changedFiles: changes, ...prFields });
    if (step.kind === 'unchanged') {
      // Either base already holds the pin, or the open PR's branch already has exactly these changes.
      const commitSha = changes.length === 0 ? state.baseOid : state.branchOid;
      return result(ctx, { operation: 'unchanged', commitSha, branch: r.branch, changedFiles: [], ...prFields });
    }
    if (step.kind === 'close') {
      await closeSuperseded(ctx.api, t, step.pullRequest, supersededNote(r, state));
      ctx.logger.info(`closed PR #${step.pullRequest.number}: '${r.baseBranch}' already holds the pin`);
      return result(ctx, { operation: 'closed', commitSha: state.baseOid, branch: r.branch, changedFiles: [], ...prFields });
    }
    const text = r.describe(changes);
    // If the commit below fails after the branch was created, the branch is left pointing at base: it holds
    // no partial change and no PR, and the next run resets it. Deleting it is not safe: GitHub's ref DELETE
    // can't name the head it expects, so it could remove a racing run's commit and close that run's PR.
    await ensureBranch(ctx, step.branch, state.baseOid);
    const commitSha = step.commit ? await commit(ctx, r.branch, state.baseOid, changes, text.commitMessage) : state.branchOid;
    const done = { branch: r.branch, changedFiles: changes, commitSha };
    if (step.pullRequest === 'update' && pr) {
      await updatePullRequest(ctx.api, t, pr, text);
      ctx.logger.info(`updated PR #${pr.number} (${pr.url})`);
      return result(ctx, { operation: 'updated', ...done, ...prFields });
    }
    const opened = await openPullRequest(ctx.api, t, { base: r.baseBranch, head: r.branch, title: text.title, body: text.body, draft: r.pullRequest?.draft });
    if (!opened) {
      // 422 "A pull request already exists": a racer opened it. Look it up and update it rather than add another.
      const again = await read(ctx, { ...plan, labels: [], users: [], teams: [] });
      if (!again.pullRequest) throw new RecoverableError('stale', 'pull request vanished after "already exists"');
      await updatePullRequest(ctx.api, t, again.pullRequest, text);
      return result(ctx, { operation: 'updated', ...done, pullRequestNumber: again.pullRequest.number, pullRequestUrl: again.pullRequest.url });
    }
    await applyOptions(ctx.api, t, optionsInputs(r.pullRequest ?? {}, state, opened.id, ctx.logger));
    ctx.logger.info(`opened PR #${opened.number} (${opened.url})`);
    return result(ctx, { operation: 'created', ...done, pullRequestNumber: opened.number, pullRequestUrl: opened.url });
  });
}

export function createGitHubBackend(options: GitHubBackendOptions): GitOpsBackend {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const t: Target = { owner: options.owner, repo: options.repo, repository: `${options.owner}/${options.repo}` };
  return {
    async promote(request) {
      const ctx: Ctx = { api: createApi(options.octokit), t, request, logger: options.logger };
      return request.mode === 'direct' ? promoteDirect(ctx, policy) : promotePullRequest(ctx, policy);
    },
  };
}
