// Bounded body reads (issue 13, item 4): caps by declared and by streamed size, and read failures in words.
import { describe, expect, it } from 'vitest';
import { BODY_LIMITS, describeReadFailure, readCapped, readErrorText, rememberRequest } from '../../../src/registry/body.js';
import { oneLine } from '../../../src/runtime/errors.js';

function streamed(chunks: number, size: number, headers: Record<string, string> = {}): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(size));
    },
  });
  const response = new Response(body, { headers });
  rememberRequest(response, { request: 'GET http://reg.test/v2/app/manifests/v1', host: 'reg.test', timeoutMs: 1000 });
  return response;
}

describe('readCapped', () => {
  it('reads a body under the cap whole', async () => {
    expect((await readCapped(streamed(3, 10), 100, 'reg.test/app:v1', 'manifest')).byteLength).toBe(30);
  });

  it('stops at the cap while streaming, naming registry and request', async () => {
    const error = await readCapped(streamed(1000, 1024), 4096, 'reg.test/app:v1', 'manifest').catch((e: unknown) => e);
    expect(oneLine(error)).toBe('reg.test/app:v1: reg.test sent a manifest larger than the 4096-byte limit (GET http://reg.test/v2/app/manifests/v1); digestpin stopped reading');
  });

  it('refuses a declared Content-Length above the cap before reading', async () => {
    const error = await readCapped(streamed(1, 1, { 'content-length': String(BODY_LIMITS.manifest + 1) }), BODY_LIMITS.manifest, 'i', 'manifest').catch((e: unknown) => e);
    expect(oneLine(error)).toMatch(/larger than the 4194304-byte limit/);
  });

  it('names a failed read by its cause', async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new Uint8Array(5));
        else controller.error(Object.assign(new TypeError('terminated'), { cause: { code: 'UND_ERR_SOCKET' } }));
      },
    });
    const response = new Response(body);
    rememberRequest(response, { request: 'GET http://reg.test/token', host: 'reg.test', timeoutMs: 1000 });
    const error = await readCapped(response, 100, 'reg.test/app:v1', 'token reply').catch((e: unknown) => e);
    expect(oneLine(error)).toBe('reg.test/app:v1: reading the token reply from reg.test failed after 5 bytes (GET http://reg.test/token): the connection was reset');
  });

  it.each([
    [Object.assign(new Error('x'), { name: 'TimeoutError' }), 'timed out after 1000 ms'],
    [Object.assign(new Error('x'), { name: 'AbortError' }), 'timed out after 1000 ms'],
    [Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'the connection was reset'],
    [new TypeError('terminated'), 'the connection was reset'],
  ])('describeReadFailure(%s)', (error, words) => {
    expect(describeReadFailure(error, 1000)).toBe(words);
  });
});

describe('readErrorText', () => {
  it('reads at most the error-text cap of an endless error body, and never throws', async () => {
    const text = await readErrorText(streamed(Number.POSITIVE_INFINITY, 16 * 1024));
    expect(text.length).toBeLessThanOrEqual(BODY_LIMITS.errorText);
  });
});
