// The Octokit factory: mutations run one at a time, reads do not wait for them, GHES base URLs work, the token is masked.
import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../../src/gitops/octokit.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { redact } from '../../../src/runtime/secrets.js';
import { interceptGitHub, type GitHubInterceptor } from '../../support/github-contract.js';

const TOKEN = 'github_pat_FactoryTestToken_0123456789';
let interceptor: GitHubInterceptor | undefined;
afterEach(() => interceptor?.stop());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createOctokit', () => {
  it('runs mutations one at a time while queries overlap', async () => {
    let inFlight = 0;
    const peak = { mutation: 0, query: 0 };
    interceptor = interceptGitHub(async (ex) => {
      const kind = String((ex.body as { query: string }).query).startsWith('mutation') ? 'mutation' : 'query';
      inFlight += 1;
      peak[kind] = Math.max(peak[kind], inFlight);
      await sleep(20);
      inFlight -= 1;
      return kind === 'mutation' ? { status: 200, body: { data: { addComment: { clientMutationId: null } } } } : { status: 200, body: { data: { viewer: { login: 'x' } } } };
    });
    const octokit = createOctokit({ token: TOKEN, msPerSecond: 1, mutationGapMs: 0 });
    const mutation = 'mutation($i: AddCommentInput!) { addComment(input: $i) { clientMutationId } }';
    await Promise.all(Array.from({ length: 5 }, () => octokit.graphql(mutation, { i: { subjectId: 'S', body: 'b' } })));
    await Promise.all(Array.from({ length: 5 }, () => octokit.graphql('{ viewer { login } }')));
    expect(peak.mutation).toBe(1);
    expect(peak.query).toBeGreaterThan(1);
    expect(interceptor.violations).toEqual([]);
  });

  it('spaces mutations by the configured gap', async () => {
    const starts: number[] = [];
    interceptor = interceptGitHub(() => {
      starts.push(Date.now());
      return { status: 200, body: { data: { addComment: { clientMutationId: null } } } };
    });
    const octokit = createOctokit({ token: TOKEN, msPerSecond: 1, mutationGapMs: 50 });
    const mutation = 'mutation($i: AddCommentInput!) { addComment(input: $i) { clientMutationId } }';
    await Promise.all([1, 2, 3].map(() => octokit.graphql(mutation, { i: { subjectId: 'S', body: 'b' } })));
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(45);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(45);
  });

  it('talks to a GitHub Enterprise Server base URL, REST under /api/v3 and GraphQL at /api/graphql', async () => {
    interceptor = interceptGitHub(
      (ex) => (ex.path === '/graphql' ? { status: 200, body: { data: { viewer: { login: 'x' } } } } : { status: 200, body: [] }),
      { origin: 'https://ghe.example.test', prefix: '/api/v3', graphqlPath: '/api/graphql' },
    );
    const logger = memoryLogger();
    const octokit = createOctokit({ token: TOKEN, baseUrl: 'https://ghe.example.test/api/v3/', logger, msPerSecond: 1 });
    await octokit.graphql('{ viewer { login } }');
    await octokit.request('GET /repos/{owner}/{repo}/pulls', { owner: 'o', repo: 'r', state: 'open' });
    expect(interceptor.log.map((e) => `${e.method} ${e.path}`)).toEqual(['POST /graphql', 'GET /repos/o/r/pulls']);
    expect(interceptor.violations).toEqual([]);
    expect(redact(`Authorization: token ${TOKEN}`)).toBe('Authorization: token ***');
    expect(logger.lines.join('\n')).not.toContain(TOKEN);
  });

  it('bounds a call that gets no answer, but a retry-after wait GitHub asked for extends the bound', async () => {
    let stall = false;
    let calls = 1;
    interceptor = interceptGitHub(() => {
      calls += 1;
      if (stall) return new Promise(() => undefined);
      if (calls === 1) return { status: 403, body: { message: 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com' }, headers: { 'retry-after': '40' } };
      return { status: 200, body: { data: { viewer: { login: 'x' } } } };
    });
    // Warm the contract harness first (its first check loads GitHub's schema), so the bounds below measure GitHub.
    await createOctokit({ token: TOKEN }).graphql('query Who { viewer { login } }');
    stall = true;
    const quick = createOctokit({ token: TOKEN, msPerSecond: 10, retries: 0, requestTimeoutMs: 5_000, callTimeoutMs: 200 });
    await expect(quick.graphql('query Who { viewer { login } }')).rejects.toThrow('POST /graphql (Who) with its retries got no complete answer within 0.2 s');
    stall = false;
    calls = 0;
    // retry-after 40 s at 10 ms per second: a 400 ms wait, twice the call's 200 ms bound, and the call still succeeds.
    const patient = createOctokit({ token: TOKEN, msPerSecond: 10, requestTimeoutMs: 5_000, callTimeoutMs: 200 });
    await expect(patient.graphql('query Who { viewer { login } }')).resolves.toEqual({ viewer: { login: 'x' } });
    expect(calls).toBe(2);
  });

  it('refuses an empty token with a message naming GITHUB_TOKEN', () => {
    expect(() => createOctokit({ token: '' })).toThrow("input 'token': is empty; set GITHUB_TOKEN or pass a token");
  });
});
