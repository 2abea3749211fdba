// The history side of the GitHub double's graph (behaviour B18): `Commit.history(path:)` as plain `git log -- path`,
// GitHub's paging limits and cursors, and `Commit.associatedPullRequests` for merged and open PRs.
import { GhError, type DoublePullRequest, type GraphHost } from './github-double-graph.js';

export type PageArgs = { first?: number | null; last?: number | null };
export type HistoryArgs = PageArgs & { path?: string; after?: string | null; before?: string | null };

/** GitHub's limit on `first`/`last` of any connection (GraphQL resource limitations), with GitHub's wording. */
export const CONNECTION_MAX = 100;

export function pageBounds(connection: string, first?: number | null, last?: number | null) {
  if (first == null && last == null) throw new GhError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`);
  const n = first ?? last ?? 0;
  if (n > CONNECTION_MAX) throw new GhError('EXCESSIVE_PAGINATION', `Requesting ${n} records on the \`${connection}\` connection exceeds the \`${first != null ? 'first' : 'last'}\` limit of ${CONNECTION_MAX} records.`);
}

/**
 * `Commit.history(path:, first:, after:)` (behaviour B18): `git log -- path` from this commit (not first-parent),
 * newest first, `first` at most 100, cursors `<head oid> <index>` as GitHub's look; `last`/`before` are refused.
 */
export async function historyOf<T>(host: GraphHost, head: string, args: HistoryArgs, commitNode: (host: GraphHost, oid: string) => T) {
  pageBounds('history', args.first, args.last);
  if (args.last != null || args.before != null) throw new GhError('INVALID_CURSOR_ARGUMENTS', 'backwards pagination unsupported for CommitHistoryConnection');
  const all = args.path === undefined ? await host.git.history(head, '.') : await host.git.history(head, args.path);
  let start = 0;
  if (args.after != null) {
    const m = /^([0-9a-f]{40}) (\d+)$/.exec(args.after);
    if (!m || m[1] !== head) throw new GhError('INVALID_CURSOR_ARGUMENTS', `\`${args.after}\` does not appear to be a valid cursor.`);
    start = Number(m[2]) + 1;
  }
  const page = all.slice(start, start + (args.first ?? 0));
  const end = start + page.length - 1;
  return {
    pageInfo: { hasNextPage: start + page.length < all.length, endCursor: page.length ? `${head} ${end}` : null, hasPreviousPage: start > 0, startCursor: page.length ? `${head} ${start}` : null },
    totalCount: all.length,
    nodes: page.map((c) => ({
      ...commitNode(host, c.oid),
      committedDate: c.committedDate,
    })),
  };
}

/**
 * `Commit.associatedPullRequests` (B18): the merged PR that brought the commit in (its commits or its merge commit);
 * open PRs whose head holds it only while it is not on the default branch. Newest first.
 */
export async function associatedPullRequests<T>(host: GraphHost, oid: string, args: PageArgs, prNode: (host: GraphHost, pr: DoublePullRequest) => T) {
  pageBounds('associatedPullRequests', args.first, args.last);
  const main = await host.git.revParse(`refs/heads/${host.defaultBranch}`);
  const onDefault = main ? await host.git.isAncestor(oid, main) : false;
  const hits: DoublePullRequest[] = [];
  for (const pr of host.pulls) {
    if (pr.state === 'MERGED' && (pr.mergeCommit === oid || pr.commitOids?.includes(oid))) hits.push(pr);
    else if (pr.state === 'OPEN' && !onDefault) {
      const head = await host.git.revParse(`refs/heads/${pr.head}`);
      if (head && (await host.git.isAncestor(oid, head))) hits.push(pr);
    }
  }
  return { nodes: hits.sort((a, b) => b.number - a.number).slice(0, args.first ?? args.last ?? 0).map((p) => prNode(host, p)) };
}

