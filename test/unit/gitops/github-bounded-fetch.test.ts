// Every GitHub HTTP attempt is bounded in time and size, and the failure names the request, never a status that
// GitHub did not send (issue 13, items 4 and 7).
import { describe, expect, it } from 'vitest';
import { boundedFetch, describeRequest, GitHubSizeError, GitHubTimeoutError } from '../../../src/gitops/github/bounded-fetch.js';
import { gitHubError } from '../../../src/gitops/errors.js';

const GRAPHQL = 'https://api.github.com/graphql';
const body = JSON.stringify({ query: 'mutation DigestpinCommit($input: CreateCommitOnBranchInput!) { x }' });

/** A server that never answers, but lets the caller abort, as fetch does. */
const hanging: typeof fetch = (_url, init) =>
  new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));

function streaming(chunks: number, size: number, headers: Record<string, string> = {}): typeof fetch {
  return async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= chunks) controller.close();
        else controller.enqueue(new Uint8Array(size));
      },
    });
    return new Response(stream, { status: 200, headers });
  };
}

describe('boundedFetch', () => {
  it('names the request: method, path and GraphQL operation', () => {
    expect(describeRequest(GRAPHQL, { method: 'POST', body })).toBe('POST /graphql (DigestpinCommit)');
    expect(describeRequest('https://ghe.example/api/v3/repos/o/r/git/blobs/abc', {})).toBe('GET /api/v3/repos/o/r/git/blobs/abc');
  });

  it('a server that never answers times out with a typed error naming the request', async () => {
    const f = boundedFetch({ timeoutMs: 50, maxBytes: 1024 }, hanging);
    const started = Date.now();
    const error = await f(GRAPHQL, { method: 'POST', body }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubTimeoutError);
    expect((error as Error).message).toBe('POST /graphql (DigestpinCommit) got no complete answer within 0.1 s');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an endless body is cut at the cap while streaming, and a declared oversize body is refused from its header', async () => {
    await expect(boundedFetch({ timeoutMs: 5_000, maxBytes: 10_000 }, streaming(1_000_000, 1024))(GRAPHQL, { method: 'POST', body })).rejects.toBeInstanceOf(GitHubSizeError);
    // Declared too large, with a body that would never end: refused at once from the header.
    const declared: typeof fetch = async (...args) => {
      const r = await streaming(Number.MAX_SAFE_INTEGER, 1024)(...args);
      return new Response(r.body, { headers: { 'content-length': '99999999' } });
    };
    await expect(boundedFetch({ timeoutMs: 5_000, maxBytes: 10_000 }, declared)(GRAPHQL, {})).rejects.toThrow('exceeded the 10 KiB cap');
  });

  it('passes an answer within bounds through unchanged', async () => {
    const inner: typeof fetch = async () => new Response('{"data":{}}', { status: 201, headers: { 'content-type': 'application/json', 'x-ratelimit-remaining': '7' } });
    const r = await boundedFetch({ timeoutMs: 1_000, maxBytes: 1_000 }, inner)(GRAPHQL, {});
    expect(r.status).toBe(201);
    expect(r.headers.get('x-ratelimit-remaining')).toBe('7');
    expect(await r.json()).toEqual({ data: {} });
  });

  it('the one-line error says "timed out", not "answered 500", through Octokit\'s wrapping', () => {
    const octokitError = Object.assign(new Error('POST /graphql (DigestpinRead) got no complete answer within 30 s'), {
      status: 500,
      cause: new GitHubTimeoutError('POST /graphql (DigestpinRead)', 30_000),
    });
    const e = gitHubError(octokitError, { step: 'read', repository: 'acme/gitops' });
    expect(e.message).toBe('GitHub read on acme/gitops timed out: POST /graphql (DigestpinRead) got no complete answer within 30 s');
  });
});
