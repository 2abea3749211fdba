// 401/403/404 from GitHub become one sentence naming what is missing, and the token never shows: not in the error,
// its cause chain as serialized, nor the log.
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Exchange, Reply } from '../../support/github-contract.js';
import { GitHubDouble, graphqlField } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues, pinEdit, promotion, TOKEN } from '../../support/github-fixtures.js';
import { oneLine } from '../../../src/runtime/errors.js';

const FILE = 'apps/app/values.yaml';
let double: GitHubDouble;
beforeAll(() => nock.disableNetConnect());
beforeEach(async () => {
  double = await GitHubDouble.start({ files: { [FILE]: helmValues(digestOf('old')), '.github/workflows/deploy.yml': 'on: push\n' } });
});
afterEach(async () => {
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

const rest = (operationId: string) => (ex: Exchange) => ex.operationId === operationId;
const basic = (code: number, message: string): Reply => ({ status: code, body: { message, documentation_url: 'https://docs.github.com/rest' } });
const gqlError = (type: string, message: string, field: string): Reply => ({ status: 200, body: { data: { [field]: null }, errors: [{ type, path: [field], message }] } });
/** The pull-request read also asks for `viewer`, which GitHub still answers when the repository is not found. */
const withViewer = (reply: Reply): Reply => ('body' in reply ? { ...reply, body: { ...(reply.body as object), data: { viewer: { login: 'digestpin-app[bot]' }, ...((reply.body as { data: object }).data) } } } : reply);

describe('GitHub errors name what is missing', () => {
  it.each([
    ['401 on the read', graphqlField('repository'), { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' } }, 'pull-request',
      /^GitHub read on acme\/gitops was refused \(401 Bad credentials\): set a valid token \(a PAT, a GitHub App installation token or the workflow's GITHUB_TOKEN\)$/],
    ['404 repository (GraphQL NOT_FOUND)', graphqlField('repository'), withViewer(gqlError('NOT_FOUND', "Could not resolve to a Repository with the name 'acme/gitops'.", 'repository')), 'pull-request',
      /^GitHub read on acme\/gitops was refused \(NOT_FOUND\): repository acme\/gitops was not found or the token cannot see it: .*`contents: read`/],
    ['403 creating the branch', rest('git/create-ref'), basic(403, 'Resource not accessible by integration'), 'pull-request',
      /^GitHub create-branch on acme\/gitops was refused \(403\): the token needs `contents: write` on acme\/gitops$/],
    ['FORBIDDEN moving the rebuilt branch', graphqlField('updateRefs'), gqlError('FORBIDDEN', 'Resource not accessible by integration', 'updateRefs'), 'rebuild',
      /^GitHub move-branch on acme\/gitops was refused \(FORBIDDEN\): the token needs `contents: write` on acme\/gitops$/],
    ['FORBIDDEN on the direct commit', graphqlField('createCommitOnBranch'), gqlError('FORBIDDEN', 'Resource not accessible by integration', 'createCommitOnBranch'), 'direct',
      /^GitHub commit on acme\/gitops was refused \(FORBIDDEN\): the token needs `contents: write` on acme\/gitops$/],
    ['403 opening the PR', rest('pulls/create'), basic(403, 'Resource not accessible by integration'), 'pull-request',
      /^GitHub open-pull-request on acme\/gitops was refused \(403\): the token needs `pull-requests: write` on acme\/gitops$/],
    ['403 Actions may not open PRs', rest('pulls/create'), basic(403, 'GitHub Actions is not permitted to create or approve pull requests.'), 'pull-request',
      /"Allow GitHub Actions to create and approve pull requests" for acme\/gitops/],
  ] as const)('%s', async (_name, match, reply, mode, expected) => {
    if (mode === 'rebuild') {
      // An open PR whose branch is behind base: the update is rebuilt on a scratch branch and moved with updateRefs.
      await backendFor(double).backend.promote(promotion([pinEdit(FILE, 'app', digestOf('v1'))]));
      await double.pushCommit('main', { 'README.md': 'hello\n' }, 'docs');
    }
    double.failNext(match, reply as Reply);
    const { backend, logger } = backendFor(double);
    const request = promotion([pinEdit(FILE, 'app', digestOf('new'))], mode === 'direct' ? { mode: 'direct' } : {});
    const error = await backend.promote(request).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(oneLine(error)).toMatch(expected);
    const everything = `${oneLine(error)}\n${JSON.stringify(error, Object.getOwnPropertyNames(error))}\n${String((error as Error).stack)}\n${logger.lines.join('\n')}`;
    expect(everything).not.toContain(TOKEN);
    // Nothing half-written: no scratch branch is left behind.
    expect(await double.git.refsUnder('refs/heads/')).toEqual(mode === 'rebuild' ? ['refs/heads/digestpin/staging/app', 'refs/heads/main'] : expect.any(Array));
  });

  it('a refused change under .github/workflows/ asks for the `workflows` permission', async () => {
    double.failNext(graphqlField('createCommitOnBranch'), gqlError('FORBIDDEN', 'refusing to allow a GitHub App to create or update workflow `.github/workflows/deploy.yml` without `workflows` permission', 'createCommitOnBranch'));
    const { backend } = backendFor(double);
    const edit = { path: '.github/workflows/deploy.yml', apply: (t: string | undefined) => ({ text: `${t ?? ''}# pinned\n` }) };
    await expect(backend.promote(promotion([edit], { mode: 'direct' }))).rejects.toThrow(
      /^GitHub commit on acme\/gitops was refused \(FORBIDDEN\): the token needs the `workflows` permission \(scope\) to change files under \.github\/workflows\/ in acme\/gitops$/,
    );
  });
});
