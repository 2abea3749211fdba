// Pull request steps: open (REST, for GitHub's documented 422 "A pull request already exists"), update and close
// (GraphQL), and all PR options in one GraphQL mutation. Each returns what the result reports.
import type { Logger } from '../../runtime/logger.js';
import type { PullRequestOptions } from '../types.js';
import { RecoverableError, type GitHubApi } from './api.js';
import { buildOptionsMutation, CLOSE_PR_MUTATION, UPDATE_PR_MUTATION, type OptionsInputs } from './queries.js';
import type { OpenPullRequest, RepoState } from './plan.js';

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

export async function updatePullRequest(api: GitHubApi, t: Target, pr: OpenPullRequest, text: { title: string; body: string }): Promise<void> {
  await api.graphql(UPDATE_PR_MUTATION, { input: { pullRequestId: pr.id, title: text.title, body: text.body } }, { step: 'update-pull-request', repository: t.repository });
}

/** Closes a PR whose pin the base branch already holds, saying what superseded it. One call. */
export async function closeSuperseded(api: GitHubApi, t: Target, pr: OpenPullRequest, reason: string): Promise<void> {
  await api.graphql(
    CLOSE_PR_MUTATION,
    { comment: { subjectId: pr.id, body: reason }, close: { pullRequestId: pr.id } },
    { step: 'close-pull-request', repository: t.repository },
  );
}

/** Maps options to ids found by the read query; names GitHub does not know are skipped with a warning. */
export function optionsInputs(options: PullRequestOptions, state: RepoState, prId: string, logger: Logger): OptionsInputs {
  const ids = (names: string[] | undefined, map: Map<string, string>, what: string) =>
    (names ?? []).flatMap((n) => {
      const id = map.get(n);
      if (!id) logger.warning(`${what} '${n}' not found in ${state.nameWithOwner}; skipped`);
      return id ? [id] : [];
    });
  const labelIds = ids(options.labels, state.labelIds, 'label');
  const userIds = ids(options.reviewers, state.userIds, 'reviewer');
  const teamIds = ids(options.teamReviewers, state.teamIds, 'team reviewer');
  const assigneeIds = ids(options.assignees, state.userIds, 'assignee');
  const inputs: OptionsInputs = {};
  if (labelIds.length) inputs.labels = { labelableId: prId, labelIds };
  if (userIds.length || teamIds.length) inputs.reviews = { pullRequestId: prId, userIds, teamIds, union: true };
  if (assigneeIds.length) inputs.assignees = { assignableId: prId, assigneeIds };
  if (options.autoMerge) inputs.autoMerge = { pullRequestId: prId, mergeMethod: options.autoMerge.toUpperCase() as 'MERGE' };
  return inputs;
}

export async function applyOptions(api: GitHubApi, t: Target, inputs: OptionsInputs): Promise<void> {
  const doc = buildOptionsMutation(inputs);
  if (doc) await api.graphql(doc.query, doc.variables, { step: 'pull-request-options', repository: t.repository });
}
