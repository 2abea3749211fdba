// Pure builders for the git command lines the backend runs, and readers for what git prints back.
// Each returns an argv array (no shell); tests compare them as tables.
import { posix } from 'node:path';
import type { PullRequestOptions } from '../types.js';
import { InputError } from '../../runtime/errors.js';
import type { GitRemote } from './remote.js';

/** Shallow, blob-less, no checkout: only the base commit and its trees cross the wire. */
export function cloneArgs(remote: GitRemote, branch: string, dir: string): string[] {
  const uploadPack = remote.uploadPack ? ['--upload-pack', remote.uploadPack] : [];
  return ['clone', '--quiet', '--filter=blob:none', '--no-checkout', '--depth', '1', '--single-branch',
    '--no-tags', '--branch', branch, ...uploadPack, '--', remote.url, dir];
}

/** Fetch one remote branch (commit and trees only: the clone's promisor filter applies) into its tracking ref. */
export function fetchBranchArgs(branch: string): string[] {
  return ['fetch', '--quiet', '--no-tags', '--depth', '1', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`];
}

/**
 * Non-cone sparse patterns (gitignore syntax), one per target file, anchored at the root. Glob characters in
 * a path are escaped so a file named `values[prod].yaml` matches only itself.
 */
export function sparsePatterns(paths: readonly string[]): string {
  return paths.map((p) => `/${p.replace(/[\\*?[\]!#]/g, '\\$&').replace(/ $/, '\\ ')}\n`).join('');
}

export interface PushPlan {
  branch: string;
  /** Pull-request mode: the branch's old oid ('' = must not exist yet). Absent: fast-forward only. */
  lease?: string;
  /** GitLab `merge_request.*` push options. */
  pushOptions?: string[];
}

export function pushArgs(commit: string, plan: PushPlan): string[] {
  const ref = `refs/heads/${plan.branch}`;
  const lease = plan.lease === undefined ? [] : [`--force-with-lease=${ref}:${plan.lease}`];
  const options = (plan.pushOptions ?? []).flatMap((o) => ['-o', o]);
  // A branch push's parent may be a base head no ref points at any more; push.negotiate lets the server say it
  // has it, so the pack holds only the new objects instead of every blob of the tree (which a partial clone
  // would first fetch). A fast-forward push never needs it (git refuses before packing when the head moved),
  // and skipping the extra round trip keeps the window for a race short.
  const negotiate = plan.lease === undefined ? [] : ['-c', 'push.negotiate=true'];
  return [...negotiate, 'push', '--porcelain', '--no-verify', ...lease, ...options, 'origin', `${commit}:${ref}`];
}

/** GitLab creates or updates a merge request from push options; values can't hold newlines. */
export function gitLabPushOptions(base: string, title: string, pr: PullRequestOptions = {}): string[] {
  const flat = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();
  const options = ['merge_request.create', `merge_request.target=${flat(base)}`, `merge_request.title=${flat(title)}`];
  for (const label of pr.labels ?? []) options.push(`merge_request.label=${flat(label)}`);
  for (const user of pr.assignees ?? []) options.push(`merge_request.assign=${flat(user)}`);
  if (pr.draft) options.push('merge_request.draft');
  if (pr.autoMerge) options.push('merge_request.merge_when_pipeline_succeeds');
  return options;
}

/**
 * GitLab prints `View merge request for BRANCH:` then the URL; older versions the same with `remote:` prefixes.
 * The server wrote it and it goes into outputs and the summary's Markdown, so only a plain http(s) URL of
 * host, port and path characters is taken (no quotes, brackets, parentheses or `::`).
 */
export function parseMergeRequest(output: string): { url: string; number: number } | undefined {
  const match = /(?:^|\s)(https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/[A-Za-z0-9._~%/-]*?\/-\/merge_requests\/(\d{1,12}))(?=\s|$)/m.exec(output);
  return match?.[1] && match[2] ? { url: match[1], number: Number(match[2]) } : undefined;
}

/** A target file must name a file inside the repository: relative, normalised, no `..`, not under `.git`. */
export function checkTargetPath(path: string): string {
  const bad = (why: string) => new InputError('file', `'${path}' ${why}; give a path relative to the GitOps repository root, e.g. apps/api/values.yaml`);
  if (!path || path.includes('\0') || path.includes('\\')) throw bad('is not a usable path');
  if (posix.isAbsolute(path)) throw bad('is absolute');
  const normal = posix.normalize(path);
  if (normal !== path || path.endsWith('/')) throw bad(`is not normalised (did you mean '${normal.replace(/\/$/, '')}'?)`);
  const parts = path.split('/');
  if (parts.includes('..')) throw bad('leaves the repository');
  if (parts.some((p) => p.toLowerCase() === '.git')) throw bad('points into .git');
  return path;
}
