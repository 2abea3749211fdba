import { afterEach, describe, expect, it } from 'vitest';
import { parseRemote } from '../../../src/gitops/git/remote.js';
import { clearSecrets, redact } from '../../../src/runtime/secrets.js';

afterEach(() => clearSecrets());

describe('parseRemote', () => {
  it('moves https credentials out of the URL into a header scoped to the origin, and registers them as secrets', () => {
    const remote = parseRemote('https://deploy:p%40ss-w0rd@gitlab.example.com:8443/ops/gitops.git', { baseEnv: {} });
    expect(remote.url).toBe('https://gitlab.example.com:8443/ops/gitops.git');
    expect(remote.display).toBe(remote.url);
    expect(remote.gitlab).toBe(true);
    const header = `Authorization: Basic ${Buffer.from('deploy:p@ss-w0rd').toString('base64')}`;
    expect(remote.env).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.https://gitlab.example.com:8443/.extraHeader',
      GIT_CONFIG_VALUE_0: header,
      // A redirect to another origin would carry the header along (issue 13, item 2).
      GIT_CONFIG_KEY_1: 'http.followRedirects',
      GIT_CONFIG_VALUE_1: 'false',
    });
    expect(redact(`p@ss-w0rd ${header} ${Buffer.from('deploy:p@ss-w0rd').toString('base64')}`)).not.toMatch(/p@ss|ZGVwbG95/);
  });

  it('appends to a GIT_CONFIG_COUNT the environment already uses', () => {
    const remote = parseRemote('https://ghp_token1234@git.example.com/a/b.git', { baseEnv: { GIT_CONFIG_COUNT: '2' } });
    expect(remote.env.GIT_CONFIG_COUNT).toBe('4');
    expect(remote.env.GIT_CONFIG_KEY_2).toBe('http.https://git.example.com/.extraHeader');
    expect(redact('token ghp_token1234')).toBe('token ***');
  });

  it.each([
    ['/srv/gitops.git', 'file:///srv/gitops.git', true, false],
    ['file:///srv/gitops.git', 'file:///srv/gitops.git', true, false],
    ['git@gitlab.com:ops/gitops.git', 'git@gitlab.com:ops/gitops.git', false, true],
    ['ssh://git@example.com:2222/ops/gitops.git', 'ssh://git@example.com:2222/ops/gitops.git', false, false],
    ['https://example.com/ops/gitops.git', 'https://example.com/ops/gitops.git', false, false],
  ])('%s', (input, url, local, gitlab) => {
    const remote = parseRemote(input);
    expect(remote.url).toBe(url);
    expect(Boolean(remote.uploadPack)).toBe(local);
    expect(remote.gitlab).toBe(gitlab);
    expect(remote.env).toEqual({});
  });

  it('resolves a relative path against cwd and lets the gitlab option win', () => {
    expect(parseRemote('repos/gitops.git', { cwd: '/work' }).url).toBe('file:///work/repos/gitops.git');
    expect(parseRemote('https://gitlab.internal/a/b.git', { gitlab: false }).gitlab).toBe(false);
    expect(parseRemote('https://code.internal/a/b.git', { gitlab: true }).gitlab).toBe(true);
  });
});
