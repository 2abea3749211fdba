// A file's history on the base branch through the GitHub API (issue 11: soak time, rollback): one GraphQL query per
// page of 100 commits (`Commit.history(path:)`, behaviour B18), plus one REST read per distinct blob whose text GraphQL
// cut or could not return byte for byte (B3, B17). Reads only. The list carries `calls`, the GitHub calls it took.
import { GitOpsError } from '../../runtime/errors.js';
import { checkHistoryQuery, type HistoryResult } from '../history-query.js';
import type { HistoryQuery, PinHistoryEntry } from '../types.js';

export type { HistoryResult } from '../history-query.js';
import type { GitHubApi } from './api.js';
import { readBlobText } from './blob.js';
import { gitBlobOid } from './ownership.js';
import type { Target } from './pull-request.js';
import { buildHistoryQuery, HISTORY_PAGE_MAX } from './queries.js';

/** One commit as the query returns it; `blob` is what to read over REST when `text` can't be trusted. */
export interface HistoryNode {
  oid: string;
  committedAt: string;
  text?: string;
  blob?: string;
}

export interface HistoryPage {
  head: string;
  nodes: HistoryNode[];
  next?: string;
}

type RawBlob = { __typename?: string; oid?: string; text?: string | null; isTruncated?: boolean } | null | undefined;
type RawPrs = { nodes?: Array<{ mergedAt?: string | null; baseRefName?: string } | null> } | null;
type RawNode = { oid?: string; committedDate?: string; file?: { object?: RawBlob } | null; associatedPullRequests?: RawPrs } | null;
type RawHistory = { pageInfo?: { hasNextPage?: boolean; endCursor?: string | null }; nodes?: RawNode[] };
type RawCommit = { oid?: string; history?: RawHistory } | null | undefined;

function dateOf(value: string, where: string, oid: string, field: string): number {
  const at = new Date(value).getTime();
  if (Number.isNaN(at)) throw new GitOpsError(`${where}: commit ${oid} has an unreadable ${field} '${value}'`);
  return at;
}

/**
 * When the commit reached the base branch: its committer date, or, if a PR into the base branch brought it (a merge
 * commit keeps the branch commit's own date, B18), the first such merge when that is later. Never earlier.
 */
function landedAt(raw: NonNullable<RawNode> & { oid: string; committedDate: string }, where: string, baseBranch: string): string {
  const committed = dateOf(raw.committedDate, where, raw.oid, 'committedDate');
  const merges = (raw.associatedPullRequests?.nodes ?? []).flatMap((p) => (p?.mergedAt && p.baseRefName === baseBranch ? [dateOf(p.mergedAt, where, raw.oid, 'mergedAt')] : []));
  return new Date(merges.length ? Math.max(committed, Math.min(...merges)) : committed).toISOString();
}

function nodeOf(raw: RawNode, where: string, baseBranch: string): HistoryNode {
  if (!raw?.oid || !raw.committedDate) throw new GitOpsError(`${where}: GitHub returned a commit without oid or committedDate`);
  const node: HistoryNode = { oid: raw.oid, committedAt: landedAt({ ...raw, oid: raw.oid, committedDate: raw.committedDate }, where, baseBranch) };
  const blob = raw.file?.object;
  if (!blob) return node;
  const file = `${where} at ${raw.oid.slice(0, 12)}`;
  if (blob.__typename !== 'Blob') throw new GitOpsError(`${file} is a ${blob.__typename ?? 'non-file'}, not a file`);
  if (typeof blob.text !== 'string') throw new GitOpsError(`${file} is binary; digestpin reads text files only`);
  // Cut at 512,000 bytes, or a text whose git blob id is not the blob's (bytes that are not UTF-8): read over REST.
  const trusted = !blob.isTruncated && (!/^[0-9a-f]{40}$/.test(blob.oid ?? '') || gitBlobOid(blob.text) === blob.oid);
  return trusted ? { ...node, text: blob.text } : { ...node, blob: blob.oid };
}

/** Parses one page of the history query. `where` names the file for errors (`acme/gitops main:apps/x/values.yaml`). */
export function parseHistoryPage(data: { repository?: Record<string, unknown> | null }, where: string, baseBranch: string): HistoryPage {
  const repo = data.repository;
  if (!repo) throw new GitOpsError(`${where}: repository not found or not visible to the token`);
  const commit = (repo.head ?? (repo.base as { target?: RawCommit } | null | undefined)?.target) as RawCommit;
  if (!commit?.oid || !commit.history) throw new GitOpsError(`${where}: base branch '${baseBranch}' does not exist`);
  const info = commit.history.pageInfo;
  const nodes = (commit.history.nodes ?? []).map((n) => nodeOf(n, where, baseBranch));
  return { head: commit.oid, nodes, next: info?.hasNextPage && info.endCursor ? info.endCursor : undefined };
}

/** Reads up to `limit` entries, newest first, a page at a time; then the untrusted texts over REST, once per blob. */
export async function readHistory(api: GitHubApi, t: Target, query: HistoryQuery): Promise<HistoryResult> {
  checkHistoryQuery(query);
  const where = `${t.repository} ${query.baseBranch}:${query.path}`;
  const nodes: HistoryNode[] = [];
  let page: { head: string; after: string } | undefined;
  // Bounded: ceil(limit / 100) pages at most, and it stops early when the history ends.
  while (nodes.length < query.limit) {
    const first = Math.min(HISTORY_PAGE_MAX, query.limit - nodes.length);
    const q = buildHistoryQuery({ owner: t.owner, name: t.repo, baseBranch: query.baseBranch, path: query.path, first, page });
    const data = await api.graphql<{ repository?: Record<string, unknown> | null }>(q.query, q.variables, { step: 'read', repository: t.repository });
    const parsed = parseHistoryPage(data, where, query.baseBranch);
    nodes.push(...parsed.nodes.slice(0, query.limit - nodes.length));
    if (!parsed.next) break;
    page = { head: parsed.head, after: parsed.next };
  }
  const texts = new Map<string, string>();
  const entries: PinHistoryEntry[] = [];
  for (const n of nodes) {
    let text = n.text;
    if (n.blob) {
      if (!texts.has(n.blob)) texts.set(n.blob, await readBlobText(api, t, n.blob, `${query.path} (commit ${n.oid.slice(0, 12)})`));
      text = texts.get(n.blob);
    }
    entries.push(text === undefined ? { oid: n.oid, committedAt: n.committedAt } : { oid: n.oid, committedAt: n.committedAt, text });
  }
  return Object.assign(entries, { calls: api.calls });
}
