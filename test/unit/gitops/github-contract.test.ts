// The contract checker itself: it passes what GitHub documents and fails what it does not, in both directions.
import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../../src/gitops/octokit.js';
import { contract, interceptGitHub, type Exchange, type GitHubInterceptor } from '../../support/github-contract.js';

const ex = (method: string, path: string, body?: unknown): Exchange => ({ method, path, query: '', body, params: {} });
let interceptor: GitHubInterceptor | undefined;
afterEach(() => interceptor?.stop());

describe('REST requests', () => {
  it('accepts a documented operation with a valid body and decodes its path parameters', () => {
    const e = ex('PATCH', '/repos/acme/gitops/git/refs/heads%2Fdigestpin%2Fdev%2Fweb', { sha: 'a'.repeat(40), force: true });
    expect(contract().checkRest(e)).toEqual([]);
    expect(e).toMatchObject({ operationId: 'git/update-ref', params: { owner: 'acme', repo: 'gitops', ref: 'heads/digestpin/dev/web' } });
  });

  it.each([
    ['an unknown path', ex('GET', '/repos/acme/gitops/nonsense'), /is not an operation in GitHub's OpenAPI description/],
    ['a wrong method', ex('DELETE', '/repos/acme/gitops/pulls'), /is not an operation/],
    ['a documented operation digestpin does not use', ex('GET', '/user'), /\(users\/get-authenticated\) is outside digestpin's contract/],
    ['a body missing a required field', ex('POST', '/repos/acme/gitops/pulls', { head: 'x' }), /pulls\/create request body: \/ must have required property 'base'/],
    ['a body with a wrong type', ex('POST', '/repos/acme/gitops/git/refs', { ref: 'refs/heads/x', sha: 42 }), /git\/create-ref request body: \/sha must be string/],
  ])('rejects %s', (_n, e, expected) => {
    expect(contract().checkRest(e).join('\n')).toMatch(expected);
  });

  it('checks replies against the documented schema of their status', () => {
    const e = ex('POST', '/repos/acme/gitops/git/refs', { ref: 'refs/heads/x', sha: 'a'.repeat(40) });
    contract().checkRest(e);
    const good = { ref: 'refs/heads/x', node_id: 'n', url: 'https://api.github.com/x', object: { type: 'commit', sha: 'a'.repeat(40), url: 'https://api.github.com/y' } };
    expect(contract().checkRestReply(e, 201, good)).toEqual([]);
    expect(contract().checkRestReply(e, 201, { ref: 'refs/heads/x' }).join('\n')).toMatch(/must have required property/);
    expect(contract().checkRestReply(e, 503, 'oops')).toEqual(['git/create-ref 503 reply lacks GitHub\'s "message"']);
  });
});

describe('GraphQL requests and replies', () => {
  const query = 'query($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { id ref(qualifiedName: "refs/heads/main") { target { oid } } } }';
  it('accepts a valid document with valid variables', () => {
    expect(contract().checkGraphql({ query, variables: { owner: 'o', name: 'r' } })).toEqual([]);
  });

  it.each([
    ['an unknown field', { query: '{ repository(owner: "o", name: "r") { nope } }' }, /Cannot query field "nope" on type "Repository"/],
    ['a missing variable', { query, variables: { owner: 'o' } }, /Variable "\$name" of required type "String!" was not provided/],
    ['a wrongly typed variable', { query, variables: { owner: 'o', name: 5 } }, /String cannot represent a non string value: 5/],
    ['bad syntax', { query: '{ repository(' }, /GraphQL syntax/],
  ])('rejects %s', (_n, body, expected) => {
    expect(contract().checkGraphql(body).join('\n')).toMatch(expected);
  });

  it('rejects replies with fields that were not asked for or of the wrong type', () => {
    const body = { query, variables: { owner: 'o', name: 'r' } };
    const ok = { data: { repository: { id: 'R', ref: { target: { oid: 'a'.repeat(40) } } } } };
    expect(contract().checkGraphqlReply(body, 200, ok)).toEqual([]);
    expect(contract().checkGraphqlReply(body, 200, { data: { repository: { id: 'R', ref: null, extra: 1 } } })).toEqual(['GraphQL reply holds fields or values the query did not ask for']);
    expect(contract().checkGraphqlReply(body, 200, { data: { repository: { ref: null } } }).join('\n')).toMatch(/Cannot return null for non-nullable field Repository.id/);
  });
});

describe('interceptGitHub', () => {
  it('fails a request outside the contract and records the violation', async () => {
    interceptor = interceptGitHub(() => ({ status: 200, body: {} }));
    const octokit = createOctokit({ token: 'ghp_contractTestToken000000000000000000', msPerSecond: 1, mutationGapMs: 0 });
    await expect(octokit.request('GET /repos/{owner}/{repo}/nonsense', { owner: 'o', repo: 'r' })).rejects.toMatchObject({ status: 400 });
    expect(interceptor.violations).toEqual(["GET /repos/o/r/nonsense: GET /repos/o/r/nonsense is not an operation in GitHub's OpenAPI description"]);
  });

  it('records a reply that breaks the documented schema', async () => {
    interceptor = interceptGitHub(() => ({ status: 201, body: { ref: 'refs/heads/x' } }));
    const octokit = createOctokit({ token: 'ghp_contractTestToken000000000000000000', msPerSecond: 1, mutationGapMs: 0 });
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', { owner: 'o', repo: 'r', ref: 'refs/heads/x', sha: 'a'.repeat(40) });
    expect(interceptor.violations.join('\n')).toMatch(/git\/create-ref 201 reply: \/ must have required property 'node_id'/);
  });
});
