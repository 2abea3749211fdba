// The sparse working copy of the GitOps repository: a shallow, blob-less clone of the base branch whose
// working tree holds only the target files, so only their blobs are ever fetched. Side effects live here.
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { decodeUtf8 } from '../../runtime/utf8.js';
import { dirname, join } from 'node:path';
import { GitOpsError } from '../../runtime/errors.js';
import { cloneArgs, fetchBranchArgs, sparsePatterns } from './argv.js';
import { gitCommandError } from './failure.js';
import type { GitSession } from './session.js';

/** Clone `base` into `session.dir` and check out only `paths`. Returns the base head commit. */
export async function cloneSparse(session: GitSession, base: string, paths: readonly string[]): Promise<string> {
  await session.run(cloneArgs(session.remote, base, session.dir), {
    network: true, operation: 'clone', branch: base, cwd: dirname(session.dir),
  });
  // The clone's --upload-pack is not remembered; the lazy blob fetches of checkout and later fetches need it too.
  if (session.remote.uploadPack) await session.run(['config', 'remote.origin.uploadpack', session.remote.uploadPack]);
  await session.run(['sparse-checkout', 'set', '--no-cone', '--stdin'], { input: sparsePatterns(paths) });
  // Checking out fetches the target blobs in one batch from the promisor remote.
  await session.run(['checkout', '--quiet', '--force', base], { network: true, operation: 'checkout', branch: base });
  return revParse(session, 'HEAD');
}

/** Move the clone to the remote's current base head (after a lost race). Returns that head. */
export async function refreshBase(session: GitSession, base: string): Promise<string> {
  await session.run(fetchBranchArgs(base), { network: true, operation: 'fetch', branch: base });
  await session.run(['reset', '--quiet', '--hard', `refs/remotes/origin/${base}`], { network: true, operation: 'checkout' });
  return revParse(session, 'HEAD');
}

export interface RemoteBranch {
  commit: string;
  tree: string;
}

/** The promotion branch as the remote has it now, or undefined when it does not exist. */
export async function fetchRemoteBranch(session: GitSession, branch: string): Promise<RemoteBranch | undefined> {
  const result = await session.run(fetchBranchArgs(branch), { network: true, operation: 'fetch', branch, allowFailure: true });
  if (result.exitCode !== 0) {
    if (/couldn't find remote ref/i.test(result.stderr)) return undefined;
    throw gitCommandError(result.stderr, { operation: 'fetch', remote: session.remote.display, branch });
  }
  const commit = await revParse(session, `refs/remotes/origin/${branch}`);
  return { commit, tree: await revParse(session, `${commit}^{tree}`) };
}

export async function revParse(session: GitSession, rev: string): Promise<string> {
  return (await session.run(['rev-parse', '--verify', '--quiet', `${rev}^{object}`])).stdout.trim();
}

/** Current text of a target file in the working tree; undefined when the file does not exist yet. */
export async function readTarget(session: GitSession, path: string): Promise<string | undefined> {
  const full = join(session.dir, path);
  const stat = await lstat(full).catch(() => undefined);
  if (!stat) return undefined;
  // Following a symlink could edit a file outside the target, or outside the repository.
  if (!stat.isFile()) throw new GitOpsError(`${path} in ${session.remote.display} is not a regular file (a symlink or a directory); pin the file it points to`);
  // Bytes, not 'utf8': a Latin-1 comment decoded as U+FFFD would be committed back and hidden in the diff.
  return decodeUtf8(await readFile(full), path);
}

export async function writeTarget(session: GitSession, path: string, text: string): Promise<void> {
  const full = join(session.dir, path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, text, 'utf8');
}

/** One commit on top of HEAD with exactly `paths` staged. Returns the commit and its tree. */
export async function commitTargets(
  session: GitSession, paths: readonly string[], message: string,
): Promise<{ commit: string; tree: string }> {
  await session.run(['add', '--', ...paths]);
  await session.run(['commit', '--quiet', '--no-verify', '--cleanup=strip', '--file=-'], { input: message });
  const [commit = '', tree = ''] = (await session.run(['rev-parse', 'HEAD', 'HEAD^{tree}'])).stdout.split('\n');
  return { commit, tree };
}
