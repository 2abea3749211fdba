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
  /** Whether GitHub opened it as a draft (a draft asked for on a plan without drafts is opened as a regular PR). */
  draft: boolean;
}

type OpenParams = { base: string; head: string; title: string; body: string; draft?: boolean };

async function create(api: GitHubApi, t: Target, p: OpenParams, draft: boolean): Promise<OpenedPullRequest> {
  const pr = await api.rest<{ node_id: string; number: number; html_url: string }>(
    'POST /repos/{owner}/{repo}/pulls',
    { owner: t.owner, repo: t.repo, base: p.base, head: p.head, title: p.title, body: p.body, ...(draft ? { draft: true } : {}) },
    { step: 'open-pull-request', repository: t.repository },
  );
  return { id: pr.node_id, number: pr.number, url: pr.html_url, draft };
}

/** GitHub's 422 for a draft PR on a private repository under GitHub Free or Pro (behaviour B20). */
const DRAFT_REFUSED = /draft pull requests are not supported/i;

/**
 * Opens the PR; `undefined` when GitHub says one already exists (a racer opened it): the caller re-reads. A draft the
 * repository's plan does not allow is opened as a regular PR with one warning: options are best effort, the pin lands.
 */
export async function openPullRequest(api: GitHubApi, t: Target, p: OpenParams, warn: (message: string) => void): Promise<OpenedPullRequest | undefined> {
  try {
    try {
      return await create(api, t, p, Boolean(p.draft));
    } catch (error) {
      if (!p.draft || !DRAFT_REFUSED.test((error as Error).message)) throw error;
      const opened = await create(api, t, p, false);
      warn(`draft: opened PR #${opened.number} as a regular pull request: Draft pull requests are not supported in this repository (draft PRs need a public repository, or GitHub Team or Enterprise for ${t.repository}); set draft: false to open it as such`);
      return opened;
    }
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
