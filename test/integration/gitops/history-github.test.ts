// A file's history through the GitHub backend (issue 11: soak time and rollback read it), against the stateful double
// (behaviour B18: `Commit.history(path:)` is `git log -- path`, newest first, `first` at most 100). Every request is
// contract-checked against GitHub's GraphQL schema and OpenAPI description; the calls each read takes are asserted.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubDouble } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues } from '../../support/github-fixtures.js';
import type { HistoryResult } from '../../../src/gitops/github/history.js';
import type { HistoryQuery } from '../../../src/gitops/types.js';

const FILE = 'apps/app/values.yaml';
const OTHER = 'apps/other/values.yaml';
const T0 = 1_767_000_000; // 2025-12-29, whole seconds as git stores them
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
let double: GitHubDouble;

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

async function history(query: Partial<HistoryQuery> = {}): Promise<HistoryResult> {
  const { backend } = backendFor(double);
  double.interceptor.resetCount();
  const result = (await backend.history!({ repository: 'acme/gitops', baseBranch: 'main', path: FILE, limit: 10, ...query })) as HistoryResult;
  expect(result.calls).toBe(double.interceptor.requests);
  // Reads only: the history query and REST blob reads, nothing else.
  const kinds = double.interceptor.log.map((ex) => ex.operationId ?? /(?:query|mutation) (\w+)/.exec((ex.body as { query: string }).query)?.[1]);
  expect(kinds.filter((k) => k !== 'DigestpinHistory' && k !== 'git/get-blob')).toEqual([]);
  return result;
}

/** 20 commits on main after the initial one; FILE changes in commits 3, 7, 11, 15 and 19 (pinning digest v<i>). */
async function twentyCommits(): Promise<Array<{ oid: string; at: number; text: string }>> {
  double = await GitHubDouble.start({ files: { [OTHER]: 'x: 0\n' } });
  const changes: Array<{ oid: string; at: number; text: string }> = [];
  for (let i = 1; i <= 20; i += 1) {
    const at = T0 + i * 3600;
    const touches = i % 4 === 3;
    const text = helmValues(digestOf(`v${i}`));
    // Authored a day before it was committed (a rebase): the history must give the committer date.
    const oid = await double.commitAt('main', touches ? { [FILE]: text } : { [OTHER]: `x: ${i}\n` }, `commit ${i}`, { committedAt: at, authoredAt: at - 86_400 });
    if (touches) changes.unshift({ oid, at, text });
  }
  return changes;
}

describe('GitHub backend history', () => {
  it('lists the 5 commits of 20 that changed the file, newest first, with their texts and committer dates, in one call', async () => {
    const changes = await twentyCommits();
    const result = await history();
    expect(result.map((e) => e.oid)).toEqual(changes.map((c) => c.oid));
    expect(result.map((e) => e.committedAt)).toEqual(changes.map((c) => iso(c.at)));
    expect(result.map((e) => e.text)).toEqual(changes.map((c) => c.text));
    expect(result.calls).toBe(1);
    const query = (double.interceptor.log[0]?.body as { query: string }).query;
    expect(query).toMatch(/history\(path: \$path, first: \$first/);
  });

  it('honours the limit: the 2 newest only, still one call', async () => {
    const changes = await twentyCommits();
    const result = await history({ limit: 2 });
    expect(result.map((e) => e.oid)).toEqual(changes.slice(0, 2).map((c) => c.oid));
    expect(result.calls).toBe(1);
  });

  it('a deleted file gives an entry without text, and its earlier versions keep theirs', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: helmValues(digestOf('a')) } });
    const gone = await double.commitAt('main', { [FILE]: undefined }, 'remove app', { committedAt: T0 + 10 });
    await double.commitAt('main', { [OTHER]: 'x: 1\n' }, 'unrelated', { committedAt: T0 + 20 });
    const back = await double.commitAt('main', { [FILE]: helmValues(digestOf('b')) }, 'add app again', { committedAt: T0 + 30 });
    const result = await history();
    expect(result.map((e) => [e.oid, e.text])).toEqual([
      [back, helmValues(digestOf('b'))],
      [gone, undefined],
      [expect.any(String), helmValues(digestOf('a'))],
    ]);
    expect('text' in result[1]!).toBe(false);
  });

  it('a file absent from the base branch gives an empty history; a missing base branch is an error naming it', async () => {
    double = await GitHubDouble.start({ files: { [OTHER]: 'x: 0\n' } });
    expect([...(await history())]).toEqual([]);
    const { backend } = backendFor(double);
    await expect(backend.history!({ repository: 'acme/gitops', baseBranch: 'nope', path: FILE, limit: 3 })).rejects.toThrow(/acme\/gitops nope:apps\/app\/values.yaml: base branch 'nope' does not exist/);
  });

  it('unicode texts come back exact; a 600 kB version is read in full over REST, once per distinct blob', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: '# prüfung 🚀 ünïcödé\nimage:\n  digest: a\n' } });
    const big = `# ${'ä'.repeat(300_000)}\nimage:\n  digest: b\n`;
    await double.commitAt('main', { [FILE]: big }, 'big', { committedAt: T0 + 10 });
    await double.commitAt('main', { [FILE]: 'image:\n  digest: c\n' }, 'small', { committedAt: T0 + 20 });
    await double.commitAt('main', { [FILE]: big }, 'big again', { committedAt: T0 + 30 });
    const result = await history();
    expect(result.map((e) => e.text)).toEqual([big, 'image:\n  digest: c\n', big, '# prüfung 🚀 ünïcödé\nimage:\n  digest: a\n']);
    expect(Buffer.byteLength(big)).toBeGreaterThan(512_000);
    expect(result.calls).toBe(2); // the query, then one REST blob read for the two commits sharing the big blob
    expect(double.interceptor.log.filter((ex) => ex.operationId === 'git/get-blob')).toHaveLength(1);
  });

  it('an old version that is not UTF-8 is refused with the commit and byte offset (GraphQL text is lossy, B17)', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: 'image:\n  digest: a\n' } });
    const bad = await double.commitAt('main', { [FILE]: Buffer.from('# caf\xe9\nimage:\n  digest: b\n', 'latin1') }, 'latin-1', { committedAt: T0 + 10 });
    await double.commitAt('main', { [FILE]: 'image:\n  digest: c\n' }, 'fixed', { committedAt: T0 + 20 });
    await expect(history()).rejects.toThrow(new RegExp(`${FILE} \\(commit ${bad.slice(0, 12)}\\).*byte 0xe9 at byte offset 5`));
  });

  it('a PR merged with a merge commit: the branch commit is listed, not the merge (B18), dated when the merge landed', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: helmValues(digestOf('a')) } });
    const base = (await double.git.revParse('refs/heads/main'))!;
    const side = await double.commitAt('digestpin/dev/app', { [FILE]: helmValues(digestOf('b')) }, 'pin b', { from: base, committedAt: T0 + 10 });
    double.addPull({ head: 'digestpin/dev/app', base: 'main', title: 'Promote app' });
    await double.commitAt('main', { [OTHER]: 'x: 1\n' }, 'unrelated on main', { committedAt: T0 + 20 });
    const merge = await double.mergePull(1, T0 + 3600);
    const result = await history();
    expect(result.map((e) => e.oid)).toEqual([side, base]);
    expect(result.map((e) => e.oid)).not.toContain(merge);
    // The soak clock starts when the pin reached main (the merge), not when it was committed on the PR branch.
    expect(result[0]).toMatchObject({ committedAt: iso(T0 + 3600), text: helmValues(digestOf('b')) });
    expect(result.calls).toBe(1);
  });

  it('a merge pushed without a PR: the branch commit keeps its own date (GitHub has nothing later to tell)', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: helmValues(digestOf('a')) } });
    const base = (await double.git.revParse('refs/heads/main'))!;
    const side = await double.commitAt('feature', { [FILE]: helmValues(digestOf('b')) }, 'pin b', { from: base, committedAt: T0 + 10 });
    const merge = (await double.git.mergeCommit(base, side, 'Merge branch feature', T0 + 30))!;
    expect(await double.git.compareAndSwap('refs/heads/main', merge, base)).toBe(true);
    const result = await history();
    expect(result.map((e) => [e.oid, e.committedAt])).toEqual([[side, iso(T0 + 10)], [base, expect.any(String)]]);
  });

  it('more than 100 entries take a page per 100, from the head the first page read, though main moves meanwhile', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: 'n: 0\n' } });
    for (let i = 1; i <= 130; i += 1) await double.commitAt('main', { [FILE]: `n: ${i}\n` }, `c${i}`, { committedAt: T0 + i });
    const { graphqlField } = await import('../../support/github-double.js');
    let moved = false;
    double.before(graphqlField('object'), async () => {
      moved = true;
      await double.commitAt('main', { [FILE]: 'n: moved\n' }, 'racer', { committedAt: T0 + 1000 });
    });
    const result = await history({ limit: 120 });
    expect(moved).toBe(true);
    expect(result).toHaveLength(120);
    expect(result.map((e) => e.text)).toEqual(Array.from({ length: 120 }, (_, i) => `n: ${130 - i}\n`));
    expect(result.calls).toBe(2);
    const firsts = double.interceptor.log.map((ex) => (ex.body as { variables: { first: number } }).variables.first);
    expect(firsts).toEqual([100, 20]);
  });

  it('the double refuses `first` over 100 as GitHub does', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: 'n: 0\n' } });
    const reply = (await double.handle({
      method: 'POST', path: '/graphql', query: '', operationId: undefined, params: {},
      body: { query: 'query { repository(owner: "acme", name: "gitops") { ref(qualifiedName: "refs/heads/main") { target { ... on Commit { history(first: 101) { nodes { oid } } } } } } }' },
    })) as { body: { errors: Array<{ type: string; message: string }> } };
    expect(reply.body.errors[0]).toMatchObject({ type: 'EXCESSIVE_PAGINATION', message: 'Requesting 101 records on the `history` connection exceeds the `first` limit of 100 records.' });
  });

  it('refuses a limit that is not a whole number before any call', async () => {
    double = await GitHubDouble.start({ files: { [FILE]: 'n: 0\n' } });
    await expect(history({ limit: 0 })).rejects.toThrow(/limit.*at least 1/);
    expect(double.interceptor.requests).toBe(0);
  });
});
