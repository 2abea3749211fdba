// Signing and verifying on registries that need credentials: htpasswd (Basic) and token auth (Bearer JWTs
// with push scope). The real cosign, logged in through a temp DOCKER_CONFIG, verifies what digestpin pushed.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArtifactReader } from '../../../src/registry/artifacts.js';
import { exec } from '../../../src/runtime/exec.js';
import { loadTrustedKeys } from '../../../src/verify/keys.js';
import { signDigests } from '../../../src/verify/sign.js';
import { verifyImage } from '../../../src/verify/verify-image.js';
import { dockerLogin, pushImage, startRegistry, type RegistryAuth, type RegistryServer } from '../../support/registry-server.js';
import { startTokenServer, type TokenServer } from '../../support/token-server.js';
import { cosignKeyPair, type KeyPair } from './fixtures.js';

const USER = 'signer';
const PASSWORD = 'Sign3r-Secret-pw';
let key: KeyPair;
let tokens: TokenServer;

beforeAll(async () => {
  key = await cosignKeyPair('auth', 'auth-key-pw');
  tokens = await startTokenServer({ users: { [USER]: PASSWORD }, expiresIn: 300 });
});
afterAll(async () => {
  await tokens?.stop();
});

describe.each([
  ['htpasswd (Basic)', (): RegistryAuth => ({ kind: 'htpasswd', username: USER, password: PASSWORD })],
  ['token (Bearer, push scope)', (): RegistryAuth => ({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: tokens.rootCertPath })],
])('%s', (_, auth) => {
  let registry: RegistryServer;
  let dockerConfig: string;

  beforeAll(async () => {
    registry = await startRegistry(auth());
    dockerConfig = await dockerLogin(registry.host, USER, PASSWORD);
  });
  afterAll(async () => {
    await registry?.stop();
    rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('signs with credentials, verifies with credentials, and the real cosign agrees', async () => {
    const image = await pushImage(`${registry.host}/team/signed:v1`, { dockerConfig, content: `auth ${registry.host}` });
    const repo = { registry: registry.host, repository: 'team/signed' };
    const credentials = { [registry.host]: { username: USER, password: PASSWORD } };
    await signDigests({ key: readFileSync(key.key, 'utf8'), password: key.password }, repo, [image.digest], { credentials, dockerConfigPath: false });
    const keys = await loadTrustedKeys([key.pub], process.cwd(), '--key');
    const report = await verifyImage(createArtifactReader({ credentials, dockerConfigPath: false }), repo, image.digest, { require: 'signature', keys: [] }, keys);
    expect(report.checks).toHaveLength(1);
    const r = await exec('cosign', ['verify', '--key', key.pub, '--insecure-ignore-tlog=true', '--allow-insecure-registry', `${registry.host}/team/signed@${image.digest}`], {
      env: { DOCKER_CONFIG: dockerConfig },
      allowFailure: true,
      quiet: true,
    });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('without credentials the push is refused with one line that names the registry', async () => {
    const repo = { registry: registry.host, repository: 'team/signed' };
    const error = await signDigests({ key: readFileSync(key.key, 'utf8'), password: key.password }, repo, [`sha256:${'1'.repeat(64)}`], { dockerConfigPath: join(dockerConfig, 'missing.json') }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      new RegExp(`^${registry.host}/team/signed: ${registry.host}: refused HEAD /v2/team/signed/blobs/sha256:[0-9a-f]{64} \\(HTTP 401\\); no credentials were found for it$`),
    );
    expect((error as Error).message).not.toContain(PASSWORD);
  });
});
