// One scenario per entry of test/github/behaviours.md (B1..B16, faults F1..F3), against the double that implements it, every request
// contract-checked. Each asserts what a user would see on GitHub: which PR is open, what the branch holds, what the
// run reported and warned.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange, Reply } from '../../support/github-contract.js';
import { GitHubDouble, graphqlField, type DoubleOptions } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues, pinEdit, promotion } from '../../support/github-fixtures.js';
import { exec } from '../../../src/runtime/exec.js';
import { WEB_FLOW, ZERO_OID } from '../../support/github-double-git.js';
import { commitBytes } from '../../support/git-fixtures.js';

const FILE = 'apps/app/values.yaml';
const BRANCH = 'digestpin/staging/app';
let double: GitHubDouble;

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  // Stop first: a failed assertion must not leave this double's interceptor answering the next test.
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

async function start(extra: Partial<DoubleOptions> = {}, files: Record<string, string> = { [FILE]: helmValues(digestOf('old')) }) {
  double = await GitHubDouble.start({ files, ...extra });
  return double;
}
const pin = (seed: string, over = {}) => promotion([pinEdit(FILE, 'app', digestOf(seed))], over);
const run = (seed: string, over = {}, options = {}) => {
  const { backend, logger } = backendFor(double, options);
  return backend.promote(pin(seed, over)).then((result) => ({ result, log: logger.lines.join('\n') }));
};
const rest = (id: string) => (ex: Exchange) => ex.operationId === id;

describe('B1 a PR whose head has no commits against base is closed by GitHub, for good', () => {
  it('the double closes the PR when its branch is reset to base, and refuses a PR with no commits (B15)', async () => {
    await start();
    await run('v2');
    const base = await double.git.revParse('refs/heads/main');
    await double.handle({ method: 'PATCH', path: '', query: '', operationId: 'git/update-ref', params: { ref: `heads/${BRANCH}` }, body: { sha: base, force: true } });
    expect(double.pulls[0]).toMatchObject({ state: 'CLOSED', closedBy: 'github' });
    const reply = (await double.handle({ method: 'POST', path: '', query: '', operationId: 'pulls/create', params: {}, body: { head: BRANCH, base: 'main', title: 't' } })) as { status: number; body: { errors: Array<{ message: string }> } };
    expect(reply.status).toBe(422);
    expect(reply.body.errors[0]?.message).toBe(`No commits between main and ${BRANCH}`);
  });

  it('two digests in a row keep one open PR with the same number, the branch never at base', async () => {
    await start();
    await run('v2');
    const heads: string[] = [];
    double.before(graphqlField('updatePullRequest'), async () => void heads.push((await double.git.revParse(`refs/heads/${BRANCH}`))!));
    const { result } = await run('v3');
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1 });
    expect(double.pulls).toHaveLength(1);
    expect(double.pulls[0]?.state).toBe('OPEN');
    expect(heads[0]).not.toBe(await double.git.revParse('refs/heads/main'));
  });

  it('when base moved, the update is rebuilt on base and moved in one checked updateRefs (B13): PR open, scratch gone', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { 'README.md': 'docs\n' }, 'docs: readme');
    const { result } = await run('v3');
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1, calls: 5 });
    expect(double.pulls[0]?.state).toBe('OPEN');
    // One commit on top of the new base: the PR shows only the pin.
    expect(await double.git.count(`refs/heads/main..refs/heads/${BRANCH}`)).toBe(1);
    expect(await double.git.count(`refs/heads/${BRANCH}..refs/heads/main`)).toBe(0);
    expect(await double.git.refsUnder('refs/heads/')).toEqual([`refs/heads/${BRANCH}`, 'refs/heads/main']);
    expect(double.interceptor.log.some((e) => e.operationId === 'git/update-ref')).toBe(false);
  });
});

describe('B2 deleting the head branch closes its PR', () => {
  it('the PR closes; a rerun for the same digest respects it, a newer digest opens a new PR', async () => {
    await start();
    await run('v2');
    await double.deleteBranch(BRANCH);
    expect(double.pulls[0]).toMatchObject({ state: 'CLOSED', closedBy: 'github' });
    expect((await run('v2')).result).toMatchObject({ operation: 'skipped', pullRequestNumber: 1 });
    const { result } = await run('v3');
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 2 });
  });
});

describe('B3 GraphQL Blob.text stops at 512,000 bytes (isTruncated)', () => {
  it('a 600 kB values file is read in full over REST and pinned without truncation', async () => {
    const filler = Array.from({ length: 12_000 }, (_, i) => `  key${i}: "${'x'.repeat(40)}"`).join('\n');
    const big = `${helmValues(digestOf('old'))}extra:\n${filler}\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(600_000);
    await start({}, { [FILE]: big });
    const { result } = await run('v2');
    expect(result).toMatchObject({ operation: 'created', calls: 5 });
    const after = (await double.text(BRANCH, FILE))!;
    expect(after).toBe(big.replace(digestOf('old'), digestOf('v2')));
    expect(double.interceptor.log.filter((e) => e.operationId === 'git/get-blob')).toHaveLength(1);
    // The rerun compares by blob id and sees the branch already holds it.
    expect((await run('v2')).result.operation).toBe('unchanged');
  });
});

describe('B17 GraphQL Blob.text is UTF-8: a file that is not UTF-8 is not its bytes', () => {
  it('reads the bytes over REST and refuses the file with the byte offset; nothing is written', async () => {
    await start();
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${helmValues(digestOf('old'))}`)]);
    commitBytes(double.git.dir, 'main', FILE, bytes);
    await expect(run('v2')).rejects.toThrow(`${FILE}:1: is not valid UTF-8: byte 0xe9 at byte offset 5`);
    expect(double.interceptor.log.filter((e) => e.operationId === 'git/get-blob')).toHaveLength(1);
    expect(double.pulls).toHaveLength(0);
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBeUndefined();
  });
});

describe('B4 pullRequests(headRefName:) also lists PRs from forks', () => {
  it('a fork PR with the same branch name is left alone and our own PR is opened', async () => {
    await start();
    const fork = double.addPull({ head: BRANCH, base: 'main', title: 'Fork work', body: 'from a fork', headRepository: 'mallory/gitops' });
    const { result } = await run('v2');
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 2 });
    expect(fork).toMatchObject({ title: 'Fork work', body: 'from a fork', state: 'OPEN', comments: [] });
  });
});

describe('B5 A pull request already exists for owner:branch (422)', () => {
  it('is answered only for a same-repository open PR', async () => {
    await start();
    double.addPull({ head: BRANCH, base: 'main', title: 'fork', headRepository: 'mallory/gitops' });
    await run('v2');
    const reply = (await double.handle({ method: 'POST', path: '', query: '', operationId: 'pulls/create', params: {}, body: { head: BRANCH, base: 'main', title: 't' } })) as { status: number; body: { errors: Array<{ message: string }> } };
    expect(reply.body.errors[0]?.message).toBe(`A pull request already exists for acme:${BRANCH}.`);
  });
});

describe('B6 STALE_DATA when the head moved', () => {
  it('a commit landing on the PR branch between read and commit is re-read; a human one then blocks', async () => {
    await start();
    await run('v2');
    double.before(graphqlField('createCommitOnBranch'), () => double.pushCommit(BRANCH, { 'notes.txt': 'hi\n' }, 'reviewer note'));
    const { result } = await run('v3');
    expect(result).toMatchObject({ operation: 'blocked', pullRequestNumber: 1 });
    expect(await double.text(BRANCH, 'notes.txt')).toBe('hi\n');
  });
});

describe('B7 human commits on the promotion branch (createCommitOnBranch committer is web-flow)', () => {
  it('are kept: blocked with a comment (once), a warning, and exit without writing', async () => {
    await start();
    await run('v2');
    const human = await double.pushCommit(BRANCH, { [FILE]: helmValues(digestOf('v2')).replace('replicas: 2', 'replicas: 3') }, 'bump replicas');
    const first = await run('v3');
    expect(first.result).toMatchObject({ operation: 'blocked', pullRequestNumber: 1, commitSha: human, calls: 2 });
    expect(first.result.reason).toMatch(/^promotion branch 'digestpin\/staging\/app' has 1 commit\(s\) digestpin did not make \([0-9a-f]{7} "bump replicas"\)/);
    expect(first.log).toContain('force-update: true');
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBe(human);
    expect((await run('v3')).result).toMatchObject({ operation: 'blocked', calls: 1 });
    expect(double.pulls[0]?.comments).toHaveLength(1);
    expect(double.pulls[0]?.comments[0]).toMatch(/^digestpin did not update this pull request: .*bump replicas/);
  });

  it('even on a rerun with the same digest when the human changed the pinned file', async () => {
    await start();
    await run('v2');
    await double.pushCommit(BRANCH, { [FILE]: helmValues(digestOf('v2')).replace('replicas: 2', 'replicas: 5') }, 'scale');
    expect((await run('v2')).result.operation).toBe('blocked');
    expect(await double.text(BRANCH, FILE)).toContain('replicas: 5');
  });

  it('a branch left by an older digestpin (no trailer, authored by the same bot token) is updated, not blocked', async () => {
    await start();
    const base = (await double.git.revParse('refs/heads/main'))!;
    const bot = { name: 'digestpin-app[bot]', email: '41898282+digestpin-app[bot]@users.noreply.github.com' };
    const old = await double.git.commitFiles(base, [{ path: FILE, text: helmValues(digestOf('v2')) }], 'Promote app to staging', { author: bot, committer: WEB_FLOW });
    await double.git.compareAndSwap(`refs/heads/${BRANCH}`, old, ZERO_OID);
    double.addPull({ head: BRANCH, base: 'main', title: 'Promote app to staging (v2)' });
    expect((await run('v3')).result).toMatchObject({ operation: 'updated', pullRequestNumber: 1 });
  });

  it('force-update overwrites them, rebuilt on base, PR kept open with its number', async () => {
    await start();
    await run('v2');
    await double.pushCommit(BRANCH, { 'notes.txt': 'hi\n' }, 'reviewer note');
    const { result } = await run('v3', { pullRequest: { forceUpdate: true } });
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1 });
    expect(await double.text(BRANCH, 'notes.txt')).toBeUndefined();
    expect(double.pulls[0]?.state).toBe('OPEN');
  });
});

describe('B8 a PR a person closed without merging', () => {
  it('is not reopened for the same digest (skipped), and a newer digest opens a new PR', async () => {
    await start();
    await run('v2');
    double.closeByPerson(1);
    const skipped = await run('v2');
    expect(skipped.result).toMatchObject({ operation: 'skipped', pullRequestNumber: 1, calls: 1 });
    expect(skipped.result.reason).toMatch(/^PR #1 proposing this change was closed without merging/);
    expect(double.openPulls()).toHaveLength(0);
    expect((await run('v3')).result).toMatchObject({ operation: 'created', pullRequestNumber: 2 });
  });
});

describe('B9 PR options are refused in ways GitHub documents; the pin still lands', () => {
  it('a refusal text carrying a newline cannot start a workflow command in the log', async () => {
    await start({ labels: ['deploy'] });
    double.failNext(graphqlField('enablePullRequestAutoMerge'), {
      status: 200,
      body: { data: { autoMerge: null }, errors: [{ type: 'UNPROCESSABLE', path: ['autoMerge'], message: 'no\n::add-mask::sha256\r\n::warning::forged' }] },
    });
    const { result, log } = await run('v2', { pullRequest: { autoMerge: 'squash' } });
    expect(result.operation).toBe('created');
    expect(log).toContain("PR option 'auto-merge' was refused on #1: no ::add-mask::sha256 ::warning::forged;");
    expect(log).not.toMatch(/^::/m);
  });

  it('"Auto merge is not allowed for this repository": skipped with one warning, before any call', async () => {
    await start({ autoMergeAllowed: false, labels: ['deploy'] });
    const { result, log } = await run('v2', { pullRequest: { autoMerge: 'squash', labels: ['deploy'] } });
    expect(result).toMatchObject({ operation: 'created', calls: 5 });
    expect(double.pulls[0]?.labelIds).toEqual(['LA_deploy']);
    expect(double.pulls[0]?.autoMerge).toBeUndefined();
    expect(log).toContain('auto-merge skipped on PR #1: acme/gitops does not allow auto-merge; turn on "Allow auto-merge"');
  });

  it('a refusal GitHub sends is one warning naming the option, the other options still apply, and a rerun retries it', async () => {
    await start({ labels: ['deploy'] });
    double.failNext(graphqlField('enablePullRequestAutoMerge'), {
      status: 200,
      body: { data: { labels: { clientMutationId: null }, autoMerge: null }, errors: [{ type: 'UNPROCESSABLE', path: ['autoMerge'], message: 'Auto merge is not allowed for this repository' }] },
    });
    const { result, log } = await run('v2', { pullRequest: { autoMerge: 'squash', labels: ['deploy'] } });
    expect(result.operation).toBe('created');
    expect(log).toContain("PR option 'auto-merge' was refused on #1: Auto merge is not allowed for this repository; turn on");
    expect(await double.text(BRANCH, FILE)).toContain(digestOf('v2'));
    const rerun = await run('v2', { pullRequest: { autoMerge: 'squash', labels: ['deploy'] } });
    expect(rerun.result).toMatchObject({ operation: 'unchanged', calls: 2 });
    expect(double.pulls[0]?.autoMerge).toBe('SQUASH');
  });
});

describe('B10 + B11 a GITHUB_TOKEN cannot read organization teams; its PRs start no workflows', () => {
  it('team reviewers are a warning, users are still requested, the notice is printed once', async () => {
    await start({ workflowToken: true, users: ['alice'], teams: ['platform'] });
    const { result, log } = await run('v2', { pullRequest: { reviewers: ['alice'], teamReviewers: ['platform'], workflowToken: true } });
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 1 });
    expect(double.pulls[0]?.reviewerIds).toEqual(['U_alice']);
    expect(log).toMatch(/team reviewers 'acme\/platform' skipped: the token can't read acme's teams .*GITHUB_TOKEN never can/);
    expect(log.match(/GitHub starts no workflows for its pull requests/g)).toHaveLength(1);
    expect(log).not.toContain('contents: read');
  });
});

describe('B12 web-commit signing off (GitHub Enterprise Server)', () => {
  it('digestpin recognises its own unsigned commits: the next digest updates, not blocks', async () => {
    await start();
    await run('v2');
    const signature = await exec('git', ['log', '-1', '--format=%G?', `refs/heads/${BRANCH}`], { env: { GIT_DIR: double.git.dir } });
    expect(signature.stdout.trim()).toBe('N');
    expect((await run('v3')).result.operation).toBe('updated');
  });
});

describe('B14 secondary rate limits on content-creating requests', () => {
  it('a 403 with retry-after on opening the PR is waited out (scaled) and logged', async () => {
    await start();
    double.failNext(rest('pulls/create'), { status: 403, body: { message: 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.', documentation_url: 'https://docs.github.com' }, headers: { 'retry-after': '60' } });
    const { result, log } = await run('v2');
    expect(result.operation).toBe('created');
    expect(log).toContain('secondary rate limit on POST /repos/{owner}/{repo}/pulls: retrying in 60s');
  });
});

describe('F1 a GitHub that stops answering (issue 13, item 7)', () => {
  it('each request times out, the call is bounded, and the error says "timed out" naming the request', async () => {
    await start();
    double.stall(graphqlField('repository'));
    const started = Date.now();
    const error = await run('v2', {}, { requestTimeoutMs: 150, callTimeoutMs: 2_000 }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^GitHub read on acme\/gitops timed out: POST \/graphql \(DigestpinRead\) got no complete answer within 0\.2 s$/);
    expect(error?.message).not.toMatch(/answered 500/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(double.pulls).toHaveLength(0);
  });

  it('the whole call is bounded even while retries go on', async () => {
    await start();
    double.stall(graphqlField('repository'));
    const error = await run('v2', {}, { requestTimeoutMs: 400, callTimeoutMs: 500 }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^GitHub read on acme\/gitops timed out: POST \/graphql \(DigestpinRead\) with its retries got no complete answer within 0\.5 s$/);
  });
});

describe('F2 response size cap (issue 13, item 4)', () => {
  it('an answer larger than the cap fails naming the request, nothing written', async () => {
    await start();
    const huge: Reply = { status: 200, body: { data: { viewer: { login: 'x' }, repository: null }, padding: 'x'.repeat(300_000) } };
    double.failNext(graphqlField('repository'), huge, 10);
    const error = await run('v2', {}, { maxResponseBytes: 100_000 }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toBe('GitHub read on acme/gitops failed: the answer to POST /graphql (DigestpinRead) exceeded the 98 KiB cap');
    expect(double.pulls).toHaveLength(0);
  });
});

describe('F3 an answer lost after the commit landed (issue 13, item 11)', () => {
  it('direct mode: the run recognises its own commit: committed, with its sha', async () => {
    await start();
    double.loseAnswer(graphqlField('createCommitOnBranch'));
    const { result } = await run('v2', { mode: 'direct' }, { retries: 0 });
    const head = await double.git.revParse('refs/heads/main');
    expect(result).toMatchObject({ operation: 'committed', commitSha: head });
    expect(result.changedFiles).toHaveLength(1);
    expect(await double.git.commitCount('refs/heads/main')).toBe(2);
  });

  it('a lost answer to the atomic branch move: the move is recognised, PR updated, no scratch branch left', async () => {
    await start();
    await run('v2');
    await double.pushCommit('main', { 'README.md': 'docs\n' }, 'docs');
    double.loseAnswer(graphqlField('updateRefs'));
    const { result } = await run('v3', {}, { retries: 0 });
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1 });
    expect(double.pulls[0]?.state).toBe('OPEN');
    expect(double.pulls[0]?.title).toContain(digestOf('v3').slice(0, 14));
    expect(await double.git.refsUnder('refs/heads/')).toEqual([`refs/heads/${BRANCH}`, 'refs/heads/main']);
  });

  it('pull-request mode: the PR is still updated after the lost answer', async () => {
    await start();
    await run('v2');
    double.loseAnswer(graphqlField('createCommitOnBranch'));
    const { result } = await run('v3', {}, { retries: 0 });
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1, commitSha: await double.git.revParse(`refs/heads/${BRANCH}`) });
    expect(double.pulls[0]?.title).toContain(digestOf('v3').slice(0, 14));
  });
});

describe('B16 a permanent ref conflict (issue 13, item 12)', () => {
  it("a branch 'main/dev/agents' beside 'main' fails at once with the reason, after one read", async () => {
    await start();
    const { backend } = backendFor(double);
    const error = await backend.promote(promotion([pinEdit(FILE, 'agents', digestOf('v2'))], { branch: 'main/dev/agents' })).then(() => undefined, (e: Error) => e);
    expect(error?.message).toBe("promotion branch 'main/dev/agents' can't exist in acme/gitops: branch 'main' is in the way (git can't hold both names); change branch-template");
    expect(double.interceptor.requests).toBe(1);
  });
});
