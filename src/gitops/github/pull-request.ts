// Pull request steps: open (REST, for GitHub's documented 422 "A pull request already exists"), update, close and
// comment (GraphQL). Each is one call and returns what the result reports.
import { RecoverableError, type GitHubApi } from './api.js';
import { CLOSE_PR_MUTATION, COMMENT_MUTATION, UPDATE_PR_MUTATION } from './queries.js';
import type { OpenPullRequest } from './plan.js';
import { supersededBody } from './ownership.js';

export interface Target {
  owner: string;
  repo: string;
  repository: string;
}

export interface OpenedPullRequest {
  id: string;
  number: number;
  url: string;
}

/** Opens the PR; `undefined` when GitHub says one already exists (a racer opened it): the caller re-reads. */
export async function openPullRequest(
  api: GitHubApi,
  t: Target,
  p: { base: string; head: string; title: string; body: string; draft?: boolean },
): Promise<OpenedPullRequest | undefined> {
  try {
    const pr = await api.rest<{ node_id: string; number: number; html_url: string }>(
      'POST /repos/{owner}/{repo}/pulls',
      { owner: t.owner, repo: t.repo, base: p.base, head: p.head, title: p.title, body: p.body, ...(p.draft ? { draft: true } : {}) },
      { step: 'open-pull-request', repository: t.repository },
    );
    return { id: pr.node_id, number: pr.number, url: pr.html_url };
  } catch (error) {
    if (error instanceof RecoverableError && error.kind === 'pr-exists') return undefined;
    throw error;
  }
}

export async function updatePullRequest(api: GitHubApi, t: Target, pr: Pick<OpenPullRequest, 'id'>, text: { title: string; body: string }): Promise<void> {
  await api.graphql(UPDATE_PR_MUTATION, { input: { pullRequestId: pr.id, title: text.title, body: text.body } }, { step: 'update-pull-request', repository: t.repository });
}

/**
 * Closes a PR whose pin the base branch already holds, saying what superseded it, and rewrites its proposal marker so
 * the PR is not later taken for one a person closed (B8). One call.
 */
export async function closeSuperseded(api: GitHubApi, t: Target, pr: OpenPullRequest, reason: string): Promise<void> {
  await api.graphql(
    CLOSE_PR_MUTATION,
    { comment: { subjectId: pr.id, body: reason }, update: { pullRequestId: pr.id, body: supersededBody(pr.body) }, close: { pullRequestId: pr.id } },
    { step: 'close-pull-request', repository: t.repository },
  );
}

/** One comment on the PR (the "blocked" note). */
export async function commentOn(api: GitHubApi, t: Target, prId: string, body: string): Promise<void> {
  await api.graphql(COMMENT_MUTATION, { input: { subjectId: prId, body } }, { step: 'comment', repository: t.repository });
}
