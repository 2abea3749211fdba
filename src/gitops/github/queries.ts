// GraphQL documents of the GitHub backend. The read is ONE query: base head, the text of every target file at base
// (and on the promotion branch), the branch head, its open PR, and the ids the PR options need.
export interface ReadPlan {
  owner: string;
  name: string;
  baseBranch: string;
  paths: string[];
  /** Absent in direct mode: then only the base is read. */
  branch?: string;
  labels?: string[];
  /** Logins for reviewers and assignees, looked up among assignable users. */
  users?: string[];
}

export interface ReadQuery {
  query: string;
  variables: Record<string, unknown>;
}

const BLOB = '{ __typename ... on Blob { oid text isTruncated } }';
const HEAD = 'target { oid ... on Commit { message } }';
/** Enough of each same-name PR to tell ours from a fork's, to see a closed one, and to re-apply missing options. */
const PR_FIELDS = [
  'id number url title body state merged isCrossRepository isDraft',
  'labels(first: 50) { nodes { name } }',
  'assignees(first: 50) { nodes { login } }',
  'reviewRequests(first: 50) { nodes { requestedReviewer { __typename ... on User { login } ... on Team { slug } } } }',
  'autoMergeRequest { mergeMethod }',
  'comments(last: 20) { nodes { body } }',
].join(' ');
/** Commits on the promotion branch since base; more than this and the branch is rebuilt rather than trusted. */
export const COMPARE_LIMIT = 50;

/** Branch names git can't create beside `branch`: each parent path as a branch, and any branch below it. */
export function conflictPrefixes(branch: string): string[] {
  const parts = branch.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Builds the one read query with an alias per file, label, user and team, so the round trip count never grows. */
export function buildReadQuery(plan: ReadPlan): ReadQuery {
  const vars: Record<string, unknown> = { owner: plan.owner, name: plan.name, baseRef: `refs/heads/${plan.baseBranch}` };
  const decl = ['$owner: String!', '$name: String!', '$baseRef: String!'];
  const compare = plan.branch !== undefined ? ` compare(headRef: $branch) { aheadBy behindBy commits(first: ${COMPARE_LIMIT}) { nodes { oid message committer { name email } author { user { login } } } } }` : '';
  const fields = ['id', 'nameWithOwner', 'autoMergeAllowed', `base: ref(qualifiedName: $baseRef) { ${HEAD}${compare} }`];
  plan.paths.forEach((path, i) => {
    vars[`f${i}`] = `${plan.baseBranch}:${path}`;
    decl.push(`$f${i}: String!`);
    fields.push(`f${i}: object(expression: $f${i}) ${BLOB}`);
  });
  if (plan.branch !== undefined) {
    Object.assign(vars, { branch: plan.branch, branchRef: `refs/heads/${plan.branch}`, baseName: plan.baseBranch });
    decl.push('$branch: String!', '$branchRef: String!', '$baseName: String!');
    fields.push(`branch: ref(qualifiedName: $branchRef) { ${HEAD} }`);
    fields.push(`pullRequests(headRefName: $branch, baseRefName: $baseName, first: 20, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ${PR_FIELDS} } }`);
    conflictPrefixes(plan.branch).forEach((prefix, i) => {
      vars[`c${i}`] = `refs/heads/${prefix}`;
      decl.push(`$c${i}: String!`);
      fields.push(`c${i}: ref(qualifiedName: $c${i}) { name }`);
    });
    vars.below = `refs/heads/${plan.branch}/`;
    decl.push('$below: String!');
    fields.push('below: refs(refPrefix: $below, first: 1) { nodes { name } }');
    plan.paths.forEach((path, i) => {
      vars[`h${i}`] = `${plan.branch}:${path}`;
      decl.push(`$h${i}: String!`);
      fields.push(`h${i}: object(expression: $h${i}) ${BLOB}`);
    });
  }
  (plan.labels ?? []).forEach((label, i) => {
    vars[`l${i}`] = label;
    decl.push(`$l${i}: String!`);
    fields.push(`l${i}: label(name: $l${i}) { id name }`);
  });
  (plan.users ?? []).forEach((login, i) => {
    vars[`u${i}`] = login;
    decl.push(`$u${i}: String!`);
    fields.push(`u${i}: assignableUsers(query: $u${i}, first: 10) { nodes { id login } }`);
  });
  // viewer: the token's own user, who authors createCommitOnBranch commits (see ownership.ts).
  const viewer = plan.branch !== undefined ? '  viewer { login }\n' : '';
  const query = `query DigestpinRead(${decl.join(', ')}) {\n${viewer}  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}`;
  return { query, variables: vars };
}

/**
 * Team ids, apart from the main read: a token that can't read the organization's teams (the workflow's GITHUB_TOKEN)
 * gets FORBIDDEN here, which costs only the team reviewers, not the promotion.
 */
export function buildTeamsQuery(org: string, slugs: string[]): ReadQuery {
  const vars: Record<string, unknown> = { login: org };
  const decl = ['$login: String!'];
  const fields = slugs.map((slug, i) => {
    vars[`t${i}`] = slug;
    decl.push(`$t${i}: String!`);
    return `t${i}: team(slug: $t${i}) { id }`;
  });
  return { query: `query DigestpinTeams(${decl.join(', ')}) {\n  organization(login: $login) { ${fields.join(' ')} }\n}`, variables: vars };
}

/** Moves the promotion branch from the head this run saw to the new commit and drops the scratch ref, atomically. */
export const UPDATE_REFS_MUTATION = `mutation DigestpinMoveBranch($input: UpdateRefsInput!) {
  updateRefs(input: $input) { clientMutationId }
}`;

export const COMMENT_MUTATION = `mutation DigestpinComment($input: AddCommentInput!) {
  addComment(input: $input) { clientMutationId }
}`;

export const COMMIT_MUTATION = `mutation DigestpinCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

export const UPDATE_PR_MUTATION = `mutation DigestpinUpdatePullRequest($input: UpdatePullRequestInput!) {
  updatePullRequest(input: $input) { pullRequest { number url } }
}`;

export const CLOSE_PR_MUTATION = `mutation DigestpinClosePullRequest($comment: AddCommentInput!, $update: UpdatePullRequestInput!, $close: ClosePullRequestInput!) {
  addComment(input: $comment) { clientMutationId }
  updatePullRequest(input: $update) { pullRequest { number } }
  closePullRequest(input: $close) { pullRequest { number url state } }
}`;

export interface OptionsInputs {
  labels?: { labelableId: string; labelIds: string[] };
  reviews?: { pullRequestId: string; userIds: string[]; teamIds: string[]; union: boolean };
  assignees?: { assignableId: string; assigneeIds: string[] };
  autoMerge?: { pullRequestId: string; mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE' };
}

/** All PR options in one mutation document (GraphQL runs its mutation fields in order), so they cost one call. */
export function buildOptionsMutation(inputs: OptionsInputs): ReadQuery | undefined {
  const parts: Array<[keyof OptionsInputs, string, string]> = [
    ['labels', 'AddLabelsToLabelableInput', 'addLabelsToLabelable'],
    ['reviews', 'RequestReviewsInput', 'requestReviews'],
    ['assignees', 'AddAssigneesToAssignableInput', 'addAssigneesToAssignable'],
    ['autoMerge', 'EnablePullRequestAutoMergeInput', 'enablePullRequestAutoMerge'],
  ];
  const used = parts.filter(([key]) => inputs[key] !== undefined);
  if (used.length === 0) return undefined;
  const decl = used.map(([key, type]) => `$${key}: ${type}!`).join(', ');
  // Aliased by option, so a refusal's error path names the option the user set.
  const body = used.map(([key, , field]) => `  ${key}: ${field}(input: $${key}) { clientMutationId }`).join('\n');
  const variables = Object.fromEntries(used.map(([key]) => [key, inputs[key]]));
  return { query: `mutation DigestpinPullRequestOptions(${decl}) {\n${body}\n}`, variables };
}

/** GitHub's most for `first` on any connection (GraphQL resource limits): more entries take more pages. */
export const HISTORY_PAGE_MAX = 100;

export interface HistoryPlan {
  owner: string;
  name: string;
  baseBranch: string;
  path: string;
  first: number;
  /** Later pages: the head commit the first page read (so a moving base can't shift the pages) and the cursor. */
  page?: { head: string; after: string };
}

/** PRs that brought each commit: a "Create a merge commit" merge keeps the branch commit's own (earlier) date. */
export const ASSOCIATED_PRS = 5;
const HISTORY_FIELDS = `oid history(path: $path, first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { oid committedDate file(path: $path) { object ${BLOB} } associatedPullRequests(first: ${ASSOCIATED_PRS}) { nodes { mergedAt baseRefName } } } }`;

/**
 * The commits of the base branch that changed `path`, newest first, each with its committer date and the file's
 * text at that commit: one query per page of up to 100, however many commits the history holds.
 */
export function buildHistoryQuery(plan: HistoryPlan): ReadQuery {
  const vars: Record<string, unknown> = { owner: plan.owner, name: plan.name, path: plan.path, first: plan.first, after: plan.page?.after ?? null };
  const decl = ['$owner: String!', '$name: String!', '$path: String!', '$first: Int!', '$after: String'];
  let start: string;
  if (plan.page) {
    vars.head = plan.page.head;
    decl.push('$head: GitObjectID!');
    start = `head: object(oid: $head) { ... on Commit { ${HISTORY_FIELDS} } }`;
  } else {
    vars.baseRef = `refs/heads/${plan.baseBranch}`;
    decl.push('$baseRef: String!');
    start = `base: ref(qualifiedName: $baseRef) { target { ... on Commit { ${HISTORY_FIELDS} } } }`;
  }
  const query = `query DigestpinHistory(${decl.join(', ')}) {\n  repository(owner: $owner, name: $name) {\n    nameWithOwner\n    ${start}\n  }\n}`;
  return { query, variables: vars };
}
