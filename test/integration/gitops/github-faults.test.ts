// Faults on the double: 5xx, secondary rate limits with and without retry-after, an exhausted primary limit, GraphQL
// RATE_LIMITED on HTTP 200 and dropped connections. Each ends in success after bounded retries or in a clear error
// with nothing half-written. Waits are scaled to 1 ms per second by fastOctokit.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange, Reply } from '../../support/github-contract.js';
import { GitHubDouble, graphqlField } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues, pinEdit, promotion, TOKEN } from '../../support/github-fixtures.js';

const FILE = 'apps/app/values.yaml';
const BRANCH = 'digestpin/staging/app';
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
let double: GitHubDouble;

beforeAll(() => nock.disableNetConnect());
beforeEach(async () => {
  double = await GitHubDouble.start({ files: { [FILE]: helmValues(digestOf('old')) } });
});
afterEach(async () => {
  // Stop first: a failed assertion must not leave this double's interceptor answering the next test.
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

const read = graphqlField('repository');
const commit = graphqlField('createCommitOnBranch');
const openPr = (ex: Exchange) => ex.operationId === 'pulls/create';
const createRef = (ex: Exchange) => ex.operationId === 'git/create-ref';
const status = (code: number, message: string, headers?: Record<string, string>): Reply => ({ status: code, body: { message, documentation_url: 'https://docs.github.com/rest' }, headers });

async function promoteOnce() {
  const { backend, logger } = backendFor(double);
  const result = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('new'))]));
  return { result, logger };
}

async function expectOnePullRequest() {
  expect(double.openPulls()).toHaveLength(1);
  expect(await double.text(BRANCH, FILE)).toContain(digestOf('new'));
  expect(await double.text('main', FILE)).toContain(digestOf('old'));
}

describe('GitHub backend under faults: recovers within bounded retries', () => {
  it.each([
    ['502 then 500 on the read', read, [status(502, 'Bad Gateway'), status(500, 'Server Error')]],
    ['503 on the commit mutation', commit, [status(503, 'Service Unavailable')]],
    ['502 on opening the PR', openPr, [status(502, 'Bad Gateway')]],
    ['a dropped connection on the read', read, [{ dropConnection: 'socket hang up' }]],
    ['a dropped connection on creating the branch', createRef, [{ dropConnection: 'ECONNRESET' }]],
    ['403 secondary limit with retry-after on the commit', commit, [status(403, SECONDARY, { 'retry-after': '30' })]],
    ['429 secondary limit without retry-after on opening the PR', openPr, [status(429, SECONDARY)]],
    ['403 with x-ratelimit-remaining 0 on the read', read, [status(403, 'API rate limit exceeded for user ID 1.', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 5) })]],
    ['GraphQL RATE_LIMITED with HTTP 200 on the read', read, [{ status: 200, body: { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] } } as Reply]],
  ] as const)('%s', async (_name, match, replies) => {
    for (const reply of replies) double.failNext(match, reply);
    const { result, logger } = await promoteOnce();
    expect(result.operation).toBe('created');
    await expectOnePullRequest();
    expect(double.interceptor.requests).toBe(4 + replies.length);
    expect(logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('logs the secondary-limit wait it honoured', async () => {
    double.failNext(commit, status(403, SECONDARY, { 'retry-after': '42' }));
    const { logger } = await promoteOnce();
    expect(logger.lines.join('\n')).toMatch(/secondary rate limit on POST \/graphql: retrying in 42s/);
  });
});

describe('GitHub backend under faults: gives up with a clear error, nothing half-written', () => {
  it('persistent 503 on the commit: no PR, base untouched, and a rerun succeeds', async () => {
    double.failNext(commit, status(503, 'Service Unavailable'), 10);
    await expect(promoteOnce()).rejects.toThrow(/^GitHub commit on acme\/gitops failed: GitHub answered 503 after retries/);
    expect(double.pulls).toHaveLength(0);
    expect(await double.git.commitCount('refs/heads/main')).toBe(1);
    double.clearFaults();
    const { result } = await promoteOnce();
    expect(result.operation).toBe('created');
    await expectOnePullRequest();
  });

  it('secondary limit that does not lift: gives up after the bounded retries', async () => {
    double.failNext(openPr, status(429, SECONDARY, { 'retry-after': '1' }), 10);
    await expect(promoteOnce()).rejects.toThrow(/^GitHub open-pull-request on acme\/gitops hit GitHub's rate limit and gave up waiting/);
    expect(double.pulls).toHaveLength(0);
    expect(await double.git.commitCount('refs/heads/main')).toBe(1);
  });

  it('a primary limit that resets in two hours is not waited for', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 7200);
    double.failNext(read, status(403, 'API rate limit exceeded for user ID 1.', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }));
    const started = Date.now();
    await expect(promoteOnce()).rejects.toThrow(/hit GitHub's rate limit and gave up waiting/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(double.interceptor.requests).toBe(1);
  });

  it('GraphQL RATE_LIMITED that persists: gives up with a rate-limit sentence', async () => {
    double.failNext(read, { status: 200, body: { data: null, errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }] } }, 10);
    await expect(promoteOnce()).rejects.toThrow(/^GitHub read on acme\/gitops hit GitHub's rate limit and gave up waiting: API rate limit exceeded/);
    expect(double.interceptor.requests).toBe(4);
  });

  it('persistent dropped connections end in an error that names the call, not a hang', async () => {
    double.failNext(read, { dropConnection: 'socket hang up' }, 10);
    await expect(promoteOnce()).rejects.toThrow(/^GitHub read on acme\/gitops failed/);
    expect(double.interceptor.requests).toBe(4);
  });
});
