// PR options (labels, reviewers, team reviewers, assignees, auto-merge) are best effort and kept up to date: only what
// the PR lacks is applied, in one mutation, and each refusal is one warning naming the option and the fix.
import type { Logger } from '../../runtime/logger.js';
import { describeFailure } from '../errors.js';
import type { PullRequestOptions } from '../types.js';
import type { GitHubApi } from './api.js';
import type { OpenPullRequest, RepoState } from './plan.js';
import { buildOptionsMutation, buildTeamsQuery, type OptionsInputs } from './queries.js';
import type { Target } from './pull-request.js';

const FIX: Record<keyof OptionsInputs, string> = {
  labels: 'create the label in the repository, or give the token `issues: write`',
  reviews: 'check that the reviewers can be requested (collaborators, not the PR author) and the token has `pull-requests: write`',
  assignees: 'assignees must be able to be assigned in the repository',
  autoMerge: 'turn on "Allow auto-merge" in the repository settings and make the base branch require a check or review',
};
/** GitHub's text on one line: a server's newline must not start a workflow command in the Actions log. */
const flat = (text: unknown) => String(text ?? '').replace(/[\r\n\u2028\u2029]+/g, ' ').slice(0, 300);

const OPTION_NAME: Record<keyof OptionsInputs, string> = { labels: 'pr-labels', reviews: 'reviewers', assignees: 'assignees', autoMerge: 'auto-merge' };

/** The PR as the options see it: a fresh PR has nothing yet. */
export interface OptionsTarget {
  id: string;
  number: number;
  isDraft: boolean;
  existing?: OpenPullRequest;
}

/**
 * Team ids by a separate query, only when the PR lacks a requested team. A token that can't read the organization's
 * teams (GITHUB_TOKEN) costs a warning, not the promotion.
 */
async function teamIds(api: GitHubApi, t: Target, slugs: string[], logger: Logger): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (slugs.length === 0) return ids;
  const q = buildTeamsQuery(t.owner, slugs);
  try {
    const data = await api.graphql<{ organization?: Record<string, { id?: string } | null> | null }>(q.query, q.variables, { step: 'pull-request-options', repository: t.repository });
    slugs.forEach((s, i) => {
      const id = data.organization?.[`t${i}`]?.id;
      if (id) ids.set(s, id);
      else logger.warning(`team reviewer '${t.owner}/${s}' not found; skipped`);
    });
  } catch (error) {
    logger.warning(
      `team reviewers ${slugs.map((s) => `'${t.owner}/${s}'`).join(', ')} skipped: the token can't read ${t.owner}'s teams (${flat(describeFailure((error as { cause?: unknown }).cause ?? error).message)}); the workflow's GITHUB_TOKEN never can: use a GitHub App token with \`members: read\`, or a PAT with \`read:org\``,
    );
  }
  return ids;
}

/** What the PR still lacks, as mutation inputs; unknown names and impossible auto-merge are warned about and left out. */
export async function missingOptions(api: GitHubApi, t: Target, o: PullRequestOptions, state: RepoState, pr: OptionsTarget, logger: Logger, withReviewers: boolean): Promise<OptionsInputs> {
  const has = (list: string[] | undefined, name: string) => (list ?? []).some((x) => x.toLowerCase() === name.toLowerCase());
  const ids = (wanted: string[] | undefined, present: string[] | undefined, map: Map<string, string>, what: string) =>
    (wanted ?? []).filter((n) => !has(present, n)).flatMap((n) => {
      const id = map.get(n);
      if (!id) logger.warning(`${what} '${n}' not found in ${state.nameWithOwner}; skipped`);
      return id ? [id] : [];
    });
  const inputs: OptionsInputs = {};
  const labelIds = ids(o.labels, pr.existing?.labels, state.labelIds, 'label');
  if (labelIds.length) inputs.labels = { labelableId: pr.id, labelIds };
  if (withReviewers) {
    const userIds = ids(o.reviewers, pr.existing?.reviewers, state.userIds, 'reviewer');
    const teams = (o.teamReviewers ?? []).filter((s) => !has(pr.existing?.reviewers, s));
    const teamMap = await teamIds(api, t, teams, logger);
    const teamIdList = teams.flatMap((s) => (teamMap.has(s) ? [teamMap.get(s)!] : []));
    if (userIds.length || teamIdList.length) inputs.reviews = { pullRequestId: pr.id, userIds, teamIds: teamIdList, union: true };
  }
  const assigneeIds = ids(o.assignees, pr.existing?.assignees, state.userIds, 'assignee');
  if (assigneeIds.length) inputs.assignees = { assignableId: pr.id, assigneeIds };
  if (o.autoMerge && !pr.existing?.autoMerge) {
    if (!state.autoMergeAllowed) logger.warning(`auto-merge skipped on PR #${pr.number}: ${state.nameWithOwner} does not allow auto-merge; ${FIX.autoMerge}`);
    else if (pr.isDraft) logger.warning(`auto-merge skipped on PR #${pr.number}: it is a draft; GitHub enables auto-merge only on PRs ready for review`);
    else inputs.autoMerge = { pullRequestId: pr.id, mergeMethod: o.autoMerge.toUpperCase() as 'MERGE' };
  }
  return inputs;
}

/** Applies the options in one mutation; GraphQL runs each field even if another fails, so each refusal is one warning. */
export async function applyOptions(api: GitHubApi, t: Target, inputs: OptionsInputs, prNumber: number, logger: Logger): Promise<void> {
  const doc = buildOptionsMutation(inputs);
  if (!doc) return;
  try {
    await api.graphql(doc.query, doc.variables, { step: 'pull-request-options', repository: t.repository });
  } catch (error) {
    const raw = (error as { cause?: { errors?: Array<{ path?: string[]; message?: string }> } }).cause?.errors;
    const failed = (raw ?? []).filter((e) => e.path?.[0] && e.path[0] in FIX);
    if (failed.length === 0) {
      logger.warning(`PR options on #${prNumber} were not applied: ${flat((error as Error).message)}`);
      return;
    }
    for (const e of failed) {
      const key = e.path![0] as keyof OptionsInputs;
      logger.warning(`PR option '${OPTION_NAME[key]}' was refused on #${prNumber}: ${flat(e.message ?? 'refused')}; ${FIX[key]}`);
    }
  }
}
