import { describe, expect, it } from 'vitest';
import { checkTargetPath, cloneArgs, gitLabPushOptions, parseMergeRequest, pushArgs, sparsePatterns } from '../../../src/gitops/git/argv.js';
import { parseRemote } from '../../../src/gitops/git/remote.js';

describe('cloneArgs', () => {
  it('clones shallow, blob-less, without checkout; file remotes get an upload-pack that allows the filter', () => {
    expect(cloneArgs(parseRemote('file:///srv/gitops.git'), 'main', '/tmp/w/repo')).toEqual([
      'clone', '--quiet', '--filter=blob:none', '--no-checkout', '--depth', '1', '--single-branch', '--no-tags',
      '--branch', 'main', '--upload-pack', 'git -c uploadpack.allowFilter=true upload-pack', '--', 'file:///srv/gitops.git', '/tmp/w/repo',
    ]);
    expect(cloneArgs(parseRemote('git@gitlab.com:group/gitops.git'), 'prod', 'd')).toEqual([
      'clone', '--quiet', '--filter=blob:none', '--no-checkout', '--depth', '1', '--single-branch', '--no-tags',
      '--branch', 'prod', '--', 'git@gitlab.com:group/gitops.git', 'd',
    ]);
  });
});

describe('pushArgs', () => {
  it.each([
    [{ branch: 'main' }, ['push', '--porcelain', '--no-verify', 'origin', 'abc:refs/heads/main']],
    [{ branch: 'digestpin/dev/api', lease: '' }, ['-c', 'push.negotiate=true', 'push', '--porcelain', '--no-verify',
      '--force-with-lease=refs/heads/digestpin/dev/api:', 'origin', 'abc:refs/heads/digestpin/dev/api']],
    [{ branch: 'b', lease: 'f00', pushOptions: ['merge_request.create'] }, ['-c', 'push.negotiate=true', 'push', '--porcelain',
      '--no-verify', '--force-with-lease=refs/heads/b:f00', '-o', 'merge_request.create', 'origin', 'abc:refs/heads/b']],
  ])('%j', (plan, argv) => {
    expect(pushArgs('abc', plan)).toEqual(argv);
  });
});

describe('sparsePatterns', () => {
  it('anchors each path and escapes glob characters', () => {
    expect(sparsePatterns(['apps/api/values.yaml', 'envs/[prod]/*.yaml', '!odd#name '])).toBe(
      '/apps/api/values.yaml\n/envs/\\[prod\\]/\\*.yaml\n/\\!odd\\#name\\ \n');
  });
});

describe('gitLabPushOptions', () => {
  it('maps the PR options GitLab understands and flattens newlines', () => {
    expect(gitLabPushOptions('main', 'Promote api\nto prod', { labels: ['gitops'], assignees: ['ann'], draft: true, autoMerge: 'squash', reviewers: ['x'] })).toEqual([
      'merge_request.create', 'merge_request.target=main', 'merge_request.title=Promote api to prod', 'merge_request.label=gitops',
      'merge_request.assign=ann', 'merge_request.draft', 'merge_request.merge_when_pipeline_succeeds',
    ]);
  });
});

describe('parseMergeRequest', () => {
  it('reads the URL GitLab prints after a push', () => {
    const output = 'remote:\nremote: View merge request for digestpin/dev/api:\nremote:   https://gitlab.example.com/ops/gitops/-/merge_requests/42\nremote:\nTo gitlab.example.com:ops/gitops.git';
    expect(parseMergeRequest(output)).toEqual({ url: 'https://gitlab.example.com/ops/gitops/-/merge_requests/42', number: 42 });
    expect(parseMergeRequest('To /srv/gitops.git\n*\tabc:refs/heads/b\t[new branch]')).toBeUndefined();
  });

  it.each([
    'remote:   https://gitlab.example.com/a/-/merge_requests/1)](javascript:alert(1)',
    'remote:   https://gitlab.example.com/a::warning::x/-/merge_requests/1',
    'remote:   https://gitlab.example.com/"a"/-/merge_requests/1',
  ])('takes no URL a server shaped to break out of Markdown or a log line: %s', (output) => {
    expect(parseMergeRequest(output)).toBeUndefined();
  });
});

describe('checkTargetPath', () => {
  it.each(['apps/api/values.yaml', 'values.yaml', 'a b/c.yaml'])('accepts %s', (p) => {
    expect(checkTargetPath(p)).toBe(p);
  });
  it.each([
    ['', /not a usable path/], ['/etc/passwd', /is absolute/], ['apps/../../x', /not normalised/], ['../x', /leaves the repository/],
    ['./apps/x.yaml', /did you mean 'apps\/x.yaml'/], ['.git/config', /points into .git/], ['apps\\x', /not a usable path/], ['apps/', /not normalised/],
  ])('rejects %j', (p, message) => {
    expect(() => checkTargetPath(p)).toThrow(message);
    expect(() => checkTargetPath(p)).toThrow(/^input 'file': /);
  });
});
