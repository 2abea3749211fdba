// Secrets never reach logs or errors: passwords, the base64 user:pass pair and bearer tokens are registered
// and redacted, and the CLI's error line for refused credentials carries none of them.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { redact, redactLog } from '../../../src/runtime/secrets.js';
import { createRegistryClient } from '../../../src/registry/index.js';
import { indexHeaders } from './fixtures.js';

const PASSWORD = 'pw-Zebra-9971';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload-token-5531.sig';
const PAIR = Buffer.from(`deploy:${PASSWORD}`).toString('base64');

afterEach(() => nock.cleanAll());

function assertClean(text: string) {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(PAIR);
}

describe('masking', () => {
  it('registers the password, the base64 pair and the bearer token it derives', async () => {
    nock('https://reg.example.com')
      .head('/v2/app/manifests/v1').reply(401, '', { 'www-authenticate': 'Bearer realm="https://reg.example.com/token",service="reg"' })
      .get('/token').query(true).reply(200, { token: TOKEN, expires_in: 60 })
      .head('/v2/app/manifests/v1').reply(503)
      .head('/v2/app/manifests/v1').reply(200, '', indexHeaders);
    const logger = memoryLogger();
    const client = createRegistryClient({
      dockerConfigPath: false,
      credentials: { 'reg.example.com': { username: 'deploy', password: PASSWORD } },
      logger,
      sleep: async () => undefined,
    });
    await client.resolve('reg.example.com/app:v1');
    const leaked = `Authorization: Bearer ${TOKEN}; Basic ${PAIR}; password=${PASSWORD}`;
    expect(redactLog(leaked)).toBe('Authorization: Bearer ***; Basic ***; password=***');
    // The token was issued by the server: logs drop it, outputs and PR text are not rewritten for it.
    expect(redact(leaked)).toBe(`Authorization: Bearer ${TOKEN}; Basic ***; password=***`);
    expect(logger.lines.length).toBeGreaterThan(0);
    assertClean(logger.lines.join('\n'));
  });

  it('a registry token equal to ordinary output (`sha256`, a digest) redacts no output, commit or summary (item 9)', async () => {
    const digest = indexHeaders['docker-content-digest'];
    for (const token of ['sha256', digest]) {
      nock('https://reg.example.com')
        .head('/v2/app/manifests/v1').reply(401, '', { 'www-authenticate': 'Bearer realm="https://reg.example.com/token",service="reg"' })
        .get('/token').query(true).reply(200, { token })
        .head('/v2/app/manifests/v1').reply(200, '', indexHeaders);
      const r = await createRegistryClient({ dockerConfigPath: false }).resolve('reg.example.com/app:v1');
      expect(redact(`digest ${r.digest}`)).toBe(`digest ${digest}`);
      nock.cleanAll();
    }
  });

  it('the CLI error for refused credentials names the host, not the secret', async () => {
    nock('https://reg.example.com')
      .get('/v2/app/manifests/v1').reply(401, '', { 'www-authenticate': 'Basic realm="r"' })
      .get('/v2/app/manifests/v1').reply(401, '', { 'www-authenticate': 'Basic realm="r"' });
    const logger = memoryLogger();
    const out: string[] = [];
    const code = await runCli(['resolve', 'reg.example.com/app:v1'], {
      logger,
      stdout: (t) => out.push(t),
      env: { DIGESTPIN_REGISTRY_USERNAME: 'deploy', DIGESTPIN_REGISTRY_PASSWORD: PASSWORD, DOCKER_CONFIG: '/nonexistent' },
    });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(logger.lines).toEqual([
      'error: reg.example.com/app:v1: reg.example.com refused the credentials given for it (HTTP 401)',
    ]);
    assertClean(logger.lines.join('\n'));
  });
});

describe('resolve CLI input errors (no network needed)', () => {
  it.each([
    [['resolve', 'Ghcr.io/Owner/App'], "error: input 'REF': 'Ghcr.io/Owner/App' is not a valid image reference: repository name 'Owner/App' must be lowercase"],
    [['resolve'], "error: input 'REF': give exactly one image reference (got 0); see 'digestpin resolve --help'"],
    [['resolve', 'x', '--alias', 'nohost'], "error: input '--alias': 'nohost' must look like CLUSTER_HOST=REACHABLE_HOST, e.g. k3d-dev-reg:5000=localhost:5000"],
    [['resolve', 'x', '--platform', 'amd64'], "error: input '--platform': 'amd64' must look like os/arch or os/arch/variant, e.g. linux/arm64"],
    [['resolve', 'x', '--wait', 'soon'], "error: input '--wait': 'soon' must be a number of seconds, e.g. 30"],
  ])('%j', async (argv, line) => {
    const logger = memoryLogger();
    const code = await runCli(argv, { logger, stdout: () => undefined, env: {} });
    expect(code).toBe(2);
    expect(logger.lines).toEqual([line]);
  });
});
