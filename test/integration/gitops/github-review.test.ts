// Scenarios from the review of the GitHub backend (B19, B20 and the defects found against B7, B8, B13), against the
// double, every request contract-checked. Each asserts what a user sees: which PRs are open, what the branch holds,
// which refs exist, what the run reported and warned.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubDouble, graphqlField, type DoubleOptions } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues, pinEdit, promotion } from '../../support/github-fixtures.js';

const FILE = 'apps/app/values.yaml';
const BRANCH = 'digestpin/staging/app';
let double: GitHubDouble;

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

async function start(extra: Partial<DoubleOptions> = {}) {
  double = await GitHubDouble.start({ files: { [FILE]: helmValues(digestOf('old')) }, ...extra });
  return double;
}
const pin = (seed: string, over = {}) => promotion([pinEdit(FILE, 'app', digestOf(seed))], over);
const run = (seed: string, over = {}, options = {}) => {
  const { backend, logger } = backendFor(double, options);
  return backend.promote(pin(seed, over)).then((result) => ({ result, log: logger.lines.join('\n') }));
};
const calls = (field: string) => double.interceptor.log.filter(graphqlField(field)).length;

describe('B19 a merged or closed PR leaves its branch behind; a reviewer commit on it blocks only while a PR is open', () => {
  it('after a squash merge of a PR with a reviewer commit, a new digest rebuilds the branch and opens a new PR', async () => {
    await start();
    await run('v2');
    const human = await double.pushCommit(BRANCH, { 'notes.txt': 'reviewed\n' }, 'reviewer fix-up');
    await double.squashPull(1);
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBe(human);
    const { result } = await run('v3');
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 2 });
    expect(double.openPulls().map((p) => p.number)).toEqual([2]);
    // Base plus one digestpin commit; the reviewer's commit stays reachable from the old PR's refs/pull/1/head.
    expect(await double.git.count(`refs/heads/main..refs/heads/${BRANCH}`)).toBe(1);
    expect(await double.git.revParse('refs/pull/1/head')).toBe(human);
    expect(await double.text(BRANCH, FILE)).toContain(digestOf('v3'));
  });

  it('after a PR with a reviewer commit is closed without merging, a newer digest opens a new PR', async () => {
    await start();
    await run('v2');
    const human = await double.pushCommit(BRANCH, { 'notes.txt': 'reviewed\n' }, 'reviewer fix-up');
    double.closeByPerson(1);
    expect((await run('v3')).result).toMatchObject({ operation: 'created', pullRequestNumber: 2 });
    expect(await double.text(BRANCH, 'notes.txt')).toBeUndefined();
    expect(await double.git.revParse('refs/pull/1/head')).toBe(human);
  });

  it('while the PR is open the reviewer commit still blocks', async () => {
    await start();
    await run('v2');
    await double.pushCommit(BRANCH, { 'notes.txt': 'reviewed\n' }, 'reviewer fix-up');
    expect((await run('v3')).result).toMatchObject({ operation: 'blocked', pullRequestNumber: 1 });
  });
});

describe('superseded close (B7): a PR holding a reviewer commit is not closed', () => {
  it('base already pins the digest but the branch has a human commit: left open, unchanged with a reason', async () => {
    await start();
    await run('v2');
    await double.pushCommit(BRANCH, { 'notes.txt': 'reviewed\n' }, 'reviewer fix-up');
    await double.pushCommit('main', { [FILE]: helmValues(digestOf('v2')) }, 'pin v2 by hand');
    const { result, log } = await run('v2');
    expect(result).toMatchObject({ operation: 'unchanged', pullRequestNumber: 1 });
    expect(result.reason).toMatch(/^PR #1 was not closed: promotion branch 'digestpin\/staging\/app' has 1 commit\(s\) digestpin did not make/);
    expect(log).toContain('PR #1 was not closed');
    expect(double.pulls[0]?.state).toBe('OPEN');
    expect(calls('closePullRequest')).toBe(0);
  });

  it('without a human commit it is still closed as superseded', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { [FILE]: helmValues(digestOf('v2')) }, 'pin v2 by hand');
    expect((await run('v2')).result).toMatchObject({ operation: 'closed', pullRequestNumber: 1 });
    expect(double.pulls[0]?.state).toBe('CLOSED');
  });
});

describe('B13 rebuild on a scratch branch: lost answers and permanent refusals', () => {
  it('a lost answer to the scratch commit: re-read, a fresh scratch branch, PR updated, no scratch branch left', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { 'README.md': 'docs\n' }, 'docs');
    double.loseAnswer(graphqlField('createCommitOnBranch'));
    const { result, log } = await run('v3', {}, { retries: 0 });
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1 });
    expect(double.pulls[0]?.state).toBe('OPEN');
    expect(await double.text(BRANCH, FILE)).toContain(digestOf('v3'));
    expect(await double.git.refsUnder('refs/heads/')).toEqual([`refs/heads/${BRANCH}`, 'refs/heads/main']);
    expect(log).not.toContain('scratch branch');
  });

  it('a 502 on the branch move that did not land is a transient failure: re-read, rebuilt again, PR updated', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { 'README.md': 'docs\n' }, 'docs');
    double.failNext(graphqlField('updateRefs'), { status: 502, body: { message: 'Server Error' } });
    const { result } = await run('v3', {}, { retries: 0 });
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1 });
    expect(calls('updateRefs')).toBe(2);
    expect(await double.git.refsUnder('refs/heads/')).toEqual([`refs/heads/${BRANCH}`, 'refs/heads/main']);
  });

  it('a ruleset refusing the force move fails at once with GitHub\'s message naming the branch; scratch deleted', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { 'README.md': 'docs\n' }, 'docs');
    const before = await double.git.revParse(`refs/heads/${BRANCH}`);
    const refusal = { status: 200, body: { data: null, errors: [{ type: 'UNPROCESSABLE', message: 'Repository rule violations found\n\nCannot force-push to this branch\n\n' }] } };
    double.failNext(graphqlField('updateRefs'), refusal, 20);
    const error = await run('v3').then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/promotion branch 'digestpin\/staging\/app' of acme\/gitops: GitHub refused to move it .*Cannot force-push to this branch/);
    expect(error?.message).not.toMatch(/\n|kept moving|attempts/);
    expect(calls('updateRefs')).toBe(1);
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBe(before);
    expect(await double.git.refsUnder('refs/heads/')).toEqual([`refs/heads/${BRANCH}`, 'refs/heads/main']);
  });
});

describe('B8 a PR digestpin closed itself is not a PR a person closed', () => {
  it('after a superseded close, a later promotion of the same digest opens a PR', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { [FILE]: helmValues(digestOf('v2')) }, 'pin v2 by hand');
    expect((await run('v2')).result.operation).toBe('closed');
    expect(double.pulls[0]?.body).toMatch(/<!-- digestpin:superseded [0-9a-f]+ -->/);
    expect(double.pulls[0]?.body).not.toContain('digestpin:proposal');
    await double.pushCommit('main', { [FILE]: helmValues(digestOf('v3')) }, 'pin v3 by hand');
    const { result } = await run('v2');
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 2 });
    expect(double.openPulls().map((p) => p.number)).toEqual([2]);
  });
});

describe('B20 draft PRs are not supported on private repositories under GitHub Free/Pro', () => {
  it('the 422 is answered by opening the PR without draft, with one warning; the pin lands', async () => {
    await start({ draftUnsupported: true });
    const { result, log } = await run('v2', { pullRequest: { draft: true } });
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 1 });
    expect(double.pulls).toHaveLength(1);
    expect(double.pulls[0]).toMatchObject({ state: 'OPEN', draft: false });
    expect(log.match(/draft/gi)?.length).toBeGreaterThan(0);
    expect(log).toMatch(/opened PR #1 as a regular pull request: Draft pull requests are not supported in this repository/);
    expect(double.interceptor.log.filter((e) => e.operationId === 'pulls/create')).toHaveLength(2);
  });
});
