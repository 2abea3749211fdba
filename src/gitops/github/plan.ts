// Pure decisions of the GitHub backend: parse the read query's answer into a state, apply the edits to base text,
// and choose the steps (how to write the branch, open/update/close the PR, or stop: blocked, skipped). Data in, out.
import type { ChangedFile, FileEdit } from '../types.js';
import { GitOpsError } from '../../runtime/errors.js';
import { closedByDigestpin, gitBlobOid, isDigestpinCommit, madeByRun, proposalOf, type CommitInfo } from './ownership.js';
import { conflictPrefixes } from './queries.js';

export interface OpenPullRequest {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  isDraft: boolean;
  labels: string[];
  assignees: string[];
  /** Logins and team slugs with a pending review request. */
  reviewers: string[];
  autoMerge: boolean;
  comments: string[];
}

export interface TruncatedBlob {
  side: 'base' | 'branch';
  path: string;
  oid: string;
}

export interface RepoState {
  repositoryId: string;
  nameWithOwner: string;
  autoMergeAllowed: boolean;
  baseOid: string;
  baseMessage?: string;
  baseTexts: Map<string, string | undefined>;
  branchOid?: string;
  branchMessage?: string;
  branchTexts: Map<string, string | undefined>;
  branchBlobOids: Map<string, string | undefined>;
  /** Blobs whose `text` GitHub cut at 512,000 bytes: read in full over REST before any decision. */
  truncated: TruncatedBlob[];
  /** The promotion branch against base (absent when the branch does not exist). */
  compare?: { aheadBy: number; behindBy: number; commits: CommitInfo[] };
  /** The open PR from this repository's promotion branch (fork PRs with the same branch name are ignored). */
  pullRequest?: OpenPullRequest;
  /** Same-repository PRs from the branch that were closed without merging, newest first. */
  closedPullRequests: OpenPullRequest[];
  /** A branch whose name git can't hold beside the promotion branch (`main` for `main/dev/agents`). */
  conflict?: string;
  labelIds: Map<string, string>;
  userIds: Map<string, string>;
  /** Login of the token's user (read in pull-request mode). */
  viewer?: string;
}

type Blob = { __typename?: string; oid?: string; text?: string | null; isTruncated?: boolean } | null | undefined;
type Ref = { target?: { oid?: string; message?: string } | null; compare?: unknown } | null | undefined;
type RawPr = Record<string, unknown> & { isCrossRepository?: boolean; state?: string; merged?: boolean };

function blobText(blob: Blob, where: string): string | undefined {
  if (!blob) return undefined;
  if (blob.__typename !== 'Blob') throw new GitOpsError(`${where} is a ${blob.__typename ?? 'non-file'}, not a file`);
  if (blob.text === null || blob.text === undefined) throw new GitOpsError(`${where} is binary; digestpin edits text files only`);
  return blob.text;
}

const names = (conn: unknown, key: string): string[] =>
  ((conn as { nodes?: Array<Record<string, unknown> | null> } | undefined)?.nodes ?? []).flatMap((n) => (n && typeof n[key] === 'string' ? [n[key] as string] : []));

function parsePr(raw: RawPr): OpenPullRequest {
  const requests = ((raw.reviewRequests as { nodes?: Array<{ requestedReviewer?: Record<string, string> | null }> })?.nodes ?? []).flatMap((n) => {
    const r = n.requestedReviewer;
    return r?.login ? [r.login] : r?.slug ? [r.slug] : [];
  });
  return {
    id: String(raw.id), number: Number(raw.number), url: String(raw.url), title: String(raw.title ?? ''), body: String(raw.body ?? ''),
    state: raw.merged ? 'MERGED' : (raw.state as OpenPullRequest['state']), isDraft: Boolean(raw.isDraft),
    labels: names(raw.labels, 'name'), assignees: names(raw.assignees, 'login'), reviewers: requests,
    autoMerge: Boolean(raw.autoMergeRequest), comments: names(raw.comments, 'body'),
  };
}

function parseCompare(raw: unknown): RepoState['compare'] {
  const c = raw as { aheadBy?: number; behindBy?: number; commits?: { nodes?: CommitInfo[] } } | null | undefined;
  if (!c) return undefined;
  return { aheadBy: c.aheadBy ?? 0, behindBy: c.behindBy ?? 0, commits: c.commits?.nodes ?? [] };
}

/** Turns the read query's `repository` object into a RepoState. */
export function parseRead(data: { repository?: Record<string, unknown> | null; viewer?: { login?: string } | null }, paths: string[], plan: { baseBranch: string; branch?: string; labels?: string[]; users?: string[] }): RepoState {
  const repo = data.repository;
  if (!repo) throw new GitOpsError('repository not found or not visible to the token');
  const base = repo.base as Ref;
  const baseOid = base?.target?.oid;
  if (!baseOid) throw new GitOpsError(`base branch '${plan.baseBranch}' does not exist in ${String(repo.nameWithOwner)}`);
  const truncated: TruncatedBlob[] = [];
  const texts = (side: 'base' | 'branch', prefix: string) =>
    new Map(paths.map((p, i) => {
      const blob = repo[`${prefix}${i}`] as Blob;
      // Cut at 512,000 bytes, or a text whose git blob id is not the blob's (its bytes are not UTF-8, and `text`
      // is always UTF-8): either way the bytes are read over REST, and bytes that are not UTF-8 are refused there.
      const lossy = typeof blob?.text === 'string' && !blob.isTruncated && /^[0-9a-f]{40}$/.test(blob.oid ?? '') && gitBlobOid(blob.text) !== blob.oid;
      if ((blob?.isTruncated || lossy) && blob?.oid) truncated.push({ side, path: p, oid: blob.oid });
      return [p, blobText(blob, `${side === 'base' ? plan.baseBranch : 'branch'}:${p}`)];
    }));
  const branchBlobOids = new Map(paths.map((p, i) => [p, (repo[`h${i}`] as Blob)?.oid]));
  const prs = ((repo.pullRequests as { nodes?: RawPr[] } | undefined)?.nodes ?? []).filter((p) => p && p.isCrossRepository === false).map(parsePr);
  const labelIds = new Map<string, string>();
  (plan.labels ?? []).forEach((l, i) => {
    const node = repo[`l${i}`] as { id?: string } | null;
    if (node?.id) labelIds.set(l, node.id);
  });
  const userIds = new Map<string, string>();
  (plan.users ?? []).forEach((u, i) => {
    const nodes = (repo[`u${i}`] as { nodes?: Array<{ id: string; login: string }> } | null)?.nodes ?? [];
    const hit = nodes.find((n) => n.login.toLowerCase() === u.toLowerCase());
    if (hit) userIds.set(u, hit.id);
  });
  const prefixes = plan.branch ? conflictPrefixes(plan.branch) : [];
  const below = names(repo.below, 'name')[0];
  const conflict = prefixes.find((_, i) => repo[`c${i}`]) ?? (below ? `${plan.branch}/${below}` : undefined);
  const branch = repo.branch as Ref;
  return {
    repositoryId: String(repo.id),
    nameWithOwner: String(repo.nameWithOwner),
    autoMergeAllowed: repo.autoMergeAllowed !== false,
    baseOid,
    baseMessage: base?.target?.message,
    baseTexts: texts('base', 'f'),
    branchOid: branch?.target?.oid ?? undefined,
    branchMessage: branch?.target?.message,
    branchTexts: plan.branch !== undefined ? texts('branch', 'h') : new Map(),
    branchBlobOids,
    truncated,
    compare: parseCompare(base?.compare),
    pullRequest: prs.find((p) => p.state === 'OPEN'),
    closedPullRequests: prs.filter((p) => p.state === 'CLOSED'),
    conflict: branch?.target?.oid ? undefined : conflict,
    labelIds,
    userIds,
    viewer: data.viewer?.login ?? undefined,
  };
}

/** Applies every edit to its file's text; returns only files whose text really changes. Edits to one path chain. */
export function applyEdits(edits: FileEdit[], texts: Map<string, string | undefined>): ChangedFile[] {
  const current = new Map(texts);
  const touched = new Map<string, ChangedFile>();
  for (const edit of edits) {
    const before = current.get(edit.path);
    const result = edit.apply(before);
    current.set(edit.path, result.text);
    const prior = touched.get(edit.path);
    touched.set(edit.path, { path: edit.path, before: prior ? prior.before : before, after: result.text, summary: result.summary ?? prior?.summary });
  }
  return [...touched.values()].filter((f) => f.before !== f.after);
}

/** How the new commit reaches the promotion branch. None of them ever points the branch at base (that closes its PR). */
export type WriteHow =
  /** No branch yet: create it at base, commit on it. */
  | 'create'
  /** Commit on top of the branch head (it is base itself, or base plus digestpin's own commits only). */
  | 'on-head'
  /** Commit on a scratch branch at base, then move the promotion branch there in one checked update. */
  | 'rebuild';

export type Step =
  /** `reason`: why a step that would have acted (closing a superseded PR) did not. */
  | { kind: 'unchanged'; reason?: string }
  | { kind: 'close'; pullRequest: OpenPullRequest }
  | { kind: 'skipped'; reason: string; pullRequest: OpenPullRequest }
  | { kind: 'blocked'; reason: string; foreign: CommitInfo[] }
  /** The branch already holds the change: open a PR for it (none open) or refresh the open one (this run's commit). */
  | { kind: 'publish'; pullRequest: 'open' | 'update' }
  | { kind: 'write'; how: WriteHow; pullRequest: 'open' | 'update' };

export interface DecideContext {
  branch: string;
  baseBranch: string;
  runId: string;
  force: boolean;
  /** proposalKey of the changes. */
  proposal: string;
  /** The branch pins exactly what this run pins (the edits change nothing there). */
  branchPinsSame: boolean;
}

/** A branch head that is base plus at most this many digestpin commits is committed on top of; beyond, rebuilt. */
const ON_HEAD_LIMIT = 10;

function branchHas(state: RepoState, changes: ChangedFile[]): boolean {
  if (state.branchOid === undefined) return false;
  return changes.every((c) => (state.branchTexts.get(c.path) ?? null) === c.after || state.branchBlobOids.get(c.path) === gitBlobOid(c.after));
}

function foreignCommits(state: RepoState, branch: string): CommitInfo[] {
  const cmp = state.compare;
  if (!cmp) return [];
  const seen = cmp.commits.filter((c) => !isDigestpinCommit(c, branch, state.viewer));
  // Commits beyond the page are unknown: treat them as someone else's, never as ours.
  if (cmp.aheadBy > cmp.commits.length) return [...seen, { oid: `${cmp.aheadBy - cmp.commits.length} more`, message: '(not listed)' }];
  return seen;
}

function foreignSummary(ctx: DecideContext, foreign: CommitInfo[]): string {
  const first = foreign[0];
  // First line only, and no quote or control characters: a commit subject is someone else's text.
  const subject = (first?.message ?? '').split('\n')[0]?.replace(/[\x00-\x1f\x7f"]/g, ' ').slice(0, 60);
  return `promotion branch '${ctx.branch}' has ${foreign.length} commit(s) digestpin did not make (${first?.oid.slice(0, 7)} "${subject}")`;
}

function blockedReason(ctx: DecideContext, state: RepoState, foreign: CommitInfo[]): string {
  const pr = state.pullRequest ? `PR #${state.pullRequest.number}` : 'it';
  return `${foreignSummary(ctx, foreign)}; left as it is: merge or close ${pr}, or set force-update: true to overwrite it`;
}

/** Pull-request mode: what to do given the state and the files the edits change relative to base. */
export function decidePullRequest(state: RepoState, changes: ChangedFile[], ctx: DecideContext): Step {
  const pr = state.pullRequest;
  if (changes.length === 0) {
    // Base holds this run's pin. Close the open PR only if that is what it proposes, not a newer digest, and only if
    // nobody else committed on it: a reviewer's commit may carry more than the pin, and closing would bury it.
    if (!pr || !ctx.branchPinsSame) return { kind: 'unchanged' };
    const foreign = ctx.force ? [] : foreignCommits(state, ctx.branch);
    if (foreign.length === 0) return { kind: 'close', pullRequest: pr };
    return { kind: 'unchanged', reason: `PR #${pr.number} was not closed: ${foreignSummary(ctx, foreign)}; '${ctx.baseBranch}' already holds its pin, so close it by hand once those commits are dealt with` };
  }
  // A PR digestpin closed itself (superseded) proposes nothing any more: its marker was rewritten (older versions: its note).
  const closed = pr ? undefined : state.closedPullRequests.find((p) => proposalOf(p.body) === ctx.proposal && !closedByDigestpin(p.comments));
  if (closed) {
    return { kind: 'skipped', pullRequest: closed, reason: `PR #${closed.number} proposing this change was closed without merging; not opening it again (a newer digest opens a new PR)` };
  }
  if (branchHas(state, changes)) {
    if (!pr) return { kind: 'publish', pullRequest: 'open' };
    return madeByRun(state.branchMessage, ctx.runId) ? { kind: 'publish', pullRequest: 'update' } : { kind: 'unchanged' };
  }
  const pullRequest = pr ? 'update' : 'open';
  if (state.branchOid === undefined) {
    if (state.conflict) {
      throw new GitOpsError(`promotion branch '${ctx.branch}' can't exist in ${state.nameWithOwner}: branch '${state.conflict}' is in the way (git can't hold both names); change branch-template`);
    }
    return { kind: 'write', how: 'create', pullRequest };
  }
  const foreign = foreignCommits(state, ctx.branch);
  // Someone else's commits block only while an open PR uses the branch. With none open (merged, squash-merged or
  // closed, the branch left behind: GitHub keeps head branches by default), the branch is disposable: GitHub keeps each
  // old PR's commits under refs/pull/N/head, so rebuilding it on base loses nothing (behaviour B19).
  if (foreign.length > 0 && pr && !ctx.force) return { kind: 'blocked', foreign, reason: blockedReason(ctx, state, foreign) };
  const cmp = state.compare ?? { aheadBy: Infinity, behindBy: Infinity, commits: [] };
  const onHead = cmp.behindBy === 0 && foreign.length === 0 && cmp.aheadBy < ON_HEAD_LIMIT;
  return { kind: 'write', how: onHead ? 'on-head' : 'rebuild', pullRequest };
}

/** createCommitOnBranch's fileChanges: every changed file, base64, in one commit. */
export function fileChanges(changes: ChangedFile[]): { additions: Array<{ path: string; contents: string }> } {
  return { additions: changes.map((c) => ({ path: c.path, contents: Buffer.from(c.after, 'utf8').toString('base64') })) };
}
