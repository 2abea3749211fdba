// copyImage against a token-auth registry (JWTs from a token server the test runs): push scope at the target
// and pull scope at the source in one token for a cross-repository mount, anonymous pull at a public source,
// and a refused push that names both registries and never the password or a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage } from '../../../src/registry/copy.js';
import { RegistryError } from '../../../src/runtime/errors.js';
import { dockerLogin, pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { startTokenServer, type TokenServer } from '../../support/token-server.js';

const USER = 'promoter';
const PASSWORD = 'Token-Pass-71c2';
const stamp = `${process.pid}-${Date.now()}`;

describe('copyImage with bearer-token auth', () => {
  let tokens: TokenServer;
  let registry: RegistryServer;
  let plain: RegistryServer;
  let image: PushedImage;
  const credentials = () => ({ [registry.host]: { username: USER, password: PASSWORD } });

  beforeAll(async () => {
    tokens = await startTokenServer({ users: { [USER]: PASSWORD }, expiresIn: 300, anonymousPull: true });
    [registry, plain] = await Promise.all([
      startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: tokens.rootCertPath }),
      startRegistry(),
    ]);
    const dockerConfig = await dockerLogin(registry.host, USER, PASSWORD);
    image = await pushImage(`${registry.host}/dev/agents:1.0.0`, { dockerConfig, platforms: ['linux/amd64', 'linux/arm64'], provenance: true, content: `token copy ${stamp}` });
  });
  afterAll(async () => {
    await Promise.all([registry?.stop(), plain?.stop(), tokens?.stop()]);
  });

  it('mounts within the registry with one token scoped to push at the target and pull at the source', async () => {
    tokens.requests.length = 0;
    const result = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: registry.host, repository: 'dev/agents', digest: image.digest },
      { registry: registry.host, repository: 'prod/agents' },
    );
    expect(result).toMatchObject({ digest: image.digest, blobsCopied: 0, manifestsPushed: 5 });
    expect(result.blobsMounted).toBeGreaterThanOrEqual(4);
    const scopes = tokens.requests.map((r) => r.scope.join(' '));
    expect(scopes).toContain('repository:prod/agents:pull,push repository:dev/agents:pull');
    expect(tokens.requests.every((r) => r.authorized && r.user === USER)).toBe(true);
  });

  it('copies out to another registry, pulling with the source credentials', async () => {
    const result = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: registry.host, repository: 'dev/agents', digest: image.digest },
      { registry: plain.host, repository: 'mirror/agents' },
    );
    expect(result.blobsCopied).toBeGreaterThanOrEqual(4);
    expect((await plain.manifest('mirror/agents', image.digest)).bodyDigest).toBe(image.digest);
  });

  it('copies in from an anonymous source to the token registry with credentials', async () => {
    const result = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: plain.host, repository: 'mirror/agents', digest: image.digest },
      { registry: registry.host, repository: 'from-mirror/agents' },
    );
    expect(result.digest).toBe(image.digest);
    expect(result.blobsCopied).toBeGreaterThanOrEqual(4);
  });

  it('without credentials the token server grants pull only: the push is refused, naming both registries', async () => {
    const error = await copyImage(
      { dockerConfigPath: false },
      { registry: registry.host, repository: 'dev/agents', digest: image.digest },
      { registry: registry.host, repository: 'anon/agents' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    const message = (error as Error).message;
    expect(message).toContain(`copy ${registry.host}/dev/agents@${image.digest} -> ${registry.host}/anon/agents`);
    expect(message).toMatch(/HTTP 401|HTTP 403/);
    expect(message).not.toContain(PASSWORD);
    expect(message).not.toMatch(/eyJ[\w-]+\./);
  });
});
