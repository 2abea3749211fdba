// The plain-git backend against real bare repositories: direct and pull-request mode, idempotence, dry run,
// GitLab push options, and the sparse clone fetching only the target blobs.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createGitBackend, cloneSparse, createGitSession, parseRemote, DEFAULT_IDENTITY } from '../../../src/gitops/git/index.js';
import { exec } from '../../../src/runtime/exec.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import {
  commitBytes, createBareRepo, digest, git, leftovers, noSleep, pinEdit, promotion, tempWorkDir, valuesFile, type BareRepo,
} from '../../support/git-fixtures.js';

const repos: BareRepo[] = [];
async function bare(files: Record<string, string>, config?: Record<string, string>) {
  const repo = await createBareRepo(files, 'main', { config });
  repos.push(repo);
  return repo;
}
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

const FILES = {
  'apps/api/values.yaml': valuesFile('api'),
  'apps/web/values.yaml': valuesFile('web'),
  'README.md': '# gitops\n',
};

describe('direct mode', () => {
  it('refuses a values file that is not UTF-8, naming the byte offset, and commits nothing', async () => {
    const repo = await bare(FILES);
    // A Latin-1 comment (0xe9): decoded as UTF-8 it would be committed back as U+FFFD, hidden in the diff.
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${valuesFile('api')}`)]);
    const base = commitBytes(repo.path, 'main', 'apps/api/values.yaml', bytes);
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger: memoryLogger(), sleep: noSleep });
    await expect(backend.promote(promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(1))]))).rejects.toThrow(
      'apps/api/values.yaml:1: is not valid UTF-8: byte 0xe9 at byte offset 5; save the file as UTF-8 (nothing was changed)',
    );
    expect(await repo.head()).toBe(base);
  });

  it('pins the file in one commit on the base branch, and a second identical run changes nothing', async () => {
    const repo = await bare(FILES);
    const base = await repo.head();
    const workDir = await tempWorkDir();
    const logger = memoryLogger();
    const backend = createGitBackend({ remote: repo.url, workDir, logger, sleep: noSleep });
    const request = promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(1))]);

    const first = await backend.promote(request);
    expect(first.operation).toBe('committed');
    expect(first.commitSha).toBe(await repo.head());
    expect(await repo.git(['rev-parse', `${first.commitSha}^`])).toBe(base);
    expect(await repo.readFile('apps/api/values.yaml')).toBe(valuesFile('api', digest(1)));
    expect(await repo.readFile('apps/web/values.yaml')).toBe(valuesFile('web'));
    expect(first.changedFiles.map((f) => f.path)).toEqual(['apps/api/values.yaml']);
    expect(await repo.git(['log', '-1', '--format=%an <%ae>|%s', 'main'])).toBe(
      `${DEFAULT_IDENTITY.name} <${DEFAULT_IDENTITY.email}>|Promote api to dev`);

    const second = await backend.promote(request);
    expect(second.operation).toBe('unchanged');
    expect(await repo.head()).toBe(first.commitSha);
    expect(await leftovers(workDir)).toEqual([]);
  });

  it('accepts a local path as the remote and writes several files in one commit', async () => {
    const repo = await bare(FILES);
    const base = await repo.head();
    const backend = createGitBackend({ remote: repo.path, workDir: await tempWorkDir(), logger: memoryLogger() });
    const result = await backend.promote(promotion(repo.path, [
      pinEdit('apps/api/values.yaml', 'api', digest(2)),
      pinEdit('apps/web/values.yaml', 'web', digest(3)),
    ]));
    expect(result.operation).toBe('committed');
    expect(await repo.git(['rev-list', '--count', `${base}..main`])).toBe('1');
    expect(await repo.readFile('apps/web/values.yaml')).toBe(valuesFile('web', digest(3)));
  });

  it('dry run reports the changed files and pushes nothing', async () => {
    const repo = await bare(FILES);
    const base = await repo.head();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger: memoryLogger() });
    const result = await backend.promote(promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(4))], { dryRun: true }));
    expect(result.operation).toBe('none');
    expect(result.changedFiles[0]?.after).toBe(valuesFile('api', digest(4)));
    expect(await repo.head()).toBe(base);
  });
});

describe('pull-request mode', () => {
  it('pushes one commit on top of the base to the promotion branch, updates it with a lease, and is idempotent', async () => {
    const repo = await bare(FILES);
    const base = await repo.head();
    const logger = memoryLogger();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger, sleep: noSleep });
    const request = (n: number) => promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(n))], { mode: 'pull-request' });

    const first = await backend.promote(request(5));
    expect(first).toMatchObject({ operation: 'committed', branch: 'digestpin/dev/app' });
    expect(await repo.head('digestpin/dev/app')).toBe(first.commitSha);
    expect(await repo.head()).toBe(base);
    expect(logger.lines.some((l) => l.includes('open the pull request'))).toBe(true);

    expect((await backend.promote(request(5))).operation).toBe('unchanged');
    expect(await repo.head('digestpin/dev/app')).toBe(first.commitSha);

    const newer = await backend.promote(request(6));
    expect(newer.operation).toBe('committed');
    expect(await repo.git(['rev-parse', 'digestpin/dev/app^'])).toBe(base);
    expect(await repo.readFile('apps/api/values.yaml', 'digestpin/dev/app')).toBe(valuesFile('api', digest(6)));
  });

  it("keeps a reviewer's commit on the promotion branch (blocked, branch untouched); force-update replaces it", async () => {
    const repo = await bare(FILES);
    const logger = memoryLogger();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger, sleep: noSleep });
    const request = (n: number, forceUpdate = false) => promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(n))], { mode: 'pull-request', pullRequest: { forceUpdate } });
    await backend.promote(request(5));
    // A reviewer fixes the README on the merge request's branch.
    const reviewed = commitBytes(repo.path, 'digestpin/dev/app', 'README.md', Buffer.from('# gitops (reviewed)\n'), 'review: fix readme');

    const blocked = await backend.promote(request(6));
    expect(blocked).toMatchObject({ operation: 'blocked', branch: 'digestpin/dev/app', commitSha: reviewed });
    expect(blocked.reason).toMatch(/^branch 'digestpin\/dev\/app' on file:\S+ ends in a commit digestpin did not make \(\w{12} by digestpin-fixture <fixture@example.invalid>\); .* force-update: true/);
    expect(logger.lines.filter((l) => l.startsWith('warning:'))).toHaveLength(1);
    expect(await repo.head('digestpin/dev/app')).toBe(reviewed);

    const forced = await backend.promote(request(6, true));
    expect(forced.operation).toBe('committed');
    expect(await repo.readFile('apps/api/values.yaml', 'digestpin/dev/app')).toBe(valuesFile('api', digest(6)));
  });

  it('reports unchanged when the base already holds the pin, and leaves an older promotion branch alone', async () => {
    const repo = await bare({ ...FILES, 'apps/api/values.yaml': valuesFile('api', digest(7)) });
    const logger = memoryLogger();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger });
    const request = (n: number) => promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(n))], { mode: 'pull-request' });
    expect((await backend.promote(request(7))).operation).toBe('unchanged');
    expect(await repo.branches()).toEqual(['main']);

    const other = await backend.promote(request(8));
    const result = await backend.promote(request(7));
    expect(result.operation).toBe('unchanged');
    expect(await repo.head('digestpin/dev/app')).toBe(other.commitSha);
    expect(logger.lines.at(-1)).toMatch(/'main' already holds this pin; branch 'digestpin\/dev\/app' on file:\S+ is left as it is/);
  });

  it('asks GitLab for a merge request through push options', async () => {
    const repo = await bare(FILES, { 'receive.advertisePushOptions': 'true' });
    const seen = join(repo.path, 'push-options.txt');
    // Stand-in for GitLab's receive hook: records the options and prints the line GitLab prints.
    await repo.hook('post-receive', `#!/bin/sh\ni=0\nwhile [ "$i" -lt "\${GIT_PUSH_OPTION_COUNT:-0}" ]; do eval "echo \\"\\$GIT_PUSH_OPTION_$i\\"" >> '${seen}'; i=$((i+1)); done\necho 'View merge request for digestpin/dev/app:'\necho '  http://gitlab.localhost/group/gitops/-/merge_requests/7'\n`);
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger: memoryLogger(), gitlab: true });
    const request = (n: number) => promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(n))], { mode: 'pull-request', pullRequest: { labels: ['promotion'] } });

    const created = await backend.promote(request(8));
    expect(created).toMatchObject({ operation: 'created', pullRequestNumber: 7, pullRequestUrl: 'http://gitlab.localhost/group/gitops/-/merge_requests/7' });
    const options = (await exec('cat', [seen])).stdout.split('\n');
    expect(options).toEqual(['merge_request.create', 'merge_request.target=main', 'merge_request.title=Promote api to dev', 'merge_request.label=promotion']);
    expect((await backend.promote(request(9))).operation).toBe('updated');
  });
});

describe('sparse clone', () => {
  it('fetches the base trees and only the target blobs', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`apps/svc-${i}/values.yaml`] = valuesFile(`svc-${i}`);
    const repo = await bare(files);
    const workDir = await tempWorkDir();
    const dir = join(workDir, 'clone', 'repo');
    await mkdir(join(workDir, 'clone'));
    const session = createGitSession(exec, memoryLogger(), parseRemote(repo.url), dir, DEFAULT_IDENTITY);
    await cloneSparse(session, 'main', ['apps/svc-3/values.yaml']);

    const objects = (await git(['rev-list', '--objects', '--missing=print', 'HEAD'], dir)).split('\n');
    const missing = objects.filter((l) => l.startsWith('?'));
    const targetBlob = await repo.git(['rev-parse', 'main:apps/svc-3/values.yaml']);
    expect(missing).toHaveLength(39);
    expect(missing).not.toContain(`?${targetBlob}`);
    expect(objects.some((l) => l.startsWith(`${targetBlob} apps/svc-3/values.yaml`))).toBe(true);
    expect(await git(['ls-files', '-t', 'apps/svc-3/values.yaml'], dir)).toBe('H apps/svc-3/values.yaml');
    expect(await git(['rev-parse', '--is-shallow-repository'], dir)).toBe('true');
  });
});
