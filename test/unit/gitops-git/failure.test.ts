import { describe, expect, it } from 'vitest';
import { classifyGitFailure, gitDetail, gitFailureMessage, pushRejection, refConflict, RETRYABLE } from '../../../src/gitops/git/failure.js';
import { backoffDelay, MAX_ATTEMPTS, MAX_DELAY_MS, nextRetry } from '../../../src/gitops/git/backoff.js';

describe('classifyGitFailure (texts as git 2.39 prints them with LC_ALL=C)', () => {
  it.each([
    ['!\tHEAD:refs/heads/main\t[rejected] (fetch first)', 'race'],
    ['!\tabc:refs/heads/main\t[rejected] (non-fast-forward)', 'race'],
    ['!\tabc:refs/heads/b\t[rejected] (stale info)', 'race'],
    ['!\tabc:refs/heads/main\t[remote rejected] (failed to update ref)', 'race'],
    ["error: cannot lock ref 'refs/heads/main': is at 1111 but expected 2222", 'race'],
    ['!\tabc:refs/heads/main\t[remote rejected] (pre-receive hook declined)', 'rejected'],
    ["fatal: Authentication failed for 'https://gitlab.example.com/ops/gitops.git/'", 'auth'],
    ["fatal: could not read Username for 'https://example.com': terminal prompts disabled", 'auth'],
    ['git@example.com: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'auth'],
    ["fatal: '/srv/nope.git' does not appear to be a git repository\nfatal: Could not read from remote repository.", 'not-found'],
    ["remote: Repository not found.\nfatal: repository 'https://example.com/a/b.git/' not found", 'not-found'],
    ['fatal: Remote branch prod not found in upstream origin', 'branch-missing'],
    ["fatal: couldn't find remote ref refs/heads/digestpin/dev/api", 'branch-missing'],
    ["fatal: unable to access 'https://example.com/a.git/': Could not resolve host: example.com", 'unreachable'],
    ["fatal: unable to access 'https://127.0.0.1:1/a.git/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server", 'unreachable'],
    ['error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502\nfatal: the remote end hung up unexpectedly', 'transient'],
    ['fatal: early EOF\nfatal: index-pack failed', 'transient'],
    // git's own words when the server drops the socket while git writes to it (seen in the history read's fetch).
    ['fatal: packet write failed: Broken pipe', 'transient'],
    ["remote: error: cannot lock ref 'refs/heads/main/dev/agents': 'refs/heads/main' exists; cannot create 'refs/heads/main/dev/agents'", 'ref-conflict'],
    ["error: cannot lock ref 'refs/heads/x': 'refs/heads/x/y' exists; cannot create 'refs/heads/x'", 'ref-conflict'],
    ["error: cannot lock ref 'refs/remotes/origin/a': there are still refs under 'refs/remotes/origin/a'", 'ref-conflict'],
    ["fatal: unable to access 'http://127.0.0.1:1/a.git/': Operation too slow. Less than 1 bytes/sec transferred the last 60 seconds", 'transient'],
    ["fatal: unable to access 'http://h/g.git/': The requested URL returned error: 302", 'redirect'],
    ['fatal: something new', 'other'],
    ['', 'transient'],
    ['  \n', 'transient'],
  ])('%s -> %s', (text, kind) => {
    expect(classifyGitFailure(text)).toBe(kind);
  });
});

describe('ref conflicts (issue 13, item 12)', () => {
  it('are never retried, and the conflict line is what the message shows', () => {
    expect(RETRYABLE.has('ref-conflict')).toBe(false);
    const output = "To http://h/g.git\n!\tabc:refs/heads/main/dev/agents\t[remote rejected] (failed to update ref)\nremote: error: cannot lock ref 'refs/heads/main/dev/agents': 'refs/heads/main' exists; cannot create 'refs/heads/main/dev/agents'        ";
    expect(refConflict(output)).toBe("cannot lock ref 'refs/heads/main/dev/agents': 'refs/heads/main' exists; cannot create 'refs/heads/main/dev/agents'");
    expect(refConflict('!\tabc:refs/heads/main\t[rejected] (fetch first)')).toBeUndefined();
  });
});

describe('messages', () => {
  it('shows the first fatal line, not its echo', () => {
    expect(gitDetail("fatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure")).toBe("'/x' does not appear to be a git repository");
  });
  it('reads the rejected ref from porcelain output', () => {
    expect(pushRejection('To file:///srv/g.git\n!\tabc:refs/heads/main\t[rejected] (fetch first)\nDone')).toBe('[rejected] (fetch first)');
    expect(pushRejection('To file:///srv/g.git\n \tabc:refs/heads/main\t111..222\nDone')).toBeUndefined();
  });
  it('names what is missing in one sentence', () => {
    expect(gitFailureMessage('branch-missing', { operation: 'clone', remote: 'https://h/g.git', branch: 'prod' }, ''))
      .toBe("branch 'prod' does not exist on https://h/g.git: create it or pass the right base branch");
    expect(gitFailureMessage('auth', { operation: 'push', remote: 'https://h/g.git' }, 'Authentication failed'))
      .toBe('git push on https://h/g.git was refused: the credentials are missing or lack write access to this repository (Authentication failed)');
  });
});

describe('retry budget', () => {
  it('allows about ten attempts for races but only three for refusals and dropped connections', () => {
    let state = { attempts: 0, transient: 0 };
    let allowed = 1;
    for (let next = nextRetry(state, 'race'); next; next = nextRetry(state, 'race')) { state = next; allowed++; }
    expect(allowed).toBe(MAX_ATTEMPTS);
    state = { attempts: 0, transient: 0 };
    allowed = 1;
    for (let next = nextRetry(state, 'transient'); next; next = nextRetry(state, 'transient')) { state = next; allowed++; }
    expect(allowed).toBe(3);
    expect(nextRetry({ attempts: 0, transient: 0 }, 'auth')).toBeUndefined();
  });
  it('waits at least half of a doubling ceiling, capped near 30 s', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, () => 0))).toEqual([250, 500, 1000]);
    expect([1, 2, 3].map((a) => backoffDelay(a, () => 0.999999))).toEqual([500, 1000, 2000]);
    expect(backoffDelay(30, () => 0.999999)).toBe(MAX_DELAY_MS);
  });
});
