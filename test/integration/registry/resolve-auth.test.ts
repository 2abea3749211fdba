// Real auth: an htpasswd registry (Basic) and a token-auth registry that verifies JWTs from a token server the
// test runs. Images are pushed after `docker login` into a temp DOCKER_CONFIG; the machine's config is untouched.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { createRegistryClient } from '../../../src/registry/index.js';
import { dockerLogin, pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { startTokenServer, type TokenServer } from '../../support/token-server.js';

const USER = 'ci-bot';
const PASSWORD = 'Htp-4sswd-Secret';
const stamp = `${process.pid}-${Date.now()}`;

async function cli(env: Record<string, string>, ...argv: string[]) {
  const logger = memoryLogger();
  const out: string[] = [];
  const code = await runCli(['resolve', ...argv], { logger, stdout: (t) => out.push(t), env: { DOCKER_CONFIG: '/nonexistent', ...env } });
  return { code, out, lines: logger.lines.filter((l) => !l.startsWith('debug:')) };
}

describe('htpasswd registry (Basic auth)', () => {
  let registry: RegistryServer;
  let dockerConfig: string;
  let image: PushedImage;

  beforeAll(async () => {
    registry = await startRegistry({ kind: 'htpasswd', username: USER, password: PASSWORD });
    dockerConfig = await dockerLogin(registry.host, USER, PASSWORD);
    image = await pushImage(`${registry.host}/team/basic:v1`, { dockerConfig, content: `basic ${stamp}` });
  });
  afterAll(async () => {
    await registry?.stop();
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('resolves with credentials from the docker config written by docker login', async () => {
    const client = createRegistryClient({ dockerConfigPath: join(dockerConfig, 'config.json') });
    const r = await client.resolve(image.ref);
    expect(r.digest).toBe(image.digest);
    expect(r.requests).toBe(2);
    expect((await client.resolve(image.ref)).requests).toBe(1);
  });

  it('resolves via the CLI with DIGESTPIN_REGISTRY_USERNAME/PASSWORD', async () => {
    const result = await cli({ DIGESTPIN_REGISTRY_USERNAME: USER, DIGESTPIN_REGISTRY_PASSWORD: PASSWORD }, image.ref);
    expect(result).toEqual({ code: 0, out: [image.digest], lines: [] });
  });

  it('wrong credentials: exit 1, one line naming the host, no password', async () => {
    const result = await cli({ DIGESTPIN_REGISTRY_USERNAME: USER, DIGESTPIN_REGISTRY_PASSWORD: 'wrong-password-1' }, image.ref);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([`error: ${image.ref}: ${registry.host} refused the credentials given for it (HTTP 401)`]);
  });

  it('no credentials: says they are required', async () => {
    const result = await cli({}, image.ref);
    expect(result.code).toBe(1);
    expect(result.lines[0]).toContain(`${registry.host} requires credentials (basic auth); no credentials for ${registry.host}`);
  });
});

describe('token-auth registry (Bearer, JWT checked by the registry)', () => {
  let tokens: TokenServer;
  let registry: RegistryServer;
  let dockerConfig: string;
  let image: PushedImage;

  beforeAll(async () => {
    tokens = await startTokenServer({ users: { [USER]: PASSWORD }, expiresIn: 300 });
    registry = await startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: tokens.rootCertPath });
    dockerConfig = await dockerLogin(registry.host, USER, PASSWORD);
    image = await pushImage(`${registry.host}/team/token:v1`, {
      dockerConfig,
      content: `token ${stamp}`,
      platforms: ['linux/amd64', 'linux/arm64'],
      provenance: true,
    });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens?.stop();
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('resolves the index digest; one token per scope, then one request per resolution', async () => {
    const client = createRegistryClient({ dockerConfigPath: join(dockerConfig, 'config.json') });
    const before = tokens.requests.length;
    const first = await client.resolve(image.ref);
    expect(first.digest).toBe(image.digest);
    expect(first.requests).toBe(3);
    const again = await client.verify(`${registry.host}/team/token`, image.digest);
    expect(again.requests).toBe(1);
    const issued = tokens.requests.slice(before);
    expect(issued).toEqual([{ scope: ['repository:team/token:pull'], service: tokens.service, user: USER, authorized: true }]);
  });

  it('a token the registry does not accept for the scope (anonymous) is reported as needing credentials', async () => {
    const result = await cli({}, image.ref);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([`error: ${image.ref}: ${registry.host} requires credentials (bearer auth); no credentials for ${registry.host} in the options or in /nonexistent/config.json`]);
  });

  it('wrong credentials are refused by the token server: exit 1, one line', async () => {
    const result = await cli({ DIGESTPIN_REGISTRY_USERNAME: USER, DIGESTPIN_REGISTRY_PASSWORD: 'not-the-password' }, image.ref);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      `error: ${image.ref}: the token server ${new URL(tokens.realm).origin} refused the credentials for ${registry.host} (HTTP 401)`,
    ]);
  });

  it('CLI --json with credentials lists both platforms', async () => {
    const result = await cli({ DIGESTPIN_REGISTRY_USERNAME: USER, DIGESTPIN_REGISTRY_PASSWORD: PASSWORD }, image.ref, '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out[0]!)).toMatchObject({ digest: image.digest, kind: 'index', platforms: ['linux/amd64', 'linux/arm64'] });
  });
});
