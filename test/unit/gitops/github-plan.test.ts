import { describe, expect, it } from 'vitest';
import { applyEdits, decidePullRequest, type DecideContext, type OpenPullRequest, type RepoState } from '../../../src/gitops/github/plan.js';
import { commitTrailers, gitBlobOid, proposalMarker, supersededBody, type CommitInfo } from '../../../src/gitops/github/ownership.js';
import { buildTeamsQuery, UPDATE_REFS_MUTATION, COMMENT_MUTATION } from '../../../src/gitops/github/queries.js';
import { buildOptionsMutation, buildReadQuery } from '../../../src/gitops/github/queries.js';
import { backoffDelay, retryOnStale } from '../../../src/gitops/github/retry.js';
import { RecoverableError } from '../../../src/gitops/github/api.js';
import { contract } from '../../support/github-contract.js';

const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const state = (over: Partial<RepoState>): RepoState => ({
  repositoryId: 'R', nameWithOwner: 'o/r', autoMergeAllowed: true, baseOid: B, baseTexts: new Map(), branchTexts: new Map(), branchBlobOids: new Map(),
  truncated: [], closedPullRequests: [], labelIds: new Map(), userIds: new Map(), ...over,
});
const pr: OpenPullRequest = { id: 'PR_1', number: 1, url: 'u', title: 't', body: 'b', state: 'OPEN', isDraft: false, labels: [], assignees: [], reviewers: [], autoMerge: false, comments: [] };
const change = [{ path: 'a', before: 'old', after: 'new' }];
const ctx: DecideContext = { branch: 'digestpin/dev/a', baseBranch: 'main', runId: 'r1', force: false, proposal: 'abc1', branchPinsSame: false };
const ours = (oid: string) => ({ oid, message: `Promote\n\n${commitTrailers('digestpin/dev/a', 'r0')}`, committer: { name: 'GitHub', email: 'noreply@github.com' } });
const human = { oid: 'd'.repeat(40), message: 'fix replicas', committer: { name: 'Rita', email: 'rita@example.com' } };
const onBranch = (commits: CommitInfo[], behindBy = 0) => ({ branchOid: C, branchTexts: new Map([['a', 'older']]), compare: { aheadBy: commits.length, behindBy, commits } });

describe('decidePullRequest', () => {
  it.each([
    ['no change, no PR', state({}), [], ctx, { kind: 'unchanged' }],
    ['no change, open PR proposing what base holds', state({ pullRequest: pr }), [], { ...ctx, branchPinsSame: true }, { kind: 'close', pullRequest: pr }],
    ['no change, open PR proposing something else (a newer digest)', state({ pullRequest: pr }), [], ctx, { kind: 'unchanged' }],
    ['no branch', state({}), change, ctx, { kind: 'write', how: 'create', pullRequest: 'open' }],
    ['branch at base (its PR was closed by GitHub)', state({ branchOid: B, compare: { aheadBy: 0, behindBy: 0, commits: [] } }), change, ctx, { kind: 'write', how: 'on-head', pullRequest: 'open' }],
    ['our branch on current base, PR open', state({ ...onBranch([ours(C)]), pullRequest: pr }), change, ctx, { kind: 'write', how: 'on-head', pullRequest: 'update' }],
    ['our branch behind base, PR open', state({ ...onBranch([ours(C)], 2), pullRequest: pr }), change, ctx, { kind: 'write', how: 'rebuild', pullRequest: 'update' }],
    ['branch already has it, PR open', state({ branchOid: C, branchTexts: new Map([['a', 'new']]), pullRequest: pr }), change, ctx, { kind: 'unchanged' }],
    ['branch already has it by this run (answer lost)', state({ branchOid: C, branchMessage: commitTrailers('x', 'r1'), branchTexts: new Map([['a', 'new']]), pullRequest: pr }), change, ctx, { kind: 'publish', pullRequest: 'update' }],
    ['branch already has it, no PR', state({ branchOid: C, branchTexts: new Map([['a', 'new']]) }), change, ctx, { kind: 'publish', pullRequest: 'open' }],
    ['large file: compared by blob id', state({ branchOid: C, branchBlobOids: new Map([['a', gitBlobOid('new')]]), pullRequest: pr }), change, ctx, { kind: 'unchanged' }],
    ['human commit, forced', state({ ...onBranch([ours(C), human]), pullRequest: pr }), change, { ...ctx, force: true }, { kind: 'write', how: 'rebuild', pullRequest: 'update' }],
  ] as const)('%s', (_n, s, changes, c, expected) => {
    expect(decidePullRequest(s, [...changes], c)).toEqual(expected);
  });

  it('a human commit blocks, naming the commit and the way out', () => {
    const step = decidePullRequest(state({ ...onBranch([ours(C), human]), pullRequest: pr }), change, ctx);
    expect(step.kind).toBe('blocked');
    expect(step.kind === 'blocked' && step.reason).toBe(
      "promotion branch 'digestpin/dev/a' has 1 commit(s) digestpin did not make (ddddddd \"fix replicas\"); left as it is: merge or close PR #1, or set force-update: true to overwrite it",
    );
  });

  it('digestpin\'s commit amended and pushed from a clone (trailer kept, committer changed) counts as human', () => {
    const amended = { ...ours(C), committer: { name: 'Rita', email: 'rita@example.com' } };
    expect(decidePullRequest(state({ ...onBranch([amended]), pullRequest: pr }), change, ctx).kind).toBe('blocked');
  });

  it('a commit by an older digestpin (no trailer) counts as its own only when the token is a bot that authored it', () => {
    const legacy = { oid: C, message: 'Promote a to dev', committer: { name: 'GitHub', email: 'noreply@github.com' }, author: { user: { login: 'digestpin-app[bot]' } } };
    const s = (viewer?: string) => state({ ...onBranch([legacy]), pullRequest: pr, viewer });
    expect(decidePullRequest(s('digestpin-app[bot]'), change, ctx).kind).toBe('write');
    // A person's PAT: their own web-UI edits look the same, so nothing without the trailer is trusted.
    const human = { ...legacy, author: { user: { login: 'rita' } } };
    expect(decidePullRequest(state({ ...onBranch([human]), pullRequest: pr, viewer: 'rita' }), change, ctx).kind).toBe('blocked');
    expect(decidePullRequest(s('other-app[bot]'), change, ctx).kind).toBe('blocked');
  });

  it('commits beyond the listed page are never assumed to be digestpin\'s', () => {
    const s = state({ ...onBranch([ours(C)]), pullRequest: pr });
    s.compare = { aheadBy: 80, behindBy: 0, commits: [ours(C)] };
    expect(decidePullRequest(s, change, ctx).kind).toBe('blocked');
  });

  it('a PR closed without merging for this very change is not opened again; a different change is', () => {
    const closed = { ...pr, state: 'CLOSED' as const, body: `x\n${proposalMarker('abc1')}` };
    expect(decidePullRequest(state({ closedPullRequests: [closed] }), change, ctx)).toMatchObject({ kind: 'skipped', pullRequest: closed });
    expect(decidePullRequest(state({ closedPullRequests: [closed] }), change, { ...ctx, proposal: 'abc2' })).toMatchObject({ kind: 'write', how: 'create' });
  });

  it('a PR digestpin closed as superseded is not taken for one a person closed (rewritten marker, or an older note)', () => {
    const rewritten = { ...pr, state: 'CLOSED' as const, body: supersededBody(`x\n${proposalMarker('abc1')}`) };
    expect(rewritten.body).toBe('x\n<!-- digestpin:superseded abc1 -->');
    expect(decidePullRequest(state({ closedPullRequests: [rewritten] }), change, ctx)).toMatchObject({ kind: 'write', how: 'create' });
    const older = { ...pr, state: 'CLOSED' as const, body: `x\n${proposalMarker('abc1')}`, comments: ['Superseded: `main` already holds it. Closed by digestpin.'] };
    expect(decidePullRequest(state({ closedPullRequests: [older] }), change, ctx)).toMatchObject({ kind: 'write', how: 'create' });
  });

  it('someone else\'s commits block only while an open PR uses the branch; with none open the branch is rebuilt', () => {
    expect(decidePullRequest(state({ ...onBranch([ours(C), human]) }), change, ctx)).toEqual({ kind: 'write', how: 'rebuild', pullRequest: 'open' });
  });

  it('a superseded PR holding someone else\'s commit is left open: unchanged with the reason', () => {
    const step = decidePullRequest(state({ ...onBranch([ours(C), human]), pullRequest: pr }), [], { ...ctx, branchPinsSame: true });
    expect(step).toEqual({
      kind: 'unchanged',
      reason: "PR #1 was not closed: promotion branch 'digestpin/dev/a' has 1 commit(s) digestpin did not make (ddddddd \"fix replicas\"); 'main' already holds its pin, so close it by hand once those commits are dealt with",
    });
  });

  it('a branch name git cannot create beside an existing one fails at once with the reason', () => {
    expect(() => decidePullRequest(state({ conflict: 'main' }), change, { ...ctx, branch: 'main/dev/agents' })).toThrow(
      "promotion branch 'main/dev/agents' can't exist in o/r: branch 'main' is in the way (git can't hold both names); change branch-template",
    );
  });
});

describe('applyEdits', () => {
  it('chains edits to one path and drops files that do not change', () => {
    const texts = new Map<string, string | undefined>([['a', 'x'], ['b', 'y']]);
    const out = applyEdits(
      [
        { path: 'a', apply: (t) => ({ text: `${t}1` }) },
        { path: 'a', apply: (t) => ({ text: `${t}2` }) },
        { path: 'b', apply: (t) => ({ text: t ?? '' }) },
      ],
      texts,
    );
    expect(out).toEqual([{ path: 'a', before: 'x', after: 'x12', summary: undefined }]);
  });
});

describe('GraphQL documents validate against GitHub schema', () => {
  it.each([
    ['direct read', buildReadQuery({ owner: 'o', name: 'r', baseBranch: 'main', paths: ['a.yaml', 'b/c.yaml'] })],
    ['PR read with options', buildReadQuery({ owner: 'o', name: 'r', baseBranch: 'main', paths: ['a.yaml'], branch: 'digestpin/dev/x', labels: ['l'], users: ['u'] })],
    ['teams query', buildTeamsQuery('o', ['platform', 'sre'])],
    ['updateRefs', { query: UPDATE_REFS_MUTATION, variables: { input: { repositoryId: 'R', refUpdates: [{ name: 'refs/heads/a', beforeOid: 'b'.repeat(40), afterOid: 'c'.repeat(40), force: true }] } } }],
    ['comment', { query: COMMENT_MUTATION, variables: { input: { subjectId: 'PR', body: 'x' } } }],
    ['options mutation', buildOptionsMutation({ labels: { labelableId: 'P', labelIds: ['L'] }, reviews: { pullRequestId: 'P', userIds: ['U'], teamIds: [], union: true }, assignees: { assignableId: 'P', assigneeIds: ['U'] }, autoMerge: { pullRequestId: 'P', mergeMethod: 'SQUASH' } })!],
  ])('%s', (_n, doc) => {
    expect(contract().checkGraphql(doc)).toEqual([]);
  });
});

describe('retry', () => {
  it('backoff is full jitter under min(cap, max(base, 2 * attempt time) * 2^n)', () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, p))).toEqual([200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, p, 150)).toBe(600);
    expect(backoffDelay(3, { ...p, random: () => 0 })).toBe(0);
  });

  it('retries only stale races, at most `attempts` times', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const policy = { attempts: 3, baseDelayMs: 10, maxDelayMs: 100, sleep: async (ms: number) => void sleeps.push(ms), random: () => 0.5 };
    await expect(retryOnStale(policy, 'base', async () => { calls += 1; throw new RecoverableError('stale', 'moved'); })).rejects.toThrow('base kept moving: gave up after 3 attempts (moved)');
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
    await expect(retryOnStale(policy, 'base', async () => { throw new Error('conflict'); })).rejects.toThrow('conflict');
  });
});
