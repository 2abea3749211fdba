// The GitHub backend against the stateful double (real bare repository), every request contract-checked.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubDouble, graphqlField } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues, pinEdit, promotion } from '../../support/github-fixtures.js';

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

async function start(files: Record<string, string> = { [FILE]: helmValues(digestOf('old')) }, extra = {}) {
  double = await GitHubDouble.start({ files, ...extra });
  return double;
}

describe('GitHub backend, pull-request mode', () => {
  it('opens one PR with one commit on a fresh branch in 4 calls, leaving base untouched', async () => {
    await start();
    const { backend } = backendFor(double);
    const result = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('new'))]));
    expect(result).toMatchObject({ operation: 'created', pullRequestNumber: 1, branch: BRANCH, calls: 4 });
    expect(double.interceptor.requests).toBe(4);
    expect(await double.text(BRANCH, FILE)).toContain(`digest: ${digestOf('new')}`);
    expect(await double.text('main', FILE)).toContain(`digest: ${digestOf('old')}`);
    expect(await double.git.commitCount(`refs/heads/${BRANCH}`)).toBe(2);
    expect(result.commitSha).toBe(await double.git.revParse(`refs/heads/${BRANCH}`));
    expect(double.openPulls()).toHaveLength(1);
    expect(double.openPulls()[0]?.title).toBe(`Promote app to staging (${digestOf('new').slice(0, 14)})`);
  });

  it('is idempotent: the same promotion twice makes no second commit and no second PR', async () => {
    await start();
    const { backend } = backendFor(double);
    const request = promotion([pinEdit(FILE, 'app', digestOf('new'))]);
    await backend.promote(request);
    const head = await double.git.revParse(`refs/heads/${BRANCH}`);
    const again = await backend.promote(request);
    expect(again).toMatchObject({ operation: 'unchanged', pullRequestNumber: 1, calls: 1, commitSha: head });
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBe(head);
    expect(double.pulls).toHaveLength(1);
  });

  it('a newer digest commits on top of the branch and updates the same, still open PR in 3 calls', async () => {
    await start();
    const { backend } = backendFor(double);
    await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v2'))]));
    const newer = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v3'))]));
    expect(newer).toMatchObject({ operation: 'updated', pullRequestNumber: 1, calls: 3 });
    expect(double.pulls).toHaveLength(1);
    expect(double.pulls[0]).toMatchObject({ state: 'OPEN' });
    expect(double.pulls[0]?.title).toContain(digestOf('v3').slice(0, 14));
    expect(await double.text(BRANCH, FILE)).toContain(digestOf('v3'));
    expect(await double.git.commitCount(`refs/heads/${BRANCH}`)).toBe(3);
  });

  it('makes no branch and no PR when base already holds the pin', async () => {
    await start({ [FILE]: helmValues(digestOf('new')) });
    const { backend } = backendFor(double);
    const result = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('new'))]));
    expect(result).toMatchObject({ operation: 'unchanged', calls: 1, changedFiles: [] });
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBeUndefined();
    expect(double.pulls).toHaveLength(0);
  });

  it('closes the open PR once base holds exactly the pin it proposes, saying so', async () => {
    await start();
    const { backend } = backendFor(double);
    await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v3'))]));
    // Someone pins v3 straight on base (direct mode): what the open PR proposes has landed.
    await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v3'))], { mode: 'direct' }));
    const result = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v3'))]));
    expect(result).toMatchObject({ operation: 'closed', pullRequestNumber: 1, calls: 2 });
    expect(double.openPulls()).toHaveLength(0);
    expect(double.pulls[0]?.comments[0]).toMatch(new RegExp(`Superseded: \`main\` .*already pins \`${digestOf('v3')}\``));
  });

  it('a rerun for an older digest that base holds leaves the open PR for a newer one alone (issue 13, item 3)', async () => {
    await start({ [FILE]: helmValues(digestOf('v2')) });
    const { backend } = backendFor(double);
    await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v3'))]));
    const rerun = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v2'))]));
    expect(rerun).toMatchObject({ operation: 'unchanged', pullRequestNumber: 1, calls: 1 });
    expect(double.openPulls()).toHaveLength(1);
    expect(double.pulls[0]?.comments).toEqual([]);
    expect(await double.text(BRANCH, FILE)).toContain(digestOf('v3'));
  });

  it('sets labels, reviewers, team reviewers, assignees and draft in one extra call (teams looked up in another)', async () => {
    await start(undefined, { labels: ['deploy'], users: ['alice', 'bob'], teams: ['platform'] });
    const { backend, logger } = backendFor(double);
    const result = await backend.promote(
      promotion([pinEdit(FILE, 'app', digestOf('new'))], {
        pullRequest: { labels: ['deploy', 'ghost'], reviewers: ['alice'], teamReviewers: ['platform'], assignees: ['bob'], draft: true, autoMerge: 'squash' },
      }),
    );
    expect(result).toMatchObject({ operation: 'created', calls: 6 });
    expect(double.pulls[0]).toMatchObject({ draft: true, labelIds: ['LA_deploy'], reviewerIds: ['U_alice', 'T_platform'], assigneeIds: ['U_bob'] });
    // GitHub enables auto-merge only on PRs ready for review: skipped with a warning, no refused call.
    expect(double.pulls[0]?.autoMerge).toBeUndefined();
    expect(logger.lines.join('\n')).toContain("label 'ghost' not found in acme/gitops; skipped");
    expect(logger.lines.join('\n')).toContain('auto-merge skipped on PR #1: it is a draft');
  });

  it('puts several services and 100 files in one commit, with the same number of calls as one file', async () => {
    const files = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`apps/s${i}/values.yaml`, helmValues(digestOf('old'))]));
    await start(files);
    const { backend } = backendFor(double);
    const edits = Object.keys(files).map((path, i) => pinEdit(path, `s${i}`, digestOf('new')));
    const result = await backend.promote(promotion(edits));
    expect(result).toMatchObject({ operation: 'created', calls: 4 });
    expect(result.changedFiles).toHaveLength(100);
    expect(await double.git.commitCount(`refs/heads/${BRANCH}`)).toBe(2);
    for (const path of ['apps/s0/values.yaml', 'apps/s57/values.yaml', 'apps/s99/values.yaml']) expect(await double.text(BRANCH, path)).toContain(digestOf('new'));
  });

  it('422 "A pull request already exists" (a racer opened it first) leads to a lookup and an update, not a second PR', async () => {
    await start();
    const { backend } = backendFor(double);
    const request = promotion([pinEdit(FILE, 'app', digestOf('new'))]);
    double.before((ex) => ex.operationId === 'pulls/create', () => backendFor(double).backend.promote(request));
    const result = await backend.promote(request);
    expect(result).toMatchObject({ operation: 'updated', pullRequestNumber: 1, calls: 6 });
    expect(double.pulls).toHaveLength(1);
    expect(double.interceptor.log.filter((e) => e.operationId === 'pulls/create')).toHaveLength(2);
  });

  it('"Reference already exists" (a racer created the branch) counts as success; the race is re-read, not duplicated', async () => {
    await start();
    const { backend } = backendFor(double);
    const request = promotion([pinEdit(FILE, 'app', digestOf('new'))]);
    double.before((ex) => ex.operationId === 'git/create-ref', () => backendFor(double).backend.promote(request));
    const result = await backend.promote(request);
    expect(result).toMatchObject({ operation: 'unchanged', pullRequestNumber: 1 });
    expect(double.pulls).toHaveLength(1);
    expect(await double.git.commitCount(`refs/heads/${BRANCH}`)).toBe(2);
  });

  it('dry run reads once and writes nothing', async () => {
    await start();
    const { backend } = backendFor(double);
    const result = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('new'))], { dryRun: true }));
    expect(result).toMatchObject({ operation: 'none', calls: 1 });
    expect(result.changedFiles[0]?.after).toContain(digestOf('new'));
    expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBeUndefined();
  });
});

describe('GitHub backend, direct mode', () => {
  it('commits straight to base in 2 calls, then reports unchanged', async () => {
    await start();
    const { backend } = backendFor(double);
    const request = promotion([pinEdit(FILE, 'app', digestOf('new'))], { mode: 'direct' });
    const first = await backend.promote(request);
    expect(first).toMatchObject({ operation: 'committed', branch: 'main', calls: 2 });
    expect(first.commitSha).toBe(await double.git.revParse('refs/heads/main'));
    expect(await double.text('main', FILE)).toContain(digestOf('new'));
    expect(await double.git.commitMessage('refs/heads/main')).toMatch(/^Promote app to staging/);
    expect(await backend.promote(request)).toMatchObject({ operation: 'unchanged', calls: 1 });
    expect(await double.git.commitCount('refs/heads/main')).toBe(2);
  });

  it('re-reads and re-applies the edits when base moved (STALE_DATA), keeping the other change', async () => {
    await start({ [FILE]: helmValues(digestOf('old')), 'apps/b/values.yaml': helmValues(digestOf('old')) });
    const { backend, logger } = backendFor(double);
    const other = backendFor(double).backend;
    // Another run lands on base between our read and our commit: our expectedHeadOid is stale.
    double.before(graphqlField('createCommitOnBranch'), () => other.promote(promotion([pinEdit('apps/b/values.yaml', 'b', digestOf('b'))], { mode: 'direct' })));
    const result = await backend.promote(promotion([pinEdit(FILE, 'app', digestOf('new'))], { mode: 'direct' }));
    expect(result).toMatchObject({ operation: 'committed', calls: 4 });
    expect(await double.text('main', FILE)).toContain(digestOf('new'));
    expect(await double.text('main', 'apps/b/values.yaml')).toContain(digestOf('b'));
    expect(await double.git.commitCount('refs/heads/main')).toBe(3);
    expect(logger.lines.join('\n')).toContain("base branch 'main' moved or an answer was lost; re-reading (attempt 2)");
  });

  it('a real conflict (the edit cannot apply) ends in a clear error and writes nothing', async () => {
    await start();
    const { backend } = backendFor(double);
    const before = await double.git.revParse('refs/heads/main');
    await expect(backend.promote(promotion([pinEdit('apps/missing/values.yaml', 'x', digestOf('new'))], { mode: 'direct' }))).rejects.toThrow(
      'apps/missing/values.yaml does not exist',
    );
    expect(await double.git.revParse('refs/heads/main')).toBe(before);
  });
});
