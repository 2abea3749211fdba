// The GraphQL side of the GitHub double: resolvers for the fields the backend reads, and its mutations, each behaving
// as test/github/behaviours.md says GitHub does (truncated Blob.text, fork PRs in pullRequests(headRefName:), team
// lookups refused to a GITHUB_TOKEN, auto-merge refusals, atomic updateRefs, STALE_DATA, web-flow committer).
import type { BareRepo, Identity } from './github-double-git.js';
import { WEB_FLOW, ZERO_OID } from './github-double-git.js';
import { associatedPullRequests, historyOf, type HistoryArgs, type PageArgs } from './github-double-history.js';

/** GitHub cuts `Blob.text` at this many bytes and sets `isTruncated` (behaviour B3). */
export const BLOB_TEXT_LIMIT = 512_000;

export class GhError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DoublePullRequest {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  head: string;
  base: string;
  /** `owner/name` of the head repository: another one for a fork PR. */
  headRepository: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  /** Who closed it: GitHub itself (head reset to base, head deleted), a person, or digestpin. */
  closedBy?: 'github' | 'person' | 'digestpin';
  /** Where `refs/pull/N/head` points (kept after the PR closes or merges: behaviour B19). */
  pullRef?: string;
  /** The head and base the double last checked this PR against (a PR whose refs did not move needs no new check). */
  synced?: { head?: string; base?: string };
  draft: boolean;
  comments: string[];
  labelIds: string[];
  reviewerIds: string[];
  assigneeIds: string[];
  autoMerge?: string;
  /** Set by a merge (`mergePull`): when, the merge commit, and the commits the PR brought (B18). */
  mergedAt?: string;
  mergeCommit?: string;
  commitOids?: string[];
}

/** What the graph needs from the double. */
export interface GraphHost {
  owner: string;
  name: string;
  git: BareRepo;
  pulls: DoublePullRequest[];
  options: { labels?: string[]; users?: string[]; teams?: string[]; autoMergeAllowed?: boolean; workflowToken?: boolean; viewer?: Identity };
  readBlob(expression: string): Promise<{ oid: string; kind: string; bytes: Buffer } | undefined>;
  /** The repository's default branch (the base branch the double was started with). */
  defaultBranch: string;
  /** Re-checks every open PR after a ref moved (GitHub closes PRs whose head is gone or has no commits). */
  syncPulls(): Promise<void>;
}

const nodes = <T>(list: T[]) => ({ nodes: list });

function prNode(host: GraphHost, pr: DoublePullRequest) {
  return {
    ...pr,
    merged: pr.state === 'MERGED',
    mergedAt: pr.mergedAt ?? null,
    baseRefName: pr.base,
    headRefName: pr.head,
    isDraft: pr.draft,
    isCrossRepository: pr.headRepository !== `${host.owner}/${host.name}`,
    labels: nodes(pr.labelIds.map((id) => ({ name: id.replace(/^LA_/, '') }))),
    assignees: nodes(pr.assigneeIds.map((id) => ({ login: id.replace(/^U_/, '') }))),
    reviewRequests: nodes(
      pr.reviewerIds.map((id) => ({ requestedReviewer: id.startsWith('T_') ? { __typename: 'Team', slug: id.slice(2) } : { __typename: 'User', login: id.slice(2) } })),
    ),
    autoMergeRequest: pr.autoMerge ? { mergeMethod: pr.autoMerge } : null,
    comments: nodes(pr.comments.map((body) => ({ body }))),
  };
}

/** A git object as GraphQL's `GitObject`: a Blob cut at 512,000 bytes (B3), decoded lossily (B17); else its type. */
function gitObjectNode(host: GraphHost, o: { oid: string; kind: string; bytes: Buffer }) {
  if (o.kind === 'commit') return commitTarget(host, o.oid);
  if (o.kind !== 'blob') return { __typename: 'Tree', oid: o.oid };
  const cut = o.bytes.byteLength > BLOB_TEXT_LIMIT;
  return { __typename: 'Blob', oid: o.oid, text: o.bytes.subarray(0, BLOB_TEXT_LIMIT).toString('utf8'), isTruncated: cut };
}

function commitTarget(host: GraphHost, oid: string) {
  return {
    __typename: 'Commit',
    oid,
    message: () => host.git.commitMessage(oid),
    committedDate: () => host.git.committedDate(oid),
    history: (args: HistoryArgs) => historyOf(host, oid, args, commitTarget),
    associatedPullRequests: (args: PageArgs) => associatedPullRequests(host, oid, args, prNode),
    // `file(path:)`: the tree entry at this commit, null when the path is absent there.
    file: async ({ path }: { path: string }) => {
      const o = await host.readBlob(`${oid}:${path}`);
      return o ? { path, oid: o.oid, object: gitObjectNode(host, o) } : null;
    },
  };
}

export function repositoryNode(host: GraphHost) {
  const { git } = host;
  return {
    id: `R_${host.owner}_${host.name}`,
    nameWithOwner: `${host.owner}/${host.name}`,
    autoMergeAllowed: host.options.autoMergeAllowed ?? true,
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const oid = await git.revParse(qualifiedName);
      if (!oid) return null;
      return {
        name: qualifiedName.replace(/^refs\/heads\//, ''),
        target: commitTarget(host, oid),
        compare: async ({ headRef }: { headRef: string }) => {
          const head = await git.revParse(`refs/heads/${headRef}`);
          if (!head) return null;
          const list = await git.commitsBetween(oid, head);
          return { aheadBy: list.length, behindBy: await git.count(`${head}..${oid}`), commits: ({ first }: { first?: number }) => nodes(list.slice(0, first ?? list.length)) };
        },
      };
    },
    object: async ({ expression, oid }: { expression?: string; oid?: string }) => {
      const o = await host.readBlob(oid ?? expression ?? '');
      return o ? gitObjectNode(host, o) : null;
    },
    // Filters by branch NAME only: PRs from forks with the same branch name are listed too (behaviour B4).
    pullRequests: ({ headRefName, baseRefName, states, first }: { headRefName?: string; baseRefName?: string; states?: string[]; first?: number }) =>
      nodes(
        host.pulls
          .filter((p) => (!headRefName || p.head === headRefName) && (!baseRefName || p.base === baseRefName) && (!states || states.includes(p.state)))
          .sort((a, b) => b.number - a.number)
          .slice(0, first ?? 100)
          .map((p) => prNode(host, p)),
      ),
    refs: async ({ refPrefix, first }: { refPrefix: string; first?: number }) =>
      nodes((await git.refsUnder(refPrefix)).slice(0, first ?? 100).map((r) => ({ name: r.slice(refPrefix.length) }))),
    label: ({ name }: { name: string }) => ((host.options.labels ?? []).includes(name) ? { id: `LA_${name}`, name } : null),
    assignableUsers: ({ query }: { query: string }) =>
      nodes((host.options.users ?? []).filter((u) => u.toLowerCase().includes(query.toLowerCase())).map((login) => ({ id: `U_${login}`, login }))),
    // repository.owner.team: how the backend before this change looked teams up (kept for the benchmark baseline).
    owner: { __typename: 'Organization', team: (args: { slug: string }) => queryRoot(host).organization({ login: host.owner }).team(args) },
  };
}

/** The token's user: createCommitOnBranch authors commits as this identity. Default: a GitHub App's bot user. */
export function viewerOf(host: GraphHost): Identity {
  return host.options.viewer ?? { name: 'digestpin-app[bot]', email: '41898282+digestpin-app[bot]@users.noreply.github.com' };
}

export function queryRoot(host: GraphHost) {
  return {
    viewer: () => ({ login: /^\d+\+([^@]+)@/.exec(viewerOf(host).email)?.[1] ?? viewerOf(host).name }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (owner !== host.owner || name !== host.name) throw new GhError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repositoryNode(host);
    },
    organization: ({ login }: { login: string }) => ({
      team: ({ slug }: { slug: string }) => {
        // An installation token scoped to one repository (GITHUB_TOKEN) can't read organization teams (behaviour B12).
        if (host.options.workflowToken) throw new GhError('FORBIDDEN', 'Resource not accessible by integration');
        return login === host.owner && (host.options.teams ?? []).includes(slug) ? { id: `T_${slug}` } : null;
      },
    }),
  };
}

type CommitInput = {
  input: {
    branch: { branchName: string };
    expectedHeadOid: string;
    message: { headline: string; body?: string };
    fileChanges?: { additions?: Array<{ path: string; contents: string }>; deletions?: Array<{ path: string }> };
  };
};

async function createCommitOnBranch(host: GraphHost, { input }: CommitInput) {
  const ref = `refs/heads/${input.branch.branchName}`;
  const head = await host.git.revParse(ref);
  if (!head) throw new GhError('NOT_FOUND', `Could not resolve to a Ref with the name ${input.branch.branchName}.`);
  const stale = () => new GhError('STALE_DATA', `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
  if (head !== input.expectedHeadOid) throw stale();
  const files = [
    ...(input.fileChanges?.additions ?? []).map((a) => ({ path: a.path, text: Buffer.from(a.contents, 'base64').toString('utf8') })),
    ...(input.fileChanges?.deletions ?? []).map((d) => ({ path: d.path })),
  ];
  const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}` : input.message.headline;
  // Authored by the token's identity; the committer is GitHub's web-flow identity (createCommitOnBranch docs, B15).
  const author = viewerOf(host);
  const oid = await host.git.commitFiles(head, files, message, { author, committer: WEB_FLOW });
  if (!(await host.git.compareAndSwap(ref, oid, head))) throw stale();
  await host.syncPulls();
  return { commit: { oid, url: `https://github.com/${host.owner}/${host.name}/commit/${oid}` } };
}

async function updateRefs(host: GraphHost, { input }: { input: { refUpdates: Array<{ name: string; afterOid: string; beforeOid?: string; force?: boolean }> } }) {
  for (const u of input.refUpdates) {
    const current = await host.git.revParse(u.name);
    if (u.beforeOid !== undefined && (current ?? ZERO_OID) !== u.beforeOid) {
      throw new GhError('UNPROCESSABLE', `Ref ${u.name} is at ${current ?? ZERO_OID}, not the expected ${u.beforeOid}; no ref was updated.`);
    }
    if (current && u.afterOid !== ZERO_OID && !u.force && !(await host.git.isAncestor(current, u.afterOid))) {
      throw new GhError('UNPROCESSABLE', `Update of ${u.name} is not a fast forward; no ref was updated.`);
    }
  }
  const ok = await host.git.transaction(input.refUpdates.map((u) => ({ ref: u.name, next: u.afterOid, old: u.beforeOid })));
  if (!ok) throw new GhError('UNPROCESSABLE', 'A ref changed during the update; no ref was updated.');
  await host.syncPulls();
  return { clientMutationId: null };
}

export function mutationRoot(host: GraphHost) {
  const pull = (id: string) => {
    const pr = host.pulls.find((p) => p.id === id);
    if (!pr) throw new GhError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
    return pr;
  };
  return {
    createCommitOnBranch: (args: CommitInput) => createCommitOnBranch(host, args),
    updateRefs: (args: never) => updateRefs(host, args),
    updatePullRequest: ({ input }: { input: { pullRequestId: string; title?: string; body?: string } }) => {
      const pr = pull(input.pullRequestId);
      if (input.title !== undefined) pr.title = input.title;
      if (input.body !== undefined) pr.body = input.body;
      return { pullRequest: prNode(host, pr) };
    },
    addComment: ({ input }: { input: { subjectId: string; body: string } }) => {
      pull(input.subjectId).comments.push(input.body);
      return { clientMutationId: null };
    },
    closePullRequest: ({ input }: { input: { pullRequestId: string } }) => {
      const pr = pull(input.pullRequestId);
      pr.state = 'CLOSED';
      pr.closedBy = 'digestpin';
      return { pullRequest: prNode(host, pr) };
    },
    addLabelsToLabelable: ({ input }: { input: { labelableId: string; labelIds: string[] } }) => {
      pull(input.labelableId).labelIds.push(...input.labelIds);
      return { clientMutationId: null };
    },
    requestReviews: ({ input }: { input: { pullRequestId: string; userIds?: string[]; teamIds?: string[] } }) => {
      pull(input.pullRequestId).reviewerIds.push(...(input.userIds ?? []), ...(input.teamIds ?? []));
      return { clientMutationId: null };
    },
    addAssigneesToAssignable: ({ input }: { input: { assignableId: string; assigneeIds: string[] } }) => {
      pull(input.assignableId).assigneeIds.push(...input.assigneeIds);
      return { clientMutationId: null };
    },
    enablePullRequestAutoMerge: ({ input }: { input: { pullRequestId: string; mergeMethod?: string } }) => {
      const pr = pull(input.pullRequestId);
      // Behaviour B9: refused when the repository does not allow it, and on draft PRs.
      if (host.options.autoMergeAllowed === false) throw new GhError('UNPROCESSABLE', 'Auto merge is not allowed for this repository');
      if (pr.draft) throw new GhError('UNPROCESSABLE', "Can't enable auto-merge for this pull request.");
      pr.autoMerge = input.mergeMethod ?? 'MERGE';
      return { clientMutationId: null };
    },
  };
}
