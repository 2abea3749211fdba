import { describe, expect, it } from 'vitest';
import { gitHubError } from '../../../src/gitops/errors.js';
import { registerSecret } from '../../../src/runtime/secrets.js';

const TOKEN = 'ghs_InstallationTokenValue0123456789abc';
// The shape of Octokit's RequestError: status, and GitHub's reply under response.data.
const rest = (status: number, message: string) => Object.assign(new Error(message), { status, response: { status, data: { message, documentation_url: 'x' } } });

describe('gitHubError', () => {
  it.each([
    [rest(401, 'Bad credentials'), 'read', /\(401 Bad credentials\): set a valid token/],
    [rest(403, 'Resource not accessible by integration'), 'commit', /needs `contents: write` on o\/r$/],
    [rest(403, 'Resource not accessible by integration'), 'update-pull-request', /needs `pull-requests: write` on o\/r$/],
    [rest(404, 'Not Found'), 'read', /repository o\/r was not found or the token cannot see it/],
    [rest(404, 'Not Found'), 'create-branch', /needs `contents: write` on o\/r$/],
    [rest(403, 'GitHub Actions is not permitted to create or approve pull requests.'), 'open-pull-request', /"Allow GitHub Actions to create and approve pull requests"/],
    [rest(502, 'Bad Gateway'), 'read', /failed: GitHub answered 502 after retries/],
  ] as const)('%s during %s', (error, step, expected) => {
    expect(gitHubError(error, { step, repository: 'o/r' }).message).toMatch(expected);
  });

  it('names the workflows permission for a refused workflow file', () => {
    const e = gitHubError(rest(403, 'Resource not accessible by integration'), { step: 'commit', repository: 'o/r', paths: ['.github/workflows/ci.yml'] });
    expect(e.message).toContain('`workflows` permission');
  });

  it('masks a token that GitHub echoes back', () => {
    registerSecret(TOKEN);
    const e = gitHubError(rest(422, `token ${TOKEN} is odd`), { step: 'commit', repository: 'o/r' });
    expect(e.message).not.toContain(TOKEN);
    expect(e.message).toContain('***');
  });
});
