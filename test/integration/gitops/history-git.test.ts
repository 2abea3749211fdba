// A file's history through the plain-git backend (issue 11: soak time and rollback read it), on real bare repositories
// over file:// (a real shallow, blob-less transfer). Asserts what the planner gets: the commits that changed the file,
// newest first along the first parents, their texts and committer dates, and how many network calls it took.
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitBackend } from '../../../src/gitops/git/index.js';
import { INITIAL_DEPTH } from '../../../src/gitops/git/history.js';
import type { HistoryResult } from '../../../src/gitops/history-query.js';
import type { HistoryQuery } from '../../../src/gitops/types.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { GitOpsError, oneLine } from '../../../src/runtime/errors.js';
import { join } from 'node:path';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createBareRepo, gitIdentityEnv, leftovers, noSleep, tempWorkDir, type BareRepo } from '../../support/git-fixtures.js';
import { freePort } from '../../support/ports.js';

const FILE = 'apps/app/values.yaml';
const OTHER = 'apps/other/values.yaml';
const T0 = 1_767_000_000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const values = (pin: string) => `image:\n  repository: registry.example/app\n  digest: sha256:${pin.padStart(64, '0')}\n`;

interface Step {
  branch?: string;
  files: Record<string, string | Buffer | undefined>;
  at: number;
  authoredAt?: number;
  /** Index of an earlier step: the first commit of a new branch starts there, a merge merges it. */
  from?: number;
  merge?: number;
}

let repo: BareRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

/** Writes all steps with one `git fast-import` into a new bare repository; returns each step's commit id. */
async function build(steps: Step[]): Promise<string[]> {
  repo = await createBareRepo({});
  const parts: Buffer[] = [];
  const data = (b: string | Buffer) => Buffer.concat([Buffer.from(`data ${Buffer.byteLength(b)}\n`), Buffer.from(b), Buffer.from('\n')]);
  steps.forEach((s, i) => {
    parts.push(Buffer.from(`commit refs/heads/${s.branch ?? 'main'}\nmark :${i + 1}\nauthor A <a@example.invalid> ${s.authoredAt ?? s.at} +0000\ncommitter C <c@example.invalid> ${s.at} +0100\n`), data(`step ${i}`));
    if (s.from !== undefined) parts.push(Buffer.from(`from :${s.from + 1}\n`));
    if (s.merge !== undefined) parts.push(Buffer.from(`merge :${s.merge + 1}\n`));
    for (const [path, text] of Object.entries(s.files)) parts.push(Buffer.from(text === undefined ? `D ${path}\n` : `M 100644 inline ${path}\n`), ...(text === undefined ? [] : [data(text)]));
    parts.push(Buffer.from(`\nget-mark :${i + 1}\n`));
  });
  parts.push(Buffer.from('done\n'));
  const r = await execa('git', ['fast-import', '--quiet', '--done'], { cwd: repo.path, env: gitIdentityEnv, input: Buffer.concat(parts) });
  return String(r.stdout).split('\n').filter(Boolean);
}

async function history(query: Partial<HistoryQuery> = {}): Promise<HistoryResult> {
  const workDir = await tempWorkDir();
  const backend = createGitBackend({ remote: repo!.url, workDir, logger: memoryLogger() });
  const refsBefore = await repo!.git(['for-each-ref']);
  try {
    return (await backend.history!({ repository: repo!.url, baseBranch: 'main', path: FILE, limit: 10, ...query })) as HistoryResult;
  } finally {
    // Reads only: the remote's refs are as they were, and the temporary clone is gone.
    expect(await repo!.git(['for-each-ref'])).toBe(refsBefore);
    expect(await leftovers(workDir)).toEqual([]);
  }
}

/** 20 commits; FILE changes in steps 3, 7, 11, 15, 19, each committed an hour apart and authored a day earlier. */
function twenty(): Step[] {
  return Array.from({ length: 20 }, (_, i) => ({
    files: i % 4 === 3 ? { [FILE]: values(`${i}`) } : { [OTHER]: `x: ${i}\n` },
    at: T0 + i * 3600,
    authoredAt: T0 + i * 3600 - 86_400,
  }));
}

describe('plain-git backend history', () => {
  it('lists the 5 commits of 20 that changed the file, newest first, with texts and committer dates: a clone and one blob fetch', async () => {
    const oids = await build(twenty());
    const result = await history();
    const changed = [19, 15, 11, 7, 3];
    expect(result.map((e) => e.oid)).toEqual(changed.map((i) => oids[i]));
    expect(result.map((e) => e.committedAt)).toEqual(changed.map((i) => iso(T0 + i * 3600)));
    expect(result.map((e) => e.text)).toEqual(changed.map((i) => values(`${i}`)));
    expect(result.calls).toBe(2);
  });

  it('honours the limit', async () => {
    const oids = await build(twenty());
    const result = await history({ limit: 2 });
    expect(result.map((e) => e.oid)).toEqual([oids[19], oids[15]]);
    expect(result.calls).toBe(2);
  });

  it('a deleted file gives an entry without text; a path never there gives an empty list and no blob fetch', async () => {
    const oids = await build([
      { files: { [FILE]: values('a') }, at: T0 },
      { files: { [FILE]: undefined }, at: T0 + 10 },
      { files: { [OTHER]: 'x: 1\n' }, at: T0 + 20 },
      { files: { [FILE]: values('b') }, at: T0 + 30 },
    ]);
    const result = await history();
    expect(result.map((e) => [e.oid, e.text])).toEqual([[oids[3], values('b')], [oids[1], undefined], [oids[0], values('a')]]);
    expect('text' in result[1]!).toBe(false);
    const none = await history({ path: 'apps/none/values.yaml' });
    expect([...none]).toEqual([]);
    expect(none.calls).toBe(1);
  });

  it('unicode and a >512,000-byte version come back exact; a version that is not UTF-8 is refused with the commit and offset', async () => {
    const big = `# ${'ä'.repeat(300_000)}\n${values('b')}`;
    const oids = await build([
      { files: { [FILE]: Buffer.from(`# caf\xe9\n${values('c')}`, 'latin1') }, at: T0 },
      { files: { [FILE]: `# prüfung 🚀\n${values('a')}` }, at: T0 + 10 },
      { files: { [FILE]: big }, at: T0 + 20 },
      { files: { [FILE]: values('d') }, at: T0 + 30 },
    ]);
    expect(Buffer.byteLength(big)).toBeGreaterThan(512_000);
    const three = await history({ limit: 3 });
    expect(three.map((e) => e.text)).toEqual([values('d'), big, `# prüfung 🚀\n${values('a')}`]);
    await expect(history({ limit: 4 })).rejects.toThrow(new RegExp(`${FILE} \\(commit ${oids[0]!.slice(0, 12)}\\):1: is not valid UTF-8: byte 0xe9 at byte offset 5`));
  });

  it('follows first parents: a merge that brought the change is listed with its own date, the merged branch commit is not', async () => {
    const oids = await build([
      { files: { [FILE]: values('a') }, at: T0 },
      { branch: 'digestpin/dev/app', from: 0, files: { [FILE]: values('b') }, at: T0 + 10 },
      { files: { [OTHER]: 'x: 1\n' }, at: T0 + 20 },
      { files: { [FILE]: values('b') }, merge: 1, at: T0 + 30 },
    ]);
    const result = await history();
    expect(result.map((e) => [e.oid, e.committedAt, e.text])).toEqual([[oids[3], iso(T0 + 30), values('b')], [oids[0], iso(T0), values('a')]]);
  });

  it('deepens only as far as needed: a change per 100 commits of 300: none for 1 entry, two deepenings for 3', async () => {
    const steps: Step[] = Array.from({ length: 300 }, (_, i) => ({ files: i % 100 === 50 ? { [FILE]: values(`${i}`) } : { [OTHER]: `x: ${i}\n` }, at: T0 + i }));
    const oids = await build(steps);
    const one = await history({ limit: 1 });
    expect(one.map((e) => e.oid)).toEqual([oids[250]]);
    expect(one.calls).toBe(2); // 64 commits hold it: the clone and the blob fetch
    const three = await history({ limit: 3 });
    expect(three.map((e) => e.text)).toEqual([values('250'), values('150'), values('50')]);
    // clone (commits 236-299) + deepen by 64 (172-299) + by 128 (44-299, holding 50) + one blob fetch
    expect(INITIAL_DEPTH).toBe(64);
    expect(three.calls).toBe(4);
    // Fewer changes than asked for: the rest of the history is fetched (unshallow), and the list ends there.
    const all = await history({ limit: 5 });
    expect(all.map((e) => e.text)).toEqual([values('250'), values('150'), values('50')]);
    expect(all.calls).toBe(5);
  });

  it('a base branch or a repository that does not exist is a one-line error naming it, and leaves no temp folder', async () => {
    await build(twenty());
    const error = await history({ baseBranch: 'production' }).catch((e: unknown) => e);
    expect(oneLine(error)).toBe(`branch 'production' does not exist on ${repo!.url}: create it or pass the right base branch`);
    const workDir = await tempWorkDir();
    const missing = join(workDir, 'no-such-repo.git');
    const backend = createGitBackend({ remote: missing, workDir, logger: memoryLogger() });
    const gone = await backend.history!({ repository: missing, baseBranch: 'main', path: FILE, limit: 1 }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(GitOpsError);
    expect(oneLine(gone)).toMatch(/^git remote file:\/\/\S*no-such-repo\.git was not found or is not readable/);
    expect(await leftovers(workDir)).toEqual([]);
  });
});

describe('plain-git backend history over git:// through a proxy that counts connections', () => {
  async function serve(drop: number[]) {
    const daemonPort = await freePort();
    const daemon = execa('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${join(repo!.path, '..')}`, '--listen=127.0.0.1', `--port=${daemonPort}`], { reject: false });
    const state = { connections: 0 };
    const proxy: NetServer = createNetServer((socket) => {
      state.connections += 1;
      if (drop.includes(state.connections)) return socket.destroy();
      const upstream = connect(daemonPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((r) => {
        const s = connect(daemonPort, '127.0.0.1', () => (s.destroy(), r(true)));
        s.on('error', () => r(false));
      });
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = `git://127.0.0.1:${(proxy.address() as AddressInfo).port}/gitops.git`;
    const stop = async () => {
      await new Promise<void>((r) => proxy.close(() => r()));
      daemon.kill();
      await daemon;
    };
    return { url, state, stop };
  }

  it('opens exactly as many connections as it reports calls: no hidden lazy fetch', async () => {
    await build(twenty());
    await repo!.git(['config', 'uploadpack.allowFilter', 'true']);
    const server = await serve([]);
    try {
      const backend = createGitBackend({ remote: server.url, workDir: await tempWorkDir(), logger: memoryLogger() });
      const result = (await backend.history!({ repository: server.url, baseBranch: 'main', path: FILE, limit: 5 })) as HistoryResult;
      expect(result.map((e) => e.text)).toEqual([19, 15, 11, 7, 3].map((i) => values(`${i}`)));
      expect(result.calls).toBe(2);
      expect(server.state.connections).toBe(2);
    } finally {
      await server.stop();
    }
  });

  it('starts again when the blob fetch loses its connection, and counts the failed calls too', async () => {
    await build(twenty());
    await repo!.git(['config', 'uploadpack.allowFilter', 'true']);
    const server = await serve([2]);
    try {
      const logger = memoryLogger();
      const backend = createGitBackend({ remote: server.url, workDir: await tempWorkDir(), logger, sleep: noSleep });
      const result = (await backend.history!({ repository: server.url, baseBranch: 'main', path: FILE, limit: 2 })) as HistoryResult;
      expect(result.map((e) => e.text)).toEqual([values('19'), values('15')]);
      expect(result.calls).toBe(4);
      expect(server.state.connections).toBe(4);
      expect(logger.lines.some((l) => /git fetch on git:\/\/\S+ failed: .*; retrying in \d+ ms \(attempt 2\)/.test(l))).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
