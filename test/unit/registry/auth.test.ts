// Challenge parsing for the headers real registries send, where credentials may go, and the token cache.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseChallenges, readToken, realmMayReceiveCredentials, TokenCache, tokenUrl } from '../../../src/registry/auth.js';
import { normalizeConfigHost, parseDockerConfig } from '../../../src/registry/docker-config.js';
import { readInputs } from '../../../src/inputs.js';

/** The smallest valid action inputs: a promotion by image-ref with a values file. */
const ACTION_ENV = {
  'INPUT_GITOPS-REPOSITORY': 'acme/gitops',
  INPUT_ENVIRONMENT: 'dev',
  'INPUT_VALUES-FILE': 'envs/dev/values.yaml',
  'INPUT_IMAGE-REF': `registry.corp.example/team/app@sha256:${'a'.repeat(64)}`,
  GITHUB_WORKSPACE: '/ws',
};

describe('parseChallenges', () => {
  it.each([
    [
      'Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ],
    [
      'GHCR',
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:owner/repo:pull"',
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:owner/repo:pull' } },
    ],
    ['GAR (no service)', 'Bearer realm="https://us-docker.pkg.dev/v2/token"', { scheme: 'bearer', params: { realm: 'https://us-docker.pkg.dev/v2/token' } }],
    [
      'gcr.io (unquoted service)',
      'Bearer realm="https://gcr.io/v2/token",service=gcr.io,scope="repository:proj/img:pull"',
      { scheme: 'bearer', params: { realm: 'https://gcr.io/v2/token', service: 'gcr.io', scope: 'repository:proj/img:pull' } },
    ],
    [
      'ACR',
      'Bearer realm="https://myreg.azurecr.io/oauth2/token",service="myreg.azurecr.io"',
      { scheme: 'bearer', params: { realm: 'https://myreg.azurecr.io/oauth2/token', service: 'myreg.azurecr.io' } },
    ],
    [
      'ECR (Basic)',
      'Basic realm="https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"',
      { scheme: 'basic', params: { realm: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/', service: 'ecr.amazonaws.com' } },
    ],
    ['htpasswd registry', 'Basic realm="basic-realm"', { scheme: 'basic', params: { realm: 'basic-realm' } }],
    [
      'escaped quote and error param',
      'Bearer realm="https://r.example.com/t",error="insufficient_scope",x="a\\"b"',
      { scheme: 'bearer', params: { realm: 'https://r.example.com/t', error: 'insufficient_scope', x: 'a"b' } },
    ],
  ])('%s', (_name, header, expected) => {
    expect(parseChallenges(header)).toEqual([expected]);
  });

  it('reads several challenges in one header', () => {
    const challenges = parseChallenges('Basic realm="r1", Bearer realm="https://a.example.com/t",service="s"');
    expect(challenges.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(challenges[1]!.params).toEqual({ realm: 'https://a.example.com/t', service: 's' });
  });

  it('returns nothing for a missing header', () => {
    expect(parseChallenges(null)).toEqual([]);
  });
});

describe('tokenUrl', () => {
  it('adds service and scope, and leaves service out when the registry sends none (GAR)', () => {
    const hub = tokenUrl(parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io"')[0]!, 'repository:library/nginx:pull');
    expect(hub.toString()).toBe('https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fnginx%3Apull');
    const gar = tokenUrl(parseChallenges('Bearer realm="https://us-docker.pkg.dev/v2/token"')[0]!, 'repository:p/r/i:pull');
    expect(gar.searchParams.has('service')).toBe(false);
    expect(gar.searchParams.get('scope')).toBe('repository:p/r/i:pull');
  });
});

describe('realmMayReceiveCredentials', () => {
  it.each([
    ['https://auth.docker.io/token', 'registry-1.docker.io', true],
    ['https://ghcr.io/token', 'ghcr.io', true],
    ['https://gitlab.com/jwt/auth', 'registry.gitlab.com', true],
    ['https://myreg.azurecr.io/oauth2/token', 'myreg.azurecr.io', true],
    ['https://evil.example.net/token', 'registry.example.com', false],
    ['https://auth.docker.io.evil.net/token', 'registry-1.docker.io', false],
    ['http://auth.example.com/token', 'registry.example.com', false],
    ['http://127.0.0.1:9000/token', '127.0.0.1:5000', true],
    ['http://127.0.0.1:9000/token', 'registry.example.com', false],
    ['https://10.0.0.9/token', '10.0.0.8:5000', false],
    ['ftp://ghcr.io/token', 'ghcr.io', false],
    // Sharing a parent domain is not enough (issue 13, item 10).
    ['https://attacker.azurecr.io/oauth2/token', 'myteam.azurecr.io', false],
    ['https://evil.dkr.ecr.us-east-1.amazonaws.com/token', '123.dkr.ecr.us-east-1.amazonaws.com', false],
    ['https://attacker.co.uk/token', 'registry.co.uk', false],
    ['https://evil.docker.io/token', 'registry-1.docker.io', false],
    ['https://auth.docker.io/token', 'docker.io', true],
    ['https://myreg.example.com:8443/token', 'myreg.example.com:5000', true],
    ['https://user:pw@ghcr.io/token', 'ghcr.io', false],
  ])('%s for %s: %s', (realm, host, ok) => {
    expect(realmMayReceiveCredentials(new URL(realm), host)).toBe(ok);
  });

  it("sends credentials to a token host the user vouches for (registry-token-realms), exactly and over https only", () => {
    const realm = new URL('https://gitlab.corp.example/jwt/auth');
    expect(realmMayReceiveCredentials(realm, 'registry.corp.example')).toBe(false);
    readInputs({ ...ACTION_ENV, 'INPUT_REGISTRY-TOKEN-REALMS': 'registry.corp.example=gitlab.corp.example' });
    expect(realmMayReceiveCredentials(realm, 'registry.corp.example')).toBe(true);
    expect(realmMayReceiveCredentials(realm, 'registry.corp.example:5050')).toBe(true);
    expect(realmMayReceiveCredentials(new URL('https://gitlab.corp.example.evil.net/jwt/auth'), 'registry.corp.example')).toBe(false);
    expect(realmMayReceiveCredentials(realm, 'other.corp.example')).toBe(false);
    expect(realmMayReceiveCredentials(new URL('http://gitlab.corp.example/jwt/auth'), 'registry.corp.example')).toBe(false);
    expect(() => readInputs({ ...ACTION_ENV, 'INPUT_REGISTRY-TOKEN-REALMS': 'gitlab.corp.example' })).toThrow(/^input 'registry-token-realms': 'gitlab.corp.example' must look like REGISTRY_HOST=TOKEN_REALM_HOST/);
  });
});

describe('tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('takes token, else access_token, and defaults expires_in to 60 s', () => {
    expect(readToken({ token: 't-1234', access_token: 'a-1234', expires_in: 300 })).toEqual({ token: 't-1234', expiresInMs: 300_000 });
    expect(readToken({ access_token: 'a-1234' })).toEqual({ token: 'a-1234', expiresInMs: 60_000 });
    expect(readToken({})).toBeUndefined();
  });

  it('caches per scope until shortly before expiry', () => {
    let now = 1_000_000;
    const cache = new TokenCache(() => now);
    cache.set('realm|svc|repository:a:pull', 'token-a', 60_000);
    expect(cache.get('realm|svc|repository:a:pull')).toBe('token-a');
    expect(cache.get('realm|svc|repository:b:pull')).toBeUndefined();
    now += 49_000;
    expect(cache.get('realm|svc|repository:a:pull')).toBe('token-a');
    now += 1_000;
    expect(cache.get('realm|svc|repository:a:pull')).toBeUndefined();
  });
});

describe('docker config', () => {
  it('reads base64 auth and username/password entries, keyed by host', () => {
    const auth = Buffer.from('robot:s3cret-pass').toString('base64');
    const parsed = parseDockerConfig(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth },
          'localhost:5000': { username: 'u', password: 'p4ss-word' },
          'ghcr.io': {},
        },
        credsStore: 'desktop',
      }),
    );
    expect(parsed.credentials).toEqual({
      'docker.io': { username: 'robot', password: 's3cret-pass' },
      'localhost:5000': { username: 'u', password: 'p4ss-word' },
    });
    expect(parsed.helperHosts).toEqual(['ghcr.io']);
  });

  it('normalises config keys', () => {
    expect(normalizeConfigHost('https://index.docker.io/v1/')).toBe('docker.io');
    expect(normalizeConfigHost('http://LOCALHOST:5000/v2/')).toBe('localhost:5000');
    expect(parseDockerConfig('not json').credentials).toEqual({});
  });
});
