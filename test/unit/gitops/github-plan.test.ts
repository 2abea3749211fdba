import { describe, expect, it } from 'vitest';
import { applyEdits, decidePullRequest, type RepoState } from '../../../src/gitops/github/plan.js';
import { buildOptionsMutation, buildReadQuery } from '../../../src/gitops/github/queries.js';
import { backoffDelay, retryOnStale } from '../../../src/gitops/github/retry.js';
import { RecoverableError } from '../../../src/gitops/github/api.js';
import { contract } from '../../support/github-contract.js';

const state = (over: Partial<RepoState>): RepoState => ({
  repositoryId: 'R', nameWithOwner: 'o/r', baseOid: 'b'.repeat(40), baseTexts: new Map(), branchTexts: new Map(),
  labelIds: new Map(), userIds: new Map(), teamIds: new Map(), ...over,
});
const pr = { id: 'PR_1', number: 1, url: 'u', title: 't', body: 'b' };
const change = [{ path: 'a', before: 'old', after: 'new' }];

describe('decidePullRequest', () => {
  it.each([
    ['no change, no PR', state({}), [], { kind: 'unchanged' }],
    ['no change, open PR for an older digest', state({ pullRequest: pr }), [], { kind: 'close', pullRequest: pr }],
    ['no branch', state({}), change, { kind: 'pull-request', branch: 'create', commit: true, pullRequest: 'open' }],
    ['branch at base', state({ branchOid: 'b'.repeat(40) }), change, { kind: 'pull-request', branch: 'keep', commit: true, pullRequest: 'open' }],
    ['stale branch with PR', state({ branchOid: 'c'.repeat(40), branchTexts: new Map([['a', 'older']]), pullRequest: pr }), change, { kind: 'pull-request', branch: 'reset', commit: true, pullRequest: 'update' }],
    ['branch already has it, PR open', state({ branchOid: 'c'.repeat(40), branchTexts: new Map([['a', 'new']]), pullRequest: pr }), change, { kind: 'unchanged' }],
    ['branch already has it, no PR', state({ branchOid: 'c'.repeat(40), branchTexts: new Map([['a', 'new']]) }), change, { kind: 'pull-request', branch: 'keep', commit: false, pullRequest: 'open' }],
  ] as const)('%s', (_n, s, changes, expected) => {
    expect(decidePullRequest(s, [...changes])).toEqual(expected);
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
    ['PR read with options', buildReadQuery({ owner: 'o', name: 'r', baseBranch: 'main', paths: ['a.yaml'], branch: 'digestpin/dev/x', labels: ['l'], users: ['u'], teams: ['t'] })],
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
