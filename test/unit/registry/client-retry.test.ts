// Retries and waits, with the sleep injected so the test is fast: 429/5xx with retry-after, timeouts,
// the 404 window right after a push, and the errors each ends in.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistryClient } from '../../../src/registry/index.js';
import type { RegistryClientOptions } from '../../../src/registry/index.js';
import { INDEX_DIGEST, indexHeaders, recordingSleep } from './fixtures.js';

const REG = 'https://reg.example.com';
const PATH = '/v2/team/app/manifests/v1';
const REF = 'reg.example.com/team/app:v1';

function client(extra: Partial<RegistryClientOptions> = {}) {
  const { waits, sleep } = recordingSleep();
  return { waits, client: createRegistryClient({ dockerConfigPath: false, sleep, ...extra }) };
}

afterEach(() => nock.cleanAll());

describe('429 and 5xx', () => {
  it('retries a 503 with exponential backoff and then answers', async () => {
    nock(REG).head(PATH).times(2).reply(503).head(PATH).reply(200, '', indexHeaders);
    const { waits, client: c } = client();
    const resolution = await c.resolve(REF);
    expect(resolution.digest).toBe(INDEX_DIGEST);
    expect(resolution.requests).toBe(3);
    expect(waits).toEqual([250, 500]);
  });

  it('honours retry-after in seconds and as an HTTP date, capped at 10 s', async () => {
    const soon = new Date(Date.now() + 4_000).toUTCString();
    nock(REG)
      .head(PATH).reply(429, '', { 'retry-after': '2' })
      .head(PATH).reply(429, '', { 'retry-after': '3600' })
      .head(PATH).reply(503, '', { 'retry-after': soon })
      .head(PATH).reply(200, '', indexHeaders);
    const { waits, client: c } = client();
    await c.resolve(REF);
    expect(waits[0]).toBe(2_000);
    expect(waits[1]).toBe(10_000);
    expect(waits[2]).toBeGreaterThan(2_000);
    expect(waits[2]).toBeLessThanOrEqual(4_000);
  });

  it('gives up after maxRetries with the status in the error', async () => {
    nock(REG).head(PATH).times(3).reply(502);
    const { waits, client: c } = client({ maxRetries: 2 });
    await expect(c.resolve(REF)).rejects.toThrow(`${REF}: registry reg.example.com answered HTTP 502 for the manifest of tag 'v1'`);
    expect(waits).toEqual([250, 500]);
  });

  it('does not retry a 400', async () => {
    nock(REG).head(PATH).reply(400);
    const { waits, client: c } = client();
    await expect(c.resolve(REF)).rejects.toThrow('HTTP 400');
    expect(waits).toEqual([]);
  });
});

describe('timeouts and unreachable registries', () => {
  it('retries a request that timed out', async () => {
    nock(REG).head(PATH).reply(200, '', indexHeaders);
    let calls = 0;
    const timingOut: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 1) throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      return fetch(input, init);
    };
    const { waits, client: c } = client({ fetch: timingOut, timeoutMs: 5_000 });
    expect((await c.resolve(REF)).requests).toBe(2);
    expect(waits).toEqual([250]);
  });

  it('names the registry and the cause when it cannot be reached', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    };
    const { waits, client: c } = client({ fetch: refused, maxRetries: 2 });
    await expect(c.resolve(REF)).rejects.toThrow(
      `${REF}: could not reach reg.example.com (HEAD https://reg.example.com${PATH}): ECONNREFUSED after 3 attempt(s)`,
    );
    expect(waits).toEqual([250, 500]);
  });

  it('aborts a request after timeoutMs', async () => {
    nock(REG).head(PATH).delay(2_000).reply(200, '', indexHeaders);
    const { client: c } = client({ timeoutMs: 50, maxRetries: 0 });
    await expect(c.resolve(REF)).rejects.toThrow('timed out after 50 ms after 1 attempt(s)');
  });
});

describe('404 right after a push', () => {
  it('retries inside the window and then answers', async () => {
    nock(REG).head(PATH).times(2).reply(404).head(PATH).reply(200, '', indexHeaders);
    const { waits, client: c } = client();
    expect((await c.resolve(REF)).digest).toBe(INDEX_DIGEST);
    expect(waits).toEqual([500, 1_000]);
  });

  it('after the window, says which image, registry and tag are missing', async () => {
    nock(REG).head(PATH).times(20).reply(404).get('/v2/team/app/tags/list').query({ n: '1' }).reply(200, { name: 'team/app', tags: ['v0'] });
    const { waits, client: c } = client({ notFoundWindowMs: 5_000 });
    await expect(c.resolve(REF)).rejects.toThrow(
      `${REF}: registry reg.example.com does not serve tag 'v1' of repository 'team/app' (HTTP 404, still missing after 5 s)`,
    );
    expect(waits.reduce((a, b) => a + b, 0)).toBe(5_000);
    expect(Math.max(...waits)).toBeLessThanOrEqual(4_000);
  });

  it('tells a missing repository from a missing tag', async () => {
    nock(REG)
      .head(PATH).reply(404)
      .get('/v2/team/app/tags/list').query({ n: '1' }).reply(404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
    const { client: c } = client();
    await expect(c.resolve(REF, { waitForPush: false })).rejects.toThrow(
      `${REF}: repository 'team/app' does not exist on registry reg.example.com (HTTP 404)`,
    );
  });

  it('names the missing digest when verifying', async () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    nock(REG).head(`/v2/team/app/manifests/${digest}`).reply(404).get('/v2/team/app/tags/list').query({ n: '1' }).reply(200, {});
    const { client: c } = client({ notFoundWindowMs: 0 });
    await expect(c.verify('reg.example.com/team/app', digest)).rejects.toThrow(
      `reg.example.com/team/app@${digest}: registry reg.example.com does not serve digest ${digest} of repository 'team/app' (HTTP 404)`,
    );
  });
});
