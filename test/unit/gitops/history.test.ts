// The pure parts of both backends' history(): the GitHub query (valid against GitHub's schema) and its answer's
// parsing, and the git argv builders and `git log --raw` parsing. Unit tier: no network.
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHistoryQuery, HISTORY_PAGE_MAX } from '../../../src/gitops/github/queries.js';
import { parseHistoryPage } from '../../../src/gitops/github/history.js';
import { gitBlobOid } from '../../../src/gitops/github/ownership.js';
import { blobFetchArgs, deepenArgs, historyCloneArgs, historyLogArgs, parseHistoryLog } from '../../../src/gitops/git/history.js';
import { checkHistoryQuery } from '../../../src/gitops/history-query.js';
import { parseRemote } from '../../../src/gitops/git/remote.js';
import { contract } from '../../support/github-contract.js';

const H = 'a'.repeat(40);
const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
beforeAll(() => nock.disableNetConnect());

describe('GitHub history query', () => {
  it.each([
    ['first page: the base ref', undefined],
    ['later page: the head the first page read, after its cursor', { head: H, after: `${H} 99` }],
  ])('%s is a valid document with valid variables', (_, page) => {
    const q = buildHistoryQuery({ owner: 'acme', name: 'gitops', baseBranch: 'main', path: 'apps/a/values.yaml', first: 100, page });
    expect(contract().checkGraphql(q)).toEqual([]);
    expect(q.query).toContain('history(path: $path, first: $first, after: $after)');
    expect(q.query).toContain('committedDate file(path: $path) { object { __typename ... on Blob { oid text isTruncated } } } associatedPullRequests(first: 5) { nodes { mergedAt baseRefName } }');
    expect(q.variables).toMatchObject({ path: 'apps/a/values.yaml', first: 100, after: page?.after ?? null });
  });

  it('pages hold at most GitHub\'s 100', () => expect(HISTORY_PAGE_MAX).toBe(100));

  const page = (nodes: unknown[], pageInfo = { hasNextPage: false, endCursor: null as string | null }) => ({
    repository: { nameWithOwner: 'acme/gitops', base: { target: { oid: H, history: { pageInfo, nodes } } } },
  });
  const blob = (text: string, over = {}) => ({ object: { __typename: 'Blob', oid: gitBlobOid(text), text, isTruncated: false, ...over } });

  it('parses commits newest first: UTC committer dates, texts, absent files, and the next cursor', () => {
    const parsed = parseHistoryPage(page([
      { oid: C1, committedDate: '2026-12-01T15:00:00+01:00', file: blob('a: 1\n') },
      { oid: C2, committedDate: '2026-11-30T10:00:00Z', file: null },
    ], { hasNextPage: true, endCursor: `${H} 1` }), 'acme/gitops main:f', 'main');
    expect(parsed).toEqual({
      head: H,
      next: `${H} 1`,
      nodes: [{ oid: C1, committedAt: '2026-12-01T14:00:00.000Z', text: 'a: 1\n' }, { oid: C2, committedAt: '2026-11-30T10:00:00.000Z' }],
    });
  });

  it('dates a commit by when it reached the base branch: the first merge of a PR into it, never before the commit', () => {
    const prs = (...list: Array<[string | null, string]>) => ({ nodes: list.map(([mergedAt, baseRefName]) => ({ mergedAt, baseRefName })) });
    const parsed = parseHistoryPage(page([
      { oid: C1, committedDate: '2026-12-01T10:00:00Z', file: null, associatedPullRequests: prs(['2026-12-03T00:00:00Z', 'main'], ['2026-12-02T00:00:00Z', 'main'], ['2026-12-01T11:00:00Z', 'staging']) },
      { oid: C2, committedDate: '2026-12-01T10:00:00Z', file: null, associatedPullRequests: prs(['2026-11-30T00:00:00Z', 'main'], [null, 'main']) },
    ]), 'w', 'main');
    expect(parsed.nodes.map((n) => n.committedAt)).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-01T10:00:00.000Z']);
  });

  it('marks cut texts and texts whose blob id is not the blob\'s for a REST read, by blob id', () => {
    const parsed = parseHistoryPage(page([
      { oid: C1, committedDate: '2026-12-01T15:00:00Z', file: blob('cut', { isTruncated: true, oid: 'b'.repeat(40) }) },
      { oid: C2, committedDate: '2026-12-01T14:00:00Z', file: blob('caf\uFFFD', { oid: 'c'.repeat(40) }) },
    ]), 'w', 'main');
    expect(parsed.nodes).toEqual([
      { oid: C1, committedAt: '2026-12-01T15:00:00.000Z', blob: 'b'.repeat(40) },
      { oid: C2, committedAt: '2026-12-01T14:00:00.000Z', blob: 'c'.repeat(40) },
    ]);
  });

  it.each([
    [{ repository: null }, /w: repository not found or not visible to the token/],
    [{ repository: { base: null } }, /w: base branch 'main' does not exist/],
    [page([{ oid: C1, committedDate: 'x', file: null }]), /unreadable committedDate 'x'/],
    [page([{ oid: C1, committedDate: '2026-12-01T15:00:00Z', file: { object: { __typename: 'Tree', oid: H } } }]), /w at 111111111111 is a Tree, not a file/],
    [page([{ oid: C1, committedDate: '2026-12-01T15:00:00Z', file: { object: { __typename: 'Blob', oid: H, text: null, isTruncated: false } } }]), /is binary/],
  ])('refuses %j', (data, message) => {
    expect(() => parseHistoryPage(data as never, 'w', 'main')).toThrow(message);
  });
});

describe('git history argv and log parsing', () => {
  const remote = parseRemote('/srv/gitops.git');

  it('clones shallow and blob-less, deepens, unshallows, and fetches blobs in one batch', () => {
    expect(historyCloneArgs(remote, 'main', '/tmp/x', 64)).toEqual(['clone', '--quiet', '--filter=blob:none', '--no-checkout', '--depth', '64', '--single-branch', '--no-tags', '--branch', 'main', '--upload-pack', remote.uploadPack, '--', 'file:///srv/gitops.git', '/tmp/x']);
    expect(deepenArgs('main', 64)).toEqual(['fetch', '--quiet', '--no-tags', '--deepen=64', 'origin', '+refs/heads/main:refs/remotes/origin/main']);
    expect(deepenArgs('main')).toContain('--unshallow');
    expect(blobFetchArgs()).toEqual(['-c', 'fetch.negotiationAlgorithm=noop', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--stdin', 'origin']);
    expect(historyLogArgs(H, 'apps/a/values.yaml', 6)).toEqual(['log', '--first-parent', '--diff-merges=first-parent', '--no-renames', '--raw', '--no-abbrev', '--format=%x01%H %ct', '--max-count=6', H, '--', 'apps/a/values.yaml']);
  });

  it('parses changes, additions and deletions into oid, UTC date and blob', () => {
    const out = [
      `\x01${C1} 1767000030`, '', `:100644 100644 ${'3'.repeat(40)} ${'4'.repeat(40)} M\tapps/a/values.yaml`,
      `\x01${C2} 1767000020`, '', `:100644 000000 ${'4'.repeat(40)} ${'0'.repeat(40)} D\tapps/a/values.yaml`,
      `\x01${H} 1767000000`, '', `:000000 100755 ${'0'.repeat(40)} ${'5'.repeat(40)} A\t"apps/\\303\\244/values.yaml"`,
    ].join('\n');
    expect(parseHistoryLog(out, 'w')).toEqual([
      { oid: C1, committedAt: '2025-12-29T09:20:30.000Z', blob: '4'.repeat(40) },
      { oid: C2, committedAt: '2025-12-29T09:20:20.000Z' },
      { oid: H, committedAt: '2025-12-29T09:20:00.000Z', blob: '5'.repeat(40) },
    ]);
    expect(parseHistoryLog('', 'w')).toEqual([]);
  });

  it.each([
    [`\x01${C1} 1\n\n:000000 120000 ${'0'.repeat(40)} ${'5'.repeat(40)} A\tf`, /w is not a regular file at commit 111111111111 \(mode 120000/],
    [`\x01${C1} 1\n\n:000000 100644 ${'0'.repeat(40)} ${'5'.repeat(40)} A\td/a\n:000000 100644 ${'0'.repeat(40)} ${'6'.repeat(40)} A\td/b`, /w is not one file at commit 111111111111 \(2 entries\)/],
    ['\x01garbage', /unexpected git log line 'garbage'/],
  ])('refuses %j', (out, message) => {
    expect(() => parseHistoryLog(out, 'w')).toThrow(message);
  });
});

describe('history query checks', () => {
  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses limit %s, naming the input', (limit) => {
    expect(() => checkHistoryQuery({ repository: 'r', baseBranch: 'main', path: 'a.yaml', limit })).toThrow(/limit/);
  });
  it.each([['/abs.yaml'], ['../up.yaml'], ['a/../b.yaml'], ['.git/config']])('refuses path %s', (path) => {
    expect(() => checkHistoryQuery({ repository: 'r', baseBranch: 'main', path, limit: 1 })).toThrow(/file/);
  });
});
