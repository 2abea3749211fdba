// Pure decisions of the GitHub backend: parse the read query's answer into a state, apply the edits to base text,
// and choose the steps (reset/create branch, commit, open/update/close PR). Data in, data out.
import type { ChangedFile, FileEdit } from '../types.js';
import { GitOpsError } from '../../runtime/errors.js';

export interface OpenPullRequest {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
}

export interface RepoState {
  repositoryId: string;
  nameWithOwner: string;
  baseOid: string;
  baseTexts: Map<string, string | undefined>;
  branchOid?: string;
  branchTexts: Map<string, string | undefined>;
  pullRequest?: OpenPullRequest;
  labelIds: Map<string, string>;
  userIds: Map<string, string>;
  teamIds: Map<string, string>;
}

type Blob = { __typename?: string; text?: string | null } | null | undefined;
type Ref = { target?: { oid?: string } | null } | null | undefined;

function blobText(blob: Blob, where: string): string | undefined {
  if (!blob) return undefined;
  if (blob.__typename !== 'Blob') throw new GitOpsError(`${where} is a ${blob.__typename ?? 'non-file'}, not a file`);
  if (blob.text === null || blob.text === undefined) throw new GitOpsError(`${where} is binary; digestpin edits text files only`);
  return blob.text;
}

/** Turns the read query's `repository` object into a RepoState. */
export function parseRead(data: { repository?: Record<string, unknown> | null }, paths: string[], plan: { baseBranch: string; labels?: string[]; users?: string[]; teams?: string[] }): RepoState {
  const repo = data.repository;
  if (!repo) throw new GitOpsError('repository not found or not visible to the token');
  const baseOid = (repo.base as Ref)?.target?.oid;
  if (!baseOid) throw new GitOpsError(`base branch '${plan.baseBranch}' does not exist in ${String(repo.nameWithOwner)}`);
  const baseTexts = new Map(paths.map((p, i) => [p, blobText(repo[`f${i}`] as Blob, `${plan.baseBranch}:${p}`)]));
  const branchTexts = new Map(paths.map((p, i) => [p, blobText(repo[`h${i}`] as Blob, `branch:${p}`)]));
  const prs = (repo.pullRequests as { nodes?: OpenPullRequest[] } | undefined)?.nodes ?? [];
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
  const teamIds = new Map<string, string>();
  const owner = repo.owner as Record<string, { id?: string } | null> | undefined;
  (plan.teams ?? []).forEach((t, i) => {
    const id = owner?.[`t${i}`]?.id;
    if (id) teamIds.set(t, id);
  });
  return {
    repositoryId: String(repo.id),
    nameWithOwner: String(repo.nameWithOwner),
    baseOid,
    baseTexts,
    branchOid: (repo.branch as Ref)?.target?.oid ?? undefined,
    branchTexts,
    pullRequest: prs[0],
    labelIds,
    userIds,
    teamIds,
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

export type Step =
  | { kind: 'unchanged' }
  | { kind: 'close'; pullRequest: OpenPullRequest }
  | { kind: 'pull-request'; branch: 'create' | 'reset' | 'keep'; commit: boolean; pullRequest: 'open' | 'update' | 'keep' };

/** Pull-request mode: what to do given the state and the files the edits change relative to base. */
export function decidePullRequest(state: RepoState, changes: ChangedFile[]): Step {
  if (changes.length === 0) return state.pullRequest ? { kind: 'close', pullRequest: state.pullRequest } : { kind: 'unchanged' };
  const branchHasChanges = state.branchOid !== undefined && changes.every((c) => state.branchTexts.get(c.path) === c.after);
  if (branchHasChanges) {
    return state.pullRequest ? { kind: 'unchanged' } : { kind: 'pull-request', branch: 'keep', commit: false, pullRequest: 'open' };
  }
  const branch = state.branchOid === undefined ? 'create' : state.branchOid === state.baseOid ? 'keep' : 'reset';
  return { kind: 'pull-request', branch, commit: true, pullRequest: state.pullRequest ? 'update' : 'open' };
}

/** createCommitOnBranch's fileChanges: every changed file, base64, in one commit. */
export function fileChanges(changes: ChangedFile[]): { additions: Array<{ path: string; contents: string }> } {
  return { additions: changes.map((c) => ({ path: c.path, contents: Buffer.from(c.after, 'utf8').toString('base64') })) };
}
