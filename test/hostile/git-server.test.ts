// The plain-git backend against a hostile smart-HTTP server (issue 13, items 1, 2, 11, 12 and stalled replies):
// real git, a real `git http-backend`, Basic credentials in the URL. Each case checks the one-line outcome, a
// generous time bound, and what reached the server, the log and git's argv.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createGitBackend } from '../../src/gitops/git/index.js';
import { exec, type Exec } from '../../src/runtime/exec.js';
import { oneLine } from '../../src/runtime/errors.js';
import { memoryLogger } from '../../src/runtime/logger.js';
import { clearSecrets } from '../../src/runtime/secrets.js';
import { createBareRepo, digest, git, leftovers, noSleep, pinEdit, promotion, tempWorkDir, valuesFile, type BareRepo } from '../support/git-fixtures.js';
import { startGitHttpServer, type GitHttpServer, type GitServerMode } from './support/git-http-server.js';

const USER = 'deploy';
const PASSWORD = 'Hostile-Pass-7731';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const FILE = 'apps/api/values.yaml';

const servers: GitHttpServer[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  await Promise.all(cleanups.splice(0).map((c) => c()));
  clearSecrets();
});

/** A bare repository served over smart HTTP, with pushes allowed. */
async function served(mode: GitServerMode, extra: { redirectTo?: string } = {}): Promise<{ repo: BareRepo; server: GitHttpServer }> {
  const repo = await createBareRepo({ [FILE]: valuesFile('api') }, 'main', { config: { 'http.receivepack': 'true' } });
  cleanups.push(() => repo.cleanup());
  const root = join(repo.path, '..');
  const server = await startGitHttpServer({ root, mode, credentials: { user: USER, password: PASSWORD }, ...extra });
  servers.push(server);
  return { repo, server };
}

function withCredentials(url: string): string {
  return url.replace('http://', `http://${USER}:${PASSWORD}@`);
}

/** Records every argv git is given (what `ps` would show), then runs it. */
function recordingExec(argvs: string[][]): Exec {
  return (file, args, options) => {
    argvs.push([file, ...args]);
    return exec(file, args, options);
  };
}

describe('hostile git server', () => {
  it('works with credentials in the URL: they travel only as a header, never in argv or the log', async () => {
    const { repo, server } = await served('ok');
    const argvs: string[][] = [];
    const logger = memoryLogger();
    const remote = withCredentials(server.url);
    const backend = createGitBackend({ remote, workDir: await tempWorkDir(), logger, exec: recordingExec(argvs) });
    const result = await backend.promote(promotion(remote, [pinEdit(FILE, 'api', digest(1))]));
    expect(result.operation).toBe('committed');
    expect(await repo.head()).toBe(result.commitSha);
    expect(server.seen.some((r) => r.authorization === BASIC)).toBe(true);
    const everything = [...argvs.flat(), ...logger.lines].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(BASIC.slice(6));
  });

  it('does not follow a redirect to another origin with the credentials (item 2)', async () => {
    const { server: elsewhere } = await served('ok');
    const { repo, server } = await served('redirect', { redirectTo: elsewhere.origin });
    const before = await repo.head();
    const logger = memoryLogger();
    const workDir = await tempWorkDir();
    const remote = withCredentials(server.url);
    const started = Date.now();
    const error = await createGitBackend({ remote, workDir, logger, sleep: noSleep })
      .promote(promotion(remote, [pinEdit(FILE, 'api', digest(2))]))
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(oneLine(error)).toBe(
      `git clone on ${server.url} was redirected (302) and the redirect was not followed (it is turned off for a remote with credentials, so they can't reach another server): give the URL it redirects to`,
    );
    expect(oneLine(error)).not.toContain(PASSWORD);
    // The other origin never saw the header (nor, with redirects off, any request at all).
    expect(elsewhere.seen.filter((r) => r.authorization)).toEqual([]);
    expect(elsewhere.seen).toEqual([]);
    expect(server.seen.length).toBeGreaterThan(0);
    expect(await repo.head()).toBe(before);
    expect(await leftovers(workDir)).toEqual([]);
  });

  it('recognises a push whose acknowledgement was lost as its own commit (item 11)', async () => {
    const { repo, server } = await served('lost-ack');
    const logger = memoryLogger();
    const remote = withCredentials(server.url);
    const result = await createGitBackend({ remote, workDir: await tempWorkDir(), logger, sleep: noSleep })
      .promote(promotion(remote, [pinEdit(FILE, 'api', digest(3))]));
    // git itself may resend the POST once on the dead connection; the server drops that answer too.
    expect(server.droppedAcks).toBeGreaterThanOrEqual(1);
    expect(result.operation).toBe('committed');
    expect(result.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(await repo.head()).toBe(result.commitSha);
    expect(result.changedFiles.map((f) => f.path)).toEqual([FILE]);
    expect(await repo.readFile(FILE)).toContain(digest(3));
    // One commit on top of the fixture's, not two.
    expect(await git(['rev-list', '--count', 'main'], repo.path)).toBe('2');
    expect(logger.lines.join('\n')).toContain("this run's own commit");
  });

  it('recognises a lost acknowledgement of a promotion-branch push too', async () => {
    const { repo, server } = await served('lost-ack');
    const remote = withCredentials(server.url);
    const result = await createGitBackend({ remote, workDir: await tempWorkDir(), logger: memoryLogger(), sleep: noSleep })
      .promote(promotion(remote, [pinEdit(FILE, 'api', digest(4))], { mode: 'pull-request' }));
    expect(result).toMatchObject({ operation: 'committed', branch: 'digestpin/dev/app' });
    expect(await repo.head('digestpin/dev/app')).toBe(result.commitSha);
  });

  it('fails at once, with the reason, on a branch name that collides with an existing branch (item 12)', async () => {
    const { repo, server } = await served('ok');
    const remote = withCredentials(server.url);
    let sleeps = 0;
    const error = await createGitBackend({ remote, workDir: await tempWorkDir(), logger: memoryLogger(), sleep: async () => void sleeps++ })
      .promote(promotion(remote, [pinEdit(FILE, 'api', digest(5))], { mode: 'pull-request', branch: 'main/dev/agents' }))
      .catch((e: unknown) => e);
    expect(sleeps).toBe(0);
    expect(oneLine(error)).toMatch(/^git push to http:\/\/127\.0\.0\.1:\d+\/gitops\.git branch 'main\/dev\/agents' can never succeed: the name collides with an existing branch/);
    expect(oneLine(error)).toContain("'refs/heads/main' exists; cannot create 'refs/heads/main/dev/agents'");
    expect(oneLine(error)).not.toContain('another writer');
    expect(await repo.branches()).toEqual(['main']);
  });

  it('abandons a server that stops answering within a bounded time, and writes nothing', async () => {
    const { repo, server } = await served('stall');
    const before = await repo.head();
    const workDir = await tempWorkDir();
    const remote = withCredentials(server.url);
    const started = Date.now();
    const error = await createGitBackend({ remote, workDir, logger: memoryLogger(), sleep: noSleep, stallSeconds: 2 })
      .promote(promotion(remote, [pinEdit(FILE, 'api', digest(6))]))
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(oneLine(error)).toMatch(/^git clone on http:\/\/127\.0\.0\.1:\d+\/gitops\.git failed: .*(too slow|timed out).*\(gave up after 3 attempts\)$/i);
    expect(oneLine(error)).not.toContain(PASSWORD);
    expect(await repo.head()).toBe(before);
    expect(await leftovers(workDir)).toEqual([]);
  });
});

