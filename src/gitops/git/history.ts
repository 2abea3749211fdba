// A file's history on the base branch through plain git (issue 11: soak time, rollback). A shallow, blob-less clone
// into a temporary folder, deepened only until `limit` changes are seen (doubling, then unshallow: at most 9 network
// calls an attempt), `git log --first-parent -- path`, and the blobs of those commits fetched in one batch and decoded
// strictly as UTF-8. Never writes to the remote; transient failures are retried. `calls`: commands that used the remote.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GitOpsError } from '../../runtime/errors.js';
import { exec as defaultExec } from '../../runtime/exec.js';
import { decodeUtf8 } from '../../runtime/utf8.js';
import { checkHistoryQuery, type HistoryResult } from '../history-query.js';
import type { HistoryQuery, PinHistoryEntry } from '../types.js';
import type { GitBackendOptions } from './backend.js';
import { backoffDelay, nextRetry, type RetryState } from './backoff.js';
import { GitCommandError, RETRYABLE } from './failure.js';
import { parseRemote, type GitRemote } from './remote.js';
import { createGitSession, DEFAULT_IDENTITY, type GitSession } from './session.js';

/** Commits fetched by the clone; each deepening doubles what is there. */
export const INITIAL_DEPTH = 64;
/** Doublings before the rest of the history is fetched in one go (`--unshallow`). */
export const MAX_DEEPENINGS = 6;
const ZERO = /^0+$/;

/** One commit of `git log --raw` for the path: `blob` is the file's blob id there, undefined when it was deleted. */
export interface LoggedChange {
  oid: string;
  committedAt: string;
  blob?: string;
}

/** Shallow (`depth` commits), blob-less, no checkout: commits and trees only. */
export function historyCloneArgs(remote: GitRemote, branch: string, dir: string, depth: number): string[] {
  const uploadPack = remote.uploadPack ? ['--upload-pack', remote.uploadPack] : [];
  return ['clone', '--quiet', '--filter=blob:none', '--no-checkout', '--depth', String(depth), '--single-branch',
    '--no-tags', '--branch', branch, ...uploadPack, '--', remote.url, dir];
}

/** `--deepen=N` adds N commits below the current shallow boundary; no N: fetch all the rest (`--unshallow`). */
export function deepenArgs(branch: string, by?: number): string[] {
  const how = by === undefined ? '--unshallow' : `--deepen=${by}`;
  return ['fetch', '--quiet', '--no-tags', how, 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`];
}

/**
 * First-parent history of `path` from `head`: a merge is listed when it changed the file against its first parent
 * (the moment the change reached the branch), a merged branch's own commits are not. `--raw` gives each commit's
 * blob id from trees alone, so no blob is fetched to list them.
 */
export function historyLogArgs(head: string, path: string, count: number): string[] {
  return ['log', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--raw', '--no-abbrev',
    '--format=%x01%H %ct', `--max-count=${count}`, head, '--', path];
}

/** The batch fetch git's own partial-clone fetches use: blob ids on stdin, one round trip for all of them. */
export function blobFetchArgs(): string[] {
  return ['-c', 'fetch.negotiationAlgorithm=noop', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head',
    '--recurse-submodules=no', '--filter=blob:none', '--stdin', 'origin'];
}

/** Parses `historyLogArgs` output. `where` names the file in errors. */
export function parseHistoryLog(stdout: string, where: string): LoggedChange[] {
  return stdout.split('\x01').filter((chunk) => chunk.trim()).map((chunk) => {
    const [head = '', ...rest] = chunk.split('\n');
    const m = /^([0-9a-f]{40,64}) (\d+)$/.exec(head.trim());
    if (!m) throw new GitOpsError(`${where}: unexpected git log line '${head.trim()}'`);
    const oid = m[1]!;
    const raw = rest.filter((l) => l.startsWith(':'));
    if (raw.length !== 1) throw new GitOpsError(`${where} is not one file at commit ${oid.slice(0, 12)} (${raw.length} entries); give the path of a file`);
    // `:<old mode> <new mode> <old blob> <new blob> <status>\t<path>`
    const [, newMode = '', , newBlob = ''] = raw[0]!.slice(1).split('\t')[0]!.split(' ');
    const committedAt = new Date(Number(m[2]) * 1000).toISOString();
    if (ZERO.test(newMode)) return { oid, committedAt };
    if (newMode !== '100644' && newMode !== '100755') throw new GitOpsError(`${where} is not a regular file at commit ${oid.slice(0, 12)} (mode ${newMode}: a symlink or a submodule)`);
    return { oid, committedAt, blob: newBlob };
  });
}

/** Up to `limit` changes from `head`, deepening the clone until that many are seen or the history ends. */
async function logChanges(session: GitSession, query: HistoryQuery, head: string, where: string): Promise<LoggedChange[]> {
  let depth = INITIAL_DEPTH;
  for (let deepenings = 0; ; deepenings += 1) {
    const out = await session.run(historyLogArgs(head, query.path, query.limit + 1));
    let changes = parseHistoryLog(out.stdout, where);
    const shallow = (await session.run(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
    if (!shallow) return changes.slice(0, query.limit);
    // A shallow boundary looks like a root commit that adds every file: whether it changed the path is not known.
    const boundary = new Set((await readFile(join(session.dir, '.git', 'shallow'), 'utf8').catch(() => '')).split('\n').filter(Boolean));
    changes = changes.filter((c) => !boundary.has(c.oid));
    if (changes.length >= query.limit) return changes.slice(0, query.limit);
    const by = deepenings < MAX_DEEPENINGS ? depth : undefined;
    await session.run(deepenArgs(query.baseBranch, by), { network: true, operation: 'fetch', branch: query.baseBranch });
    depth += by ?? 0;
  }
}

/** The texts of `blobs` (fetched in one batch first), each decoded strictly as UTF-8. */
async function readBlobs(session: GitSession, blobs: string[], names: Map<string, string>): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  if (blobs.length === 0) return texts;
  await session.run(blobFetchArgs(), { network: true, operation: 'fetch', input: `${blobs.join('\n')}\n` });
  for (const blob of blobs) {
    // unpack-file writes the exact bytes to a temporary file in the clone: read as bytes, never as a lossy string.
    const file = join(session.dir, (await session.run(['unpack-file', blob])).stdout.trim());
    texts.set(blob, decodeUtf8(await readFile(file), names.get(blob) ?? blob));
    await rm(file, { force: true });
  }
  return texts;
}

/** One attempt in its own temporary clone: clone, deepen as needed, log, fetch the blobs, read them. */
async function readOnce(session: GitSession, query: HistoryQuery, where: string): Promise<PinHistoryEntry[]> {
  const remote = session.remote;
  await session.run(historyCloneArgs(remote, query.baseBranch, session.dir, INITIAL_DEPTH), { network: true, operation: 'clone', branch: query.baseBranch, cwd: dirname(session.dir) });
  if (remote.uploadPack) await session.run(['config', 'remote.origin.uploadpack', remote.uploadPack]);
  // The head the clone saw: deepening fetches the branch again, and a base that moved meanwhile must not shift the list.
  const head = (await session.run(['rev-parse', '--verify', 'HEAD^{commit}'])).stdout.trim();
  const changes = await logChanges(session, query, head, where);
  const blobs = [...new Set(changes.flatMap((c) => (c.blob ? [c.blob] : [])))];
  const names = new Map(changes.flatMap((c) => (c.blob ? [[c.blob, `${query.path} (commit ${c.oid.slice(0, 12)})`] as const] : [])));
  const texts = await readBlobs(session, blobs, names);
  return changes.map((c) => (c.blob ? { oid: c.oid, committedAt: c.committedAt, text: texts.get(c.blob) } : { oid: c.oid, committedAt: c.committedAt }));
}

/**
 * Reads the history; a dropped connection or a refusal starts a fresh attempt after a jittered pause, with the same
 * budget as a promotion (backoff.ts). `calls` counts every network call, those of failed attempts too.
 */
export async function readGitHistory(options: GitBackendOptions, query: HistoryQuery): Promise<HistoryResult> {
  checkHistoryQuery(query);
  const remote = parseRemote(options.remote ?? query.repository, { gitlab: options.gitlab });
  const where = `${remote.display} ${query.baseBranch}:${query.path}`;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  await mkdir(options.workDir, { recursive: true });
  let state: RetryState = { attempts: 0, transient: 0 };
  let calls = 0;
  for (let n = 1; ; n += 1) {
    const root = await mkdtemp(join(options.workDir, 'digestpin-history-'));
    const session = createGitSession(options.exec ?? defaultExec, options.logger, remote, join(root, 'repo'), options.identity ?? DEFAULT_IDENTITY, options.stallSeconds);
    try {
      const entries = await readOnce(session, query, where);
      calls += session.calls;
      options.logger.debug(`history of ${where}: ${entries.length} change(s), ${calls} git network call(s)`);
      return Object.assign(entries, { calls });
    } catch (error) {
      calls += session.calls;
      const next = error instanceof GitCommandError ? nextRetry(state, error.kind) : undefined;
      if (!next) throw n > 1 && error instanceof GitCommandError && RETRYABLE.has(error.kind) ? new GitOpsError(`${error.message} (gave up after ${n} attempts)`, undefined, { cause: error }) : error;
      state = next;
      const delay = backoffDelay(n, options.random);
      options.logger.info(`${(error as Error).message}; retrying in ${delay} ms (attempt ${n + 1})`);
      await sleep(delay);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
}
