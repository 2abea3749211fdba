// applicationHealth against a loopback Argo CD double whose every request and reply is checked against Argo CD's
// published Swagger description (test/support/argocd-contract.ts): what is read, and each refusal as one line
// naming the server and the application, never the token.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applicationHealth, ArgoCdError, healthGate } from '../../../src/argocd/index.js';
import { redact } from '../../../src/runtime/secrets.js';
import { ArgoCdContract, sampleApplication, startArgoCdServer, type ArgoCdServer, type ArgoHandler } from '../../support/argocd-contract.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.argocd-test-token.sig';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const IMAGE = `registry.internal:5000/ameide/agents@${DIGEST}`;

let handler: ArgoHandler = () => ({ status: 500 });
let server: ArgoCdServer;

beforeAll(async () => {
  server = await startArgoCdServer((ex) => {
    // Argo CD's own answer to a missing or wrong token (runtimeError, gRPC code 16).
    if (ex.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: 'invalid session: token is malformed', code: 16, message: 'invalid session: token is malformed' } };
    return handler(ex);
  });
});
afterAll(async () => server?.stop());
afterEach(() => {
  const violations = server.violations.splice(0);
  server.exchanges.length = 0;
  expect(violations).toEqual([]);
});

async function failure(options: Partial<Parameters<typeof applicationHealth>[0]> = {}): Promise<ArgoCdError> {
  const error = await applicationHealth({ server: server.url, token: TOKEN, application: 'agents-dev', ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ArgoCdError);
  const message = (error as Error).message;
  expect(message).toContain(server.url);
  expect(message).toContain("application 'agents-dev'");
  expect(message).not.toContain(TOKEN);
  expect(message).not.toContain('\n');
  return error as ArgoCdError;
}

describe('applicationHealth', () => {
  it('reads sync, health, images and revision with a bearer token', async () => {
    handler = (ex) => ({ status: 200, body: sampleApplication(ex.params.name!, 'Synced', 'Healthy', [IMAGE, 'docker.io/library/redis:7']) });
    const health = await applicationHealth({ server: server.url, token: TOKEN, application: 'agents-dev' });
    expect(health).toEqual({ sync: 'Synced', health: 'Healthy', images: [IMAGE, 'docker.io/library/redis:7'], revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' });
    expect(server.exchanges).toHaveLength(1);
    expect(server.exchanges[0]).toMatchObject({ method: 'GET', path: '/api/v1/applications/agents-dev', operationId: 'ApplicationService_Get' });
    expect(server.exchanges[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('keeps a root path prefix and passes appNamespace', async () => {
    handler = () => ({ status: 200, body: sampleApplication('agents-dev', 'OutOfSync', 'Progressing', []) });
    // The double serves the API at the root; a --rootpath prefix is checked through the URL the client built.
    const health = await applicationHealth({ server: `${server.url}/`, token: TOKEN, application: 'agents-dev', appNamespace: 'team-a' });
    expect(health).toEqual({ sync: 'OutOfSync', health: 'Progressing', images: [], revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' });
    expect(server.exchanges[0]!.query.get('appNamespace')).toBe('team-a');
  });

  it('an Application not compared yet has empty sync and health, not an error', async () => {
    handler = () => ({ status: 200, body: { metadata: { name: 'agents-dev' }, spec: { project: 'default' } } });
    expect(await applicationHealth({ server: server.url, token: TOKEN, application: 'agents-dev' })).toEqual({ sync: '', health: '', images: [] });
  });

  it('401: the token was refused', async () => {
    const error = await failure({ token: 'wrong-token-value' });
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/token was refused \(HTTP 401: .*token is malformed.*\); check argocd-token/);
    expect(error.message).not.toContain('wrong-token-value');
  });

  it('403: permission denied (also what Argo CD says for an application the role cannot see)', async () => {
    handler = () => ({ status: 403, body: { error: 'permission denied', code: 7, message: 'permission denied' } });
    const error = await failure();
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/permission denied \(HTTP 403: "?permission denied"?\); the token's role needs 'applications, get'/);
  });

  it('404: no such application', async () => {
    handler = () => ({ status: 404, body: { error: 'applications.argoproj.io "agents-dev" not found', code: 5, message: 'applications.argoproj.io "agents-dev" not found' } });
    const error = await failure();
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/no such application \(HTTP 404/);
  });

  it('a server that does not answer in time', async () => {
    handler = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: sampleApplication('agents-dev', 'Synced', 'Healthy', []) }), 1500));
    const error = await failure({ timeoutMs: 200 });
    expect(error.message).toMatch(/could not be reached \(timed out after 200 ms\)/);
  });

  it('a reply over the size cap is not read', async () => {
    handler = () => ({ status: 200, raw: 'x', headers: { 'content-length': String(17 * 1024 * 1024 + 1) } });
    const error = await failure().catch((e: unknown) => e as ArgoCdError);
    expect(error.message).toMatch(/larger than 16777216 bytes/);
  });

  it('a redirect is not followed (the token would go with it)', async () => {
    handler = () => ({ status: 302, proxy: true, headers: { location: 'https://elsewhere.example/api/v1/applications/agents-dev' } });
    const error = await failure();
    expect(error.message).toMatch(/redirect \(HTTP 302 to .*elsewhere\.example.*\); give the server's final URL/);
    expect(server.exchanges).toHaveLength(1);
  });

  it('an unreachable server', async () => {
    const down = await startArgoCdServer(() => ({ status: 200 }));
    await down.stop();
    const error = (await applicationHealth({ server: down.url, token: TOKEN, application: 'agents-dev' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(new RegExp(`Argo CD ${down.url.replace(/\./g, '\\.')}, application 'agents-dev': could not be reached \\(ECONNREFUSED\\)`));
  });

  it('registers the token as a secret, so it is redacted wherever it would leave the process', async () => {
    handler = () => ({ status: 200, body: sampleApplication('agents-dev', 'Synced', 'Healthy', []) });
    await applicationHealth({ server: server.url, token: TOKEN, application: 'agents-dev' });
    expect(redact(`Authorization: Bearer ${TOKEN}`)).not.toContain(TOKEN);
  });
});

describe('the health gate on Argo CD replies', () => {
  it('holds while the Application rolls out the pin, and releases once it is Synced, Healthy and running it', async () => {
    const older = `registry.internal:5000/ameide/agents@sha256:${'cd'.repeat(32)}`;
    const states: Array<[string, string, string[]]> = [
      ['OutOfSync', 'Healthy', [older]],
      ['Synced', 'Progressing', [IMAGE, older]],
      ['Synced', 'Healthy', [IMAGE]],
    ];
    const results = [];
    for (const [sync, health, images] of states) {
      handler = () => ({ status: 200, body: sampleApplication('agents-dev', sync, health, images) });
      results.push(healthGate(await applicationHealth({ server: server.url, token: TOKEN, application: 'agents-dev' }), `registry.internal:5000/ameide/agents:1.4.2@${DIGEST}`));
    }
    expect(results).toEqual([
      { ok: false, reason: 'the Application is OutOfSync, not Synced' },
      { ok: false, reason: 'the Application is Progressing, not Healthy' },
      { ok: true },
    ]);
  });
});

describe('the contract harness itself', () => {
  it('refuses a reply that does not match the Application schema, and an undocumented path', async () => {
    const contract = new ArgoCdContract();
    const ex = { method: 'GET', path: '/api/v1/applications/x', query: new URLSearchParams(), headers: {}, params: {} };
    expect(contract.checkRequest(ex)).toEqual([]);
    expect(contract.checkReply(ex, { status: 200, body: { status: { summary: { images: 'not-a-list' } } } })[0]).toMatch(/\/status\/summary\/images must be array/);
    expect(contract.checkReply(ex, { status: 200, body: { status: { sync: { status: 7 } } } })[0]).toMatch(/\/status\/sync\/status must be string/);
    expect(contract.checkRequest({ ...ex, path: '/api/v1/application/x' })[0]).toMatch(/not an operation/);
    expect(contract.checkRequest({ ...ex, query: new URLSearchParams('fields=status') })[0]).toMatch(/query parameter 'fields' is not declared/);
  });
});
