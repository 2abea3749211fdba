// The bundled action (dist/) against hostile servers and inputs, read the way the runner reads it: stdout lines
// (workflow commands), GITHUB_OUTPUT, the job summary, and the GitOps repository afterwards. Issue 13, items 1, 5,
// 9 and 13.
import { afterEach, describe, expect, it } from 'vitest';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, runActionBundle, type ActionRun } from '../support/action-runner.js';
import { createBareRepo, type BareRepo } from '../support/git-fixtures.js';
import { startHostileRegistry, type HostileRegistry, type RegistryMode } from './support/hostile-registry.js';
import { startGitHttpServer } from './support/git-http-server.js';

const FILE = 'environments/dev/app/values.yaml';
const done: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const d of done.splice(0)) await d();
});

async function setup(mode: RegistryMode): Promise<{ registry: HostileRegistry; repo: BareRepo }> {
  const registry = await startHostileRegistry(mode);
  const repo = await createBareRepo({ [FILE]: `image:\n  repository: ${registry.host}/app\n  tag: "v0"\n  digest: ""\n` }, 'main', { config: { 'http.receivepack': 'true' } });
  done.push(() => registry.stop(), () => repo.cleanup());
  return { registry, repo };
}

async function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const result = await runActionBundle({ environment: 'dev', service: 'app', 'values-file': FILE, key: 'image', mode: 'direct', ...inputs }, env);
  done.push(() => cleanup(result));
  return result;
}

/** Workflow commands the runner would execute: every stdout line starting with `::` (after blanks). */
function commands(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/).filter((l) => /^\s*(::|##\[)/.test(l)).map((l) => l.trim());
}

describe('the action with a hostile registry', () => {
  it('a registry token `sha256` masks nothing: outputs, commit and summary keep their digests (item 9)', async () => {
    const { registry, repo } = await setup('token-sha256');
    const result = await run({ 'gitops-repository': repo.path, 'image-ref': `${registry.host}/app:v1` });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const digest = registry.image.indexDigest;
    expect(result.outputs).toMatchObject({ digest, 'image-ref': `${registry.host}/app@${digest}`, 'pinned-ref': `${registry.host}/app@${digest}`, operation: 'committed' });
    expect(commands(result.stdout).filter((c) => c.startsWith('::add-mask::'))).toEqual([]);
    expect(result.summary).toContain(digest.slice(7, 19));
    expect(result.summary).not.toContain('***');
    expect(await repo.git(['log', '-1', '--format=%B', 'main'])).not.toContain('***');
    expect(await repo.readFile(FILE)).toContain(digest);
  });

  it('labels carrying workflow commands reach no runnable line, output or summary (item 5)', async () => {
    const { registry, repo } = await setup('inject-labels');
    const result = await run({ 'gitops-repository': repo.path, 'image-ref': `${registry.host}/app:v1` });
    expect(result.exitCode).toBe(0);
    for (const c of commands(result.stdout)) expect(c).toMatch(/^::(group|endgroup|debug|notice|warning file|add-mask)/);
    expect(result.stdout).not.toContain('pwned::');
    expect(result.summary).not.toMatch(/\r|\n::/);
    const message = await repo.git(['log', '-1', '--format=%B', 'main']);
    expect(message.split('\n').some((l) => l.trimStart().startsWith('::'))).toBe(false);
  });

  it('an index entry whose platform carries workflow commands fails in one line; nothing is committed (item 5)', async () => {
    const { registry, repo } = await setup('inject-platform');
    const before = await repo.head();
    const result = await run({ 'gitops-repository': repo.path, 'image-ref': `${registry.host}/app:v1` });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^::error title=digestpin::.*the registry served an index entry with a malformed platform/);
    // The injected text survives only inside the one escaped ::error line; no command of its own.
    expect(commands(result.stdout).filter((c) => !c.startsWith('::error title=digestpin::') && /pwned|add-mask::sha256|^::error::x/.test(c))).toEqual([]);
    expect(result.errors[0]).not.toMatch(/[\r\n]/);
    expect(await repo.head()).toBe(before);
    expect(result.outputs.digest ?? '').toBe('');
  });

  it('a job summary that cannot be written (ENOSPC) is a warning after a landed pin (item 13)', async () => {
    const { registry, repo } = await setup('ok');
    const result = await run({ 'gitops-repository': repo.path, 'image-ref': `${registry.host}/app:v1` }, { GITHUB_STEP_SUMMARY: '/dev/full' });
    expect(result.exitCode).toBe(0);
    expect(result.errors).toEqual([]);
    expect(result.outputs.operation).toBe('committed');
    expect(result.outputs['commit-sha']).toBe(await repo.head());
    expect(result.stdout).toMatch(/^::warning::the job summary could not be written \(ENOSPC\); the committed result above stands$/m);
  });
});

describe('the action outside a runner, without RUNNER_TEMP (item 14)', () => {
  it('works in a fresh private folder, never at a fixed path another user could plant a symlink at', async () => {
    const { registry, repo } = await setup('ok');
    const root = await mkdtemp(join(tmpdir(), 'digestpin-plant-'));
    done.push(() => rm(root, { recursive: true, force: true }));
    const attacker = join(root, 'attacker');
    await mkdir(attacker);
    await symlink(attacker, join(root, 'digestpin'));
    // Anything created in the attacker's folder, even for a moment, is seen.
    const seen: string[] = [];
    const watcher = watch(attacker, (_event, name) => seen.push(String(name)));
    done.push(() => watcher.close());
    const result = await run({ 'gitops-repository': repo.path, 'image-ref': `${registry.host}/app:v1` }, { RUNNER_TEMP: '', TMPDIR: root });
    expect(result.errors).toEqual([]);
    expect(result.outputs.operation).toBe('committed');
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    expect(await readdir(attacker)).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['attacker', 'digestpin']);
  });
});

describe('the action with credentials in gitops-repository (item 1)', () => {
  const PASSWORD = 'Hostile-Url-Pass-4401';

  it.each([
    ['a port out of range', `https://deploy:${PASSWORD}@127.0.0.1:99999/gitops.git`, /is not a valid URL/],
    // `%` itself is written %25 in a workflow command.
    ['a stray %', `https://deploy:${PASSWORD}%zz@127.0.0.1/gitops.git`, /'%25' that is not followed by two hex digits/],
    ['a password on ssh://', `ssh://deploy:${PASSWORD}@127.0.0.1/gitops.git`, /credentials on ssh:\/\//],
    ['a password on ftp://', `ftp://deploy:${PASSWORD}@127.0.0.1/gitops.git`, /credentials on ftp:\/\//],
  ])('%s fails at input time, naming the input, before any registry call, password never printed', async (_name, url, why) => {
    const registry = await startHostileRegistry('ok');
    done.push(() => registry.stop());
    const result = await run({ 'gitops-repository': url, 'image-ref': `${registry.host}/app:v1` });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^::error title=digestpin::input 'gitops-repository': /);
    expect(result.errors[0]).toMatch(why);
    expect(registry.requests).toEqual([]);
    for (const line of result.stdout.split('\n')) if (line.includes(PASSWORD)) expect(line).toMatch(/^::add-mask::/);
  });

  it('https-style credentials: the log shows the credential-free form, the password only inside add-mask', async () => {
    const { registry, repo } = await setup('ok');
    const server = await startGitHttpServer({ root: join(repo.path, '..'), mode: 'ok', credentials: { user: 'deploy', password: PASSWORD } });
    done.push(() => server.stop());
    const url = server.url.replace('http://', `http://deploy:${PASSWORD}@`);
    const result = await run({ 'gitops-repository': url, 'image-ref': `${registry.host}/app:v1` });
    expect(result.errors).toEqual([]);
    expect(result.outputs.operation).toBe('committed');
    expect(result.outputs['commit-sha']).toBe(await repo.head());
    const masks = result.stdout.indexOf(`::add-mask::${PASSWORD}`);
    expect(masks).toBeGreaterThanOrEqual(0);
    for (const line of result.stdout.split('\n')) if (line.includes(PASSWORD)) expect(line).toMatch(/^::add-mask::/);
    expect(result.stdout).toContain(`direct to ${server.origin}/gitops.git`);
    expect(JSON.stringify(result.outputs) + result.summary).not.toContain(PASSWORD);
  });
});

describe('the action with a hostile git server', () => {
  it('a hook that prints workflow commands: one escaped error line, nothing committed (item 5)', async () => {
    const { registry, repo } = await setup('ok');
    await repo.hook('pre-receive', "#!/bin/sh\nprintf '::add-mask::sha256\\n::warning title=pwned::from the hook\\r::error::x\\n' >&2\nexit 1\n");
    const before = await repo.head();
    const result = await run({ 'gitops-repository': repo.path, 'image-ref': `${registry.host}/app:v1` });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^::error title=digestpin::the remote file:\/\/\S+ rejected the push to branch 'main'/);
    expect(commands(result.stdout).filter((c) => !c.startsWith('::error title=digestpin::') && /pwned|add-mask::sha256|^::error::x/.test(c))).toEqual([]);
    expect(await repo.head()).toBe(before);
  });
});
