// Auth flows against the challenge each real registry sends (nock, network off): the token request the client
// makes, what it sends where, token caching per scope and expiry, and refusals.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRegistryClient } from '../../../src/registry/index.js';
import { INDEX_DIGEST, indexHeaders } from './fixtures.js';

const noConfig = { dockerConfigPath: false as const, maxRetries: 0 };
const bearer = (realm: string, extra = '') => ({ 'www-authenticate': `Bearer realm="${realm}"${extra}` });

afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});

describe('bearer token flow per registry', () => {
  it('Docker Hub: registry-1.docker.io, token from auth.docker.io with service and scope, one HEAD once cached', async () => {
    const hub = nock('https://registry-1.docker.io')
      .head('/v2/library/nginx/manifests/1.27')
      .reply(401, '', bearer('https://auth.docker.io/token', ',service="registry.docker.io",scope="repository:library/nginx:pull"'))
      .head('/v2/library/nginx/manifests/1.27')
      .matchHeader('authorization', 'Bearer hub-token-1234')
      .times(2)
      .reply(200, '', indexHeaders);
    const auth = nock('https://auth.docker.io', { badheaders: ['authorization'] })
      .get('/token')
      .query({ service: 'registry.docker.io', scope: 'repository:library/nginx:pull' })
      .reply(200, { token: 'hub-token-1234', access_token: 'hub-token-1234', expires_in: 300 });
    const client = createRegistryClient(noConfig);
    const first = await client.resolve('nginx:1.27');
    expect(first).toMatchObject({ digest: INDEX_DIGEST, kind: 'index', requests: 3 });
    expect(first.reference).toMatchObject({ registry: 'docker.io', repository: 'library/nginx', tag: '1.27' });
    const second = await client.resolve('nginx:1.27');
    expect(second.requests).toBe(1);
    expect(hub.isDone() && auth.isDone()).toBe(true);
  });

  it('GHCR: needs a token even anonymously, and asks for it without credentials', async () => {
    nock('https://ghcr.io')
      .head('/v2/owner/repo/manifests/v1')
      .reply(401, '', bearer('https://ghcr.io/token', ',service="ghcr.io",scope="repository:owner/repo:pull"'))
      .head('/v2/owner/repo/manifests/v1')
      .matchHeader('authorization', 'Bearer ghcr-anon-token')
      .reply(200, '', indexHeaders);
    const token = nock('https://ghcr.io', { badheaders: ['authorization'] })
      .get('/token')
      .query({ service: 'ghcr.io', scope: 'repository:owner/repo:pull' })
      .reply(200, { token: 'ghcr-anon-token' });
    const resolution = await createRegistryClient(noConfig).resolve('ghcr.io/owner/repo:v1');
    expect(resolution.digest).toBe(INDEX_DIGEST);
    expect(token.isDone()).toBe(true);
  });

  it('GAR: no service in the challenge, so none in the token request', async () => {
    nock('https://us-docker.pkg.dev')
      .head('/v2/proj/repo/img/manifests/1')
      .reply(401, '', bearer('https://us-docker.pkg.dev/v2/token'))
      .get('/v2/token')
      .query({ scope: 'repository:proj/repo/img:pull' })
      .reply(200, { token: 'gar-token-xyz' })
      .head('/v2/proj/repo/img/manifests/1')
      .matchHeader('authorization', 'Bearer gar-token-xyz')
      .reply(200, '', indexHeaders);
    expect((await createRegistryClient(noConfig).resolve('us-docker.pkg.dev/proj/repo/img:1')).digest).toBe(INDEX_DIGEST);
  });

  it('gcr.io: service sent unquoted', async () => {
    nock('https://gcr.io')
      .head('/v2/proj/img/manifests/latest')
      .reply(401, '', { 'www-authenticate': 'Bearer realm="https://gcr.io/v2/token",service=gcr.io,scope="repository:proj/img:pull"' })
      .get('/v2/token')
      .query({ service: 'gcr.io', scope: 'repository:proj/img:pull' })
      .reply(200, { token: 'gcr-token-xyz' })
      .head('/v2/proj/img/manifests/latest')
      .matchHeader('authorization', 'Bearer gcr-token-xyz')
      .reply(200, '', indexHeaders);
    expect((await createRegistryClient(noConfig).resolve('gcr.io/proj/img')).digest).toBe(INDEX_DIGEST);
  });

  it('ACR: credentials go to its own oauth2 realm, which answers access_token only', async () => {
    const basic = `Basic ${Buffer.from('00000000-0000-0000-0000-000000000000:acr-password').toString('base64')}`;
    nock('https://myreg.azurecr.io')
      .head('/v2/a/b/manifests/v1')
      .reply(401, '', bearer('https://myreg.azurecr.io/oauth2/token', ',service="myreg.azurecr.io"'))
      .get('/oauth2/token')
      .query({ service: 'myreg.azurecr.io', scope: 'repository:a/b:pull' })
      .matchHeader('authorization', basic)
      .reply(200, { access_token: 'acr-access-token' })
      .head('/v2/a/b/manifests/v1')
      .matchHeader('authorization', 'Bearer acr-access-token')
      .reply(200, '', indexHeaders);
    const client = createRegistryClient({
      ...noConfig,
      credentials: { 'myreg.azurecr.io': { username: '00000000-0000-0000-0000-000000000000', password: 'acr-password' } },
    });
    expect((await client.resolve('myreg.azurecr.io/a/b:v1')).digest).toBe(INDEX_DIGEST);
  });

  it('ECR: Basic realm, with credentials read from the docker config file', async () => {
    const host = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const dir = mkdtempSync(join(tmpdir(), 'digestpin-cfg-'));
    const pair = Buffer.from('AWS:ecr-login-password').toString('base64');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [`https://${host}`]: { auth: pair } } }));
    nock(`https://${host}`)
      .head('/v2/app/manifests/v2')
      .reply(401, '', { 'www-authenticate': `Basic realm="https://${host}/",service="ecr.amazonaws.com"` })
      .head('/v2/app/manifests/v2')
      .matchHeader('authorization', `Basic ${pair}`)
      .reply(200, '', indexHeaders);
    const client = createRegistryClient({ dockerConfigPath: join(dir, 'config.json'), maxRetries: 0 });
    expect((await client.resolve(`${host}/app:v2`)).digest).toBe(INDEX_DIGEST);
  });
});

describe('token cache', () => {
  function tokenRegistry() {
    const scope = nock('https://reg.example.com');
    scope.head(/\/v2\/.*\/manifests\/v1/).reply(401, '', bearer('https://reg.example.com/token', ',service="reg"'));
    const token = (repo: string, value: string) =>
      scope.get('/token').query({ service: 'reg', scope: `repository:${repo}:pull` }).reply(200, { token: value, expires_in: 120 });
    token('team/a', 'tok-a-1111');
    token('team/b', 'tok-b-2222');
    token('team/a', 'tok-a-3333');
    scope.head(/\/v2\/.*\/manifests\/v1/).matchHeader('authorization', /^Bearer tok-/).times(10).reply(200, '', indexHeaders);
    return scope;
  }

  it('fetches one token per scope, reuses it, and fetches again after expires_in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const scope = tokenRegistry();
    const client = createRegistryClient(noConfig);
    expect((await client.resolve('reg.example.com/team/a:v1')).requests).toBe(3);
    expect((await client.resolve('reg.example.com/team/a:v1')).requests).toBe(1);
    // A new scope on a known host: the challenge is remembered, so only the token request is added.
    expect((await client.resolve('reg.example.com/team/b:v1')).requests).toBe(2);
    expect((await client.resolve('reg.example.com/team/b:v1')).requests).toBe(1);
    vi.setSystemTime(Date.now() + 121_000);
    expect((await client.resolve('reg.example.com/team/a:v1')).requests).toBe(2);
    // All three token interceptors (a, b, a again after expiry) were used, each once.
    expect(scope.pendingMocks().filter((m) => m.includes('/token'))).toEqual([]);
  });
});

describe('where credentials go', () => {
  const creds = { credentials: { 'registry.example.com': { username: 'deploy', password: 'never-leak-this' } } };

  it.each([
    ['a foreign https realm', 'https://evil.example.net/token'],
    ['an http realm', 'http://auth.example.com/token'],
  ])('never sends them to %s', async (_name, realm) => {
    nock('https://registry.example.com').head('/v2/app/manifests/v1').reply(401, '', bearer(realm, ',service="registry"'));
    const realmUrl = new URL(realm);
    const thief = nock(realmUrl.origin).get(realmUrl.pathname).query(true).reply(200, { token: 'stolen' });
    const error = await createRegistryClient({ ...noConfig, ...creds })
      .resolve('registry.example.com/app:v1')
      .catch((e: Error) => e);
    expect(String(error)).toContain(`asks for credentials at token realm ${realmUrl.origin}`);
    expect(String(error)).not.toContain('never-leak-this');
    expect(thief.isDone()).toBe(false);
  });

  it('sends Basic only after the registry asks, and only to the registry', async () => {
    const scope = nock('https://registry.example.com', { badheaders: ['authorization'] })
      .head('/v2/app/manifests/v1')
      .reply(200, '', indexHeaders);
    await createRegistryClient({ ...noConfig, ...creds }).resolve('registry.example.com/app:v1');
    expect(scope.isDone()).toBe(true);
  });

  it('says the credentials were refused, naming the host and not the secret', async () => {
    nock('https://registry.example.com')
      .head('/v2/app/manifests/v1')
      .reply(401, '', { 'www-authenticate': 'Basic realm="r"' })
      .head('/v2/app/manifests/v1')
      .reply(401, '', { 'www-authenticate': 'Basic realm="r"' });
    const error = await createRegistryClient({ ...noConfig, ...creds }).resolve('registry.example.com/app:v1').catch((e: Error) => e);
    expect(String(error)).toBe(
      'RegistryError: registry.example.com/app:v1: registry.example.com refused the credentials given for it (HTTP 401)',
    );
  });

  it('says credentials are required when there are none', async () => {
    nock('https://registry.example.com').head('/v2/app/manifests/v1').reply(401, '', { 'www-authenticate': 'Basic realm="r"' });
    const error = await createRegistryClient(noConfig).resolve('registry.example.com/app:v1').catch((e: Error) => e);
    expect(String(error)).toContain('registry.example.com requires credentials (basic auth); no credentials for registry.example.com in the options');
  });
});
