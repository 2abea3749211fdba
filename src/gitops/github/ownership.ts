// What digestpin writes so that a later run can recognise its own work: commit trailers (this branch, this run) and
// hidden markers in PR bodies and comments (what the PR proposes; which head a "blocked" note was about). Pure.
import { createHash } from 'node:crypto';
import type { ChangedFile } from '../types.js';

export interface CommitInfo {
  oid: string;
  message: string;
  committer?: { name?: string | null; email?: string | null } | null;
  author?: { user?: { login?: string | null } | null } | null;
}

/** Trailers appended to every commit message digestpin makes. */
export function commitTrailers(branch: string, runId: string): string {
  return `Digestpin-Branch: ${branch}\nDigestpin-Run: ${runId}`;
}

function trailer(message: string, key: string): string | undefined {
  return new RegExp(`^${key}: (.+)$`, 'm').exec(message)?.[1]?.trim();
}

/** This very run made the commit (its response may have been lost on the way back). */
export function madeByRun(message: string | undefined, runId: string): boolean {
  return message !== undefined && trailer(message, 'Digestpin-Run') === runId;
}

/**
 * A commit is digestpin's when it carries the branch trailer AND GitHub's web-flow committer. createCommitOnBranch
 * commits always have the committer of web-interface commits (GraphQL schema docs), whatever the token; a commit
 * pushed from a clone carries the pusher as committer, so amending digestpin's commit locally (which keeps the
 * trailer) still counts as a human commit. A web-UI edit has the web-flow committer but no trailer.
 */
export function isDigestpinCommit(commit: CommitInfo, branch: string, viewer?: string): boolean {
  const webFlow = /^noreply@/i.test(commit.committer?.email ?? '');
  if (!webFlow) return false;
  if (trailer(commit.message, 'Digestpin-Branch') === branch) return true;
  // Commits of digestpin versions without the trailer: made through the API by this very token, when the token is a
  // bot (GitHub App or GITHUB_TOKEN). No person can make a web-flow commit authored by a bot user; a person's own PAT
  // is not trusted this way, since their web-UI edits look the same.
  return Boolean(viewer?.endsWith('[bot]')) && commit.author?.user?.login === viewer;
}

/** Identifies what a PR proposes: each path with the image it pins (or the text's hash when no image is known). */
export function proposalKey(changes: ChangedFile[]): string {
  const parts = changes.map((c) => `${c.path}=${c.summary?.imageRef ?? createHash('sha256').update(c.after).digest('hex')}`).sort();
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

export function proposalMarker(key: string): string {
  return `<!-- digestpin:proposal ${key} -->`;
}

export function proposalOf(body: string | undefined): string | undefined {
  return /<!-- digestpin:proposal ([0-9a-f]+) -->/.exec(body ?? '')?.[1];
}

/**
 * The body of a PR digestpin closes as superseded: its proposal marker becomes a superseded one, so that the check for
 * "a person closed this without merging" (proposalOf) no longer sees it, and a later promotion of that digest opens a PR.
 */
export function supersededBody(body: string): string {
  return body.replace(/<!-- digestpin:proposal ([0-9a-f]+) -->/g, '<!-- digestpin:superseded $1 -->');
}

/** The superseded note of a digestpin version that did not yet rewrite the body (its last line). */
export function closedByDigestpin(comments: string[]): boolean {
  return comments.some((c) => /Closed by digestpin\.$/.test(c.trim()));
}

export function blockedMarker(headOid: string): string {
  return `<!-- digestpin:blocked ${headOid} -->`;
}

/** Git's blob id of `text`, to compare with a Blob's `oid` when its text was truncated. */
export function gitBlobOid(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
