// Faults of the plain-git backend with real git: missing repository or branch, a conflicting edit, a remote
// that refuses a push once or always, and credentials in an https-style URL that must never be printed.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { execa } from 'execa';
import { join } from 'node:path';
import { createGitBackend } from '../../../src/gitops/git/index.js';
import { GitOpsError, FileError, oneLine } from '../../../src/runtime/errors.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { clearSecrets } from '../../../src/runtime/secrets.js';
import { freePort } from '../../support/ports.js';
import {
  createBareRepo, digest, leftovers, noSleep, pinEdit, promotion, tempWorkDir, valuesFile, type BareRepo,
} from '../../support/git-fixtures.js';

const repos: BareRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
  clearSecrets();
});
async function bare() {
  const repo = await createBareRepo({ 'apps/api/values.yaml': valuesFile('api') });
  repos.push(repo);
  return repo;
}
const edit = (n: number) => [pinEdit('apps/api/values.yaml', 'api', digest(n))];

describe('unreachable or missing', () => {
  it('names the remote when the repository does not exist, and leaves no temp folder', async () => {
    const workDir = await tempWorkDir();
    const missing = join(workDir, 'no-such-repo.git');
    const backend = createGitBackend({ remote: missing, workDir, logger: memoryLogger() });
    const error = await backend.promote(promotion(missing, edit(1))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitOpsError);
    expect(oneLine(error)).toMatch(/^git remote file:\/\/\S*no-such-repo\.git was not found or is not readable/);
    expect(await leftovers(workDir)).toEqual([]);
  });

  it('says which base branch is missing', async () => {
    const repo = await bare();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger: memoryLogger() });
    const error = await backend.promote(promotion(repo.url, edit(1), { baseBranch: 'production' })).catch((e: unknown) => e);
    expect(oneLine(error)).toBe(`branch 'production' does not exist on ${repo.url}: create it or pass the right base branch`);
  });
});

describe('conflicts and refusals', () => {
  it('ends a conflicting edit in its own error and writes nothing', async () => {
    const repo = await bare();
    const base = await repo.head();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger: memoryLogger(), sleep: noSleep });
    const error = await backend.promote(promotion(repo.url, [...edit(2), pinEdit('apps/gone/values.yaml', 'gone', digest(2))])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileError);
    expect(oneLine(error)).toBe('apps/gone/values.yaml: file does not exist');
    expect(await repo.head()).toBe(base);
  });

  it('retries a push the remote refused once and lands it', async () => {
    const repo = await bare();
    await repo.hook('pre-receive', `#!/bin/sh\nif [ ! -e "$GIT_DIR/refused-once" ]; then touch "$GIT_DIR/refused-once"; echo 'maintenance, try again' >&2; exit 1; fi\n`);
    const delays: number[] = [];
    const logger = memoryLogger();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger, sleep: async (ms) => { delays.push(ms); } });
    const result = await backend.promote(promotion(repo.url, edit(3)));
    expect(result.operation).toBe('committed');
    expect(delays).toHaveLength(1);
    expect(await repo.readFile('apps/api/values.yaml')).toBe(valuesFile('api', digest(3)));
    expect(logger.lines.some((l) => /rejected the push to branch 'main': \[remote rejected\] \(pre-receive hook declined\); maintenance, try again; retrying/.test(l))).toBe(true);
  });

  it('gives up on a remote that always refuses, with its reason, and leaves the branch as it was', async () => {
    const repo = await bare();
    const base = await repo.head();
    const objects = await repo.git(['count-objects', '-v']);
    await repo.hook('pre-receive', `#!/bin/sh\necho 'GitLab: You are not allowed to push code to protected branches on this project.' >&2\nexit 1\n`);
    const delays: number[] = [];
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger: memoryLogger(), sleep: async (ms) => { delays.push(ms); } });
    const error = await backend.promote(promotion(repo.url, edit(4))).catch((e: unknown) => e);
    expect(oneLine(error)).toBe(`the remote ${repo.url} rejected the push to branch 'main': [remote rejected] (pre-receive hook declined); GitLab: You are not allowed to push code to protected branches on this project. (gave up after 3 attempts)`);
    expect(delays).toHaveLength(2);
    expect(await repo.head()).toBe(base);
    // Git quarantines a refused push's objects and drops them: nothing half-written.
    expect(await repo.git(['count-objects', '-v'])).toBe(objects);
  });
});

describe('dropped connection', () => {
  it('clones again when the connection drops, then lands the pin over git://', async () => {
    const repo = await createBareRepo({ 'apps/api/values.yaml': valuesFile('api') }, 'main', { config: { 'uploadpack.allowFilter': 'true' } });
    repos.push(repo);
    const daemonPort = await freePort();
    const daemon = execa('git', ['daemon', '--reuseaddr', '--export-all', '--enable=receive-pack', `--base-path=${join(repo.path, '..')}`,
      '--listen=127.0.0.1', `--port=${daemonPort}`], { reject: false });
    // A loopback proxy that drops the first connection it gets and forwards the rest to the daemon.
    let connections = 0;
    const proxy: NetServer = createNetServer((socket) => {
      if (connections++ === 0) return socket.destroy();
      const upstream = connect(daemonPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      await waitForDaemon(daemonPort);
      const remote = `git://127.0.0.1:${(proxy.address() as AddressInfo).port}/gitops.git`;
      const logger = memoryLogger();
      const backend = createGitBackend({ remote, workDir: await tempWorkDir(), logger, sleep: noSleep });
      const result = await backend.promote(promotion(remote, edit(7)));
      expect(result.operation).toBe('committed');
      expect(await repo.readFile('apps/api/values.yaml')).toBe(valuesFile('api', digest(7)));
      // Depending on when the proxy cuts the socket, git says "hung up", "Connection reset", or nothing at all.
      expect(logger.lines.some((l) => /git clone on git:\/\/\S+ failed: .*(hung up|Connection reset|no output).*; retrying/.test(l))).toBe(true);
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
      daemon.kill();
      await daemon;
    }
  });
});


async function waitForDaemon(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`git daemon did not listen on ${port}`);
}

describe('credentials', () => {
  const PASSWORD = 'hunter2-s3cret-pass';
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('never prints the password of an unreachable https-style remote', async () => {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const remote = `https://deploy:${PASSWORD}@127.0.0.1:${port}/group/gitops.git`;
    const logger = memoryLogger();
    const backend = createGitBackend({ remote, workDir: await tempWorkDir(), logger });
    const error = await backend.promote(promotion(remote, edit(5))).catch((e: unknown) => e);
    expect(oneLine(error)).toMatch(new RegExp(`^could not reach git remote https://127\\.0\\.0\\.1:${port}/group/gitops\\.git for clone: .*Failed to connect to 127\\.0\\.0\\.1 port ${port}`));
    const everything = [oneLine(error), ...logger.lines].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(`deploy:${PASSWORD}`).toString('base64'));
  });

  it('sends the credentials as a header, and names the refused remote without them', async () => {
    const seen: Array<string | undefined> = [];
    server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'www-authenticate': 'Basic realm="gitops"' }).end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const remote = `http://deploy:${PASSWORD}@127.0.0.1:${port}/group/gitops.git`;
    const logger = memoryLogger();
    const backend = createGitBackend({ remote, workDir: await tempWorkDir(), logger });
    const error = await backend.promote(promotion(remote, edit(6))).catch((e: unknown) => e);
    expect(seen[0]).toBe(`Basic ${Buffer.from(`deploy:${PASSWORD}`).toString('base64')}`);
    expect(oneLine(error)).toMatch(new RegExp(`^git clone on http://127\\.0\\.0\\.1:${port}/group/gitops\\.git was refused: the credentials are missing or lack read access`));
    expect([oneLine(error), ...logger.lines].join('\n')).not.toContain(PASSWORD);
  });
});
