// dockerLogin's promises that a fake docker can check: the password travels on stdin only, it is masked
// from then on, and the user's own docker config is neither the target nor modified.
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { dockerLogin } from '../../../src/buildx/index.js';
import { DigestpinError, ExecError, RegistryError } from '../../../src/runtime/errors.js';
import type { Exec, ExecOptions } from '../../../src/runtime/exec.js';
import { clearSecrets, redact } from '../../../src/runtime/secrets.js';

const CREDS = { username: 'ci-bot', password: 'hunter2-registry-pass' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'digestpin-login-unit-'));
});
afterEach(async () => {
  clearSecrets();
  await rm(dir, { recursive: true, force: true });
});

function fakeDocker(stderr?: string) {
  const calls: Array<{ args: readonly string[]; options?: ExecOptions }> = [];
  const exec: Exec = async (_file, args, options) => {
    calls.push({ args, options });
    if (stderr !== undefined) throw new ExecError('docker login exited with 1', 1, stderr);
    return { stdout: 'Login Succeeded', stderr: '', exitCode: 0 };
  };
  return { exec, calls };
}

describe('dockerLogin', () => {
  test('password on stdin, never in argv; masked afterwards; env points at the private dir', async () => {
    const docker = fakeDocker();
    const env = await dockerLogin('registry.example.com', CREDS, { exec: docker.exec, dockerConfigDir: join(dir, 'private'), sourceConfigDir: join(dir, 'none') });
    expect(env).toEqual({ DOCKER_CONFIG: join(dir, 'private') });
    expect(docker.calls[0]!.args).toEqual(['login', '--username', 'ci-bot', '--password-stdin', 'registry.example.com']);
    expect(docker.calls[0]!.options).toMatchObject({ input: CREDS.password, env: { DOCKER_CONFIG: join(dir, 'private') } });
    expect(redact(`pw ${CREDS.password} basic ${Buffer.from(`${CREDS.username}:${CREDS.password}`).toString('base64')}`)).toBe('pw *** basic ***');
  });

  test('inherits the user config without its credential store, and links builders and contexts', async () => {
    const user = join(dir, 'user');
    await mkdir(join(user, 'buildx'), { recursive: true });
    const original = JSON.stringify({ auths: { 'ghcr.io': { auth: 'eDp5' } }, credsStore: 'desktop', credHelpers: { 'registry.example.com': 'ecr-login', 'gcr.io': 'gcloud' } });
    await writeFile(join(user, 'config.json'), original);
    await dockerLogin('registry.example.com', CREDS, { exec: fakeDocker().exec, dockerConfigDir: join(dir, 'private'), sourceConfigDir: user });
    const written = JSON.parse(await readFile(join(dir, 'private', 'config.json'), 'utf8'));
    expect(written).toEqual({ auths: { 'ghcr.io': { auth: 'eDp5' } }, credHelpers: { 'gcr.io': 'gcloud' } });
    expect(await readlink(join(dir, 'private', 'buildx'))).toBe(join(user, 'buildx'));
    expect(await readFile(join(user, 'config.json'), 'utf8')).toBe(original);
  });

  test('refuses to log into the user\'s own config directory', async () => {
    const docker = fakeDocker();
    await expect(dockerLogin('r.example.com', CREDS, { exec: docker.exec, dockerConfigDir: dir, sourceConfigDir: dir })).rejects.toThrow(DigestpinError);
    expect(docker.calls).toHaveLength(0);
  });

  test('a refused login is a RegistryError with docker\'s reason, redacted', async () => {
    const docker = fakeDocker(`Error response from daemon: login attempt to http://r.example.com/v2/ failed with status: 401 Unauthorized (${CREDS.password})\n`);
    const error = await dockerLogin('r.example.com', CREDS, { exec: docker.exec, dockerConfigDir: join(dir, 'p'), sourceConfigDir: join(dir, 'none') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe("docker login to r.example.com as 'ci-bot' failed: Error response from daemon: login attempt to http://r.example.com/v2/ failed with status: 401 Unauthorized (***)");
  });
});
