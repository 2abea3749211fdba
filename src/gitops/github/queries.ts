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
  teams?: string[];
}

export interface ReadQuery {
  query: string;
  variables: Record<string, unknown>;
}

const BLOB = '{ __typename ... on Blob { text } }';

/** Builds the one read query with an alias per file, label, user and team, so the round trip count never grows. */
export function buildReadQuery(plan: ReadPlan): ReadQuery {
  const vars: Record<string, unknown> = { owner: plan.owner, name: plan.name, baseRef: `refs/heads/${plan.baseBranch}` };
  const decl = ['$owner: String!', '$name: String!', '$baseRef: String!'];
  const fields = ['id', 'nameWithOwner', 'base: ref(qualifiedName: $baseRef) { target { oid } }'];
  plan.paths.forEach((path, i) => {
    vars[`f${i}`] = `${plan.baseBranch}:${path}`;
    decl.push(`$f${i}: String!`);
    fields.push(`f${i}: object(expression: $f${i}) ${BLOB}`);
  });
  if (plan.branch !== undefined) {
    Object.assign(vars, { branch: plan.branch, branchRef: `refs/heads/${plan.branch}`, baseName: plan.baseBranch });
    decl.push('$branch: String!', '$branchRef: String!', '$baseName: String!');
    fields.push('branch: ref(qualifiedName: $branchRef) { target { oid } }');
    fields.push(
      'pullRequests(headRefName: $branch, baseRefName: $baseName, states: [OPEN], first: 5) { nodes { id number url title body } }',
    );
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
  if ((plan.teams ?? []).length > 0) {
    const teams = (plan.teams ?? []).map((slug, i) => {
      vars[`t${i}`] = slug;
      decl.push(`$t${i}: String!`);
      return `t${i}: team(slug: $t${i}) { id slug }`;
    });
    fields.push(`owner { __typename ... on Organization { ${teams.join(' ')} } }`);
  }
  const query = `query DigestpinRead(${decl.join(', ')}) {\n  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}`;
  return { query, variables: vars };
}

export const COMMIT_MUTATION = `mutation DigestpinCommit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

export const UPDATE_PR_MUTATION = `mutation DigestpinUpdatePullRequest($input: UpdatePullRequestInput!) {
  updatePullRequest(input: $input) { pullRequest { number url } }
}`;

export const CLOSE_PR_MUTATION = `mutation DigestpinClosePullRequest($comment: AddCommentInput!, $close: ClosePullRequestInput!) {
  addComment(input: $comment) { clientMutationId }
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
  const body = used.map(([key, , field]) => `  ${field}(input: $${key}) { clientMutationId }`).join('\n');
  const variables = Object.fromEntries(used.map(([key]) => [key, inputs[key]]));
  return { query: `mutation DigestpinPullRequestOptions(${decl}) {\n${body}\n}`, variables };
}
