// The double's storage: a real bare git repository driven by plumbing. Objects, trees and commits are written by
// `git fast-import` onto a scratch ref, and every branch update is a compare-and-swap (`git update-ref ref new old`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { exec } from '../../src/runtime/exec.js';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'GitHub',
  GIT_AUTHOR_EMAIL: 'noreply@github.test',
  GIT_COMMITTER_NAME: 'GitHub',
  GIT_COMMITTER_EMAIL: 'noreply@github.test',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};
export const ZERO_OID = '0'.repeat(40);

/** Who a commit is by. createCommitOnBranch: author = the token's user, committer = GitHub's web-flow identity. */
export interface Identity {
  name: string;
  email: string;
}
export const WEB_FLOW: Identity = { name: 'GitHub', email: 'noreply@github.com' };

/** Who and when for a fixture commit; `merge` adds parents after the first (a merge commit). Dates in epoch seconds. */
export interface CommitOptions {
  author?: Identity;
  committer?: Identity;
  authoredAt?: number;
  committedAt?: number;
  merge?: string[];
}

export interface CommitNode {
  oid: string;
  message: string;
  committer: Identity;
  /** GitHub links an author to a user by email; here, `<id>+<login>@users.noreply.github.com` addresses only. */
  author: { name: string; email: string; user: { login: string } | null };
}

export interface ObjectInfo {
  oid: string;
  kind: string;
  bytes: Buffer;
}

export class BareRepo {
  private scratch = 0;
  private constructor(readonly dir: string) {}

  static async create(files: Record<string, string>, branch = 'main'): Promise<BareRepo> {
    const dir = await mkdtemp(join(tmpdir(), 'digestpin-ghdouble-'));
    await exec('git', ['init', '--bare', '--quiet', '--initial-branch', branch, dir], { env: IDENTITY });
    const repo = new BareRepo(dir);
    const commit = await repo.commitFiles(undefined, Object.entries(files).map(([path, text]) => ({ path, text })), 'initial');
    if (!(await repo.compareAndSwap(`refs/heads/${branch}`, commit, ZERO_OID))) throw new Error('could not create base branch');
    return repo;
  }

  private git(args: string[], options: { input?: string; env?: Record<string, string>; allowFailure?: boolean } = {}) {
    return exec('git', args, { env: { ...IDENTITY, GIT_DIR: this.dir, ...options.env }, input: options.input, allowFailure: options.allowFailure, quiet: true });
  }

  async revParse(ref: string): Promise<string | undefined> {
    const r = await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFailure: true });
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  }

  /** Texts of `rev:path` expressions in one `cat-file --batch`; `undefined` when missing, `null` when not a blob. */
  async readBlobs(expressions: string[]): Promise<Array<string | null | undefined>> {
    return (await this.readObjects(expressions)).map((o) => (o === undefined ? undefined : o.kind === 'blob' ? o.bytes.toString('utf8') : null));
  }

  /** Objects named by `rev:path` (or an oid) in one `cat-file --batch`, with their ids and exact bytes. */
  async readObjects(expressions: string[]): Promise<Array<ObjectInfo | undefined>> {
    if (expressions.length === 0) return [];
    // Raw bytes (execa's buffer mode): a blob is returned exactly, whatever its encoding.
    const r = await execa('git', ['cat-file', '--batch'], { env: { ...IDENTITY, GIT_DIR: this.dir }, input: `${expressions.join('\n')}\n`, encoding: 'buffer', stripFinalNewline: false });
    const out = Buffer.from(r.stdout);
    const objects: Array<ObjectInfo | undefined> = [];
    let at = 0;
    for (let i = 0; i < expressions.length; i += 1) {
      const nl = out.indexOf(10, at);
      const header = out.subarray(at, nl).toString('utf8');
      at = nl + 1;
      const m = /^([0-9a-f]{40}) (\w+) (\d+)$/.exec(header);
      if (!m) {
        objects.push(undefined);
        continue;
      }
      const size = Number(m[3]);
      objects.push({ oid: m[1]!, kind: m[2]!, bytes: Buffer.from(out.subarray(at, at + size)) });
      at += size + 1;
    }
    return objects;
  }

  /** Commits reachable from `head` but not from `base`, newest first, as GitHub's Comparison lists them. */
  async commitsBetween(base: string, head: string): Promise<CommitNode[]> {
    const r = await this.git(['log', '--format=%H%x00%cn%x00%ce%x00%an%x00%ae%x00%B%x01', `${base}..${head}`]);
    return r.stdout
      .split('\x01')
      .map((chunk) => chunk.replace(/^\n/, ''))
      .filter((chunk) => chunk.includes('\x00'))
      .map((chunk) => {
        const [oid = '', name = '', email = '', authorName = '', authorEmail = '', message = ''] = chunk.split('\x00');
        const login = /^\d+\+([^@]+)@users\.noreply\.github\.com$/.exec(authorEmail)?.[1];
        return { oid, message: message.trim(), committer: { name, email }, author: { name: authorName, email: authorEmail, user: login ? { login } : null } };
      });
  }

  /**
   * Commits from `head` that changed `path`, newest first, as plain `git log -- path` lists them (default history
   * simplification, not --first-parent: behaviour B18), with the committer date in GitHub's UTC form.
   */
  async history(head: string, path: string): Promise<Array<{ oid: string; committedDate: string }>> {
    const r = await this.git(['log', '--format=%H %ct', head, '--', path]);
    return r.stdout.split('\n').filter(Boolean).map((line) => {
      const [oid = '', seconds = '0'] = line.split(' ');
      return { oid, committedDate: new Date(Number(seconds) * 1000).toISOString().replace('.000Z', 'Z') };
    });
  }

  /** Committer date of a commit, as GitHub's `committedDate` shows it (UTC, seconds). */
  async committedDate(oid: string): Promise<string> {
    const seconds = Number((await this.git(['log', '-1', '--format=%ct', oid])).stdout.trim());
    return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  }

  async count(range: string): Promise<number> {
    return Number((await this.git(['rev-list', '--count', range])).stdout.trim());
  }

  /** Every ref under `prefix` with the object it points at, in one git call. */
  async refMap(prefix = 'refs/heads/'): Promise<Map<string, string>> {
    const r = await this.git(['for-each-ref', '--format=%(refname) %(objectname)', prefix]);
    return new Map(r.stdout.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]));
  }

  /** Full names of refs under `prefix`. */
  async refsUnder(prefix: string): Promise<string[]> {
    const r = await this.git(['for-each-ref', '--format=%(refname)', prefix]);
    return r.stdout.split('\n').filter(Boolean);
  }

  /** Deletes `ref` if it still holds `old`. */
  async deleteRef(ref: string, old: string): Promise<boolean> {
    return (await this.git(['update-ref', '-d', ref, old], { allowFailure: true })).exitCode === 0;
  }

  /** Several ref updates in one `git update-ref --stdin` transaction: all apply or none (GitHub's updateRefs). */
  async transaction(updates: Array<{ ref: string; next: string; old?: string }>): Promise<boolean> {
    const lines = updates.map((u) => (u.next === ZERO_OID ? `delete ${u.ref}${u.old ? ` ${u.old}` : ''}` : `update ${u.ref} ${u.next}${u.old ? ` ${u.old}` : ''}`));
    const input = `start\n${lines.join('\n')}\nprepare\ncommit\n`;
    return (await this.git(['update-ref', '--stdin'], { input, allowFailure: true })).exitCode === 0;
  }

  /**
   * Writes one commit of `files` over `parent` with a single `git fast-import` (blobs, tree and commit in one
   * process) onto a scratch ref; the caller publishes it with compareAndSwap. `text: undefined` deletes the path.
   */
  async commitFiles(parent: string | undefined, files: Array<{ path: string; text?: string | Buffer }>, message: string, who: CommitOptions = {}): Promise<string> {
    const data = (text: string | Buffer) => Buffer.concat([Buffer.from(`data ${Buffer.byteLength(text)}\n`), Buffer.from(text), Buffer.from('\n')]);
    const scratch = `refs/double-scratch/${process.pid}-${(this.scratch += 1)}`;
    const now = Math.floor(Date.now() / 1000);
    const when = `${who.committedAt ?? now} +0000`;
    const authored = `${who.authoredAt ?? who.committedAt ?? now} +0000`;
    const committer = who.committer ?? WEB_FLOW;
    const author = who.author ?? committer;
    const lines = [
      `commit ${scratch}\nmark :1\nauthor ${author.name} <${author.email}> ${authored}\ncommitter ${committer.name} <${committer.email}> ${when}\n`, data(message),
      parent ? `from ${parent}\n` : '',
      ...(who.merge ?? []).map((m) => `merge ${m}\n`),
      ...files.flatMap((f) => (f.text === undefined ? [`D ${f.path}\n`] : [`M 100644 inline ${f.path}\n`, data(f.text)])),
      '\nget-mark :1\ndone\n',
    ];
    // Bytes, not a string: a fixture may hold a file that is not UTF-8.
    const input = Buffer.concat(lines.map((l) => (typeof l === 'string' ? Buffer.from(l) : l)));
    const r = await execa('git', ['fast-import', '--quiet', '--done'], { env: { ...IDENTITY, GIT_DIR: this.dir }, input });
    return String(r.stdout).trim();
  }

  /**
   * A "Create a merge commit" merge of `head` into `base` (git's own merge-tree; undefined on a conflict), committed
   * at `committedAt` (epoch seconds) by GitHub's web-flow identity. Not published: the caller swaps the ref.
   */
  async mergeCommit(base: string, head: string, message: string, committedAt = Math.floor(Date.now() / 1000)): Promise<string | undefined> {
    const tree = await this.git(['merge-tree', '--write-tree', base, head], { allowFailure: true });
    if (tree.exitCode !== 0) return undefined;
    const when = `${committedAt} +0000`;
    const env = { GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when, GIT_COMMITTER_NAME: WEB_FLOW.name, GIT_COMMITTER_EMAIL: WEB_FLOW.email };
    return (await this.git(['commit-tree', tree.stdout.split('\n')[0]!.trim(), '-p', base, '-p', head, '-m', message], { env })).stdout.trim();
  }

  /** A "Squash and merge" commit: `head` merged into `base` as one single-parent commit by web-flow. Not published. */
  async squashCommit(base: string, head: string, message: string): Promise<string | undefined> {
    const tree = await this.git(['merge-tree', '--write-tree', base, head], { allowFailure: true });
    if (tree.exitCode !== 0) return undefined;
    const env = { GIT_COMMITTER_NAME: WEB_FLOW.name, GIT_COMMITTER_EMAIL: WEB_FLOW.email };
    return (await this.git(['commit-tree', tree.stdout.split('\n')[0]!.trim(), '-p', base, '-m', message], { env })).stdout.trim();
  }

  /** `git update-ref ref new old`: succeeds only if the ref still holds `old` (ZERO_OID: must not exist). */
  async compareAndSwap(ref: string, next: string, old: string): Promise<boolean> {
    return (await this.git(['update-ref', ref, next, old], { allowFailure: true })).exitCode === 0;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.git(['merge-base', '--is-ancestor', ancestor, descendant], { allowFailure: true })).exitCode === 0;
  }

  async commitCount(ref: string): Promise<number> {
    return Number((await this.git(['rev-list', '--count', ref])).stdout.trim());
  }

  async commitMessage(ref: string): Promise<string> {
    return (await this.git(['log', '-1', '--format=%B', ref])).stdout.trim();
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
