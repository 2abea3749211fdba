// The registry client and `digestpin resolve` against a registry that misbehaves on purpose (issue 13, items 4,
// 5 and 9): endless and stalled bodies, cut connections, injected newlines and workflow commands, a lying HEAD,
// a token equal to ordinary output. Each case checks the one-line error, a generous time bound, and that
// nothing unverified or raw reached stdout or the log.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/commands/dispatch.js';
import { createRegistryClient } from '../../src/registry/index.js';
import { oneLine } from '../../src/runtime/errors.js';
import { memoryLogger } from '../../src/runtime/logger.js';
import { clearSecrets, redact } from '../../src/runtime/secrets.js';
import { startHostileRegistry, type HostileRegistry, type RegistryMode } from './support/hostile-registry.js';

const registries: HostileRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.stop()));
  clearSecrets();
});

async function registry(mode: RegistryMode): Promise<HostileRegistry> {
  const r = await startHostileRegistry(mode);
  registries.push(r);
  return r;
}

async function resolveCli(args: string[]) {
  const logger = memoryLogger();
  const out: string[] = [];
  const started = Date.now();
  const code = await runCli(['resolve', ...args], { logger, stdout: (t) => out.push(t), env: { DOCKER_CONFIG: '/nonexistent' } });
  return { code, out: out.join('\n'), lines: logger.lines, ms: Date.now() - started };
}

/** No printed line may start a workflow command, carry a carriage return, or an escape sequence. */
function assertInert(text: string) {
  for (const line of text.split('\n')) {
    expect(line.trimStart()).not.toMatch(/^(::|##\[)/);
  }
  expect(text).not.toMatch(/[\r\u001b]/);
}

const client = (timeoutMs = 30_000) => createRegistryClient({ dockerConfigPath: false, timeoutMs, maxRetries: 1, sleep: async () => undefined, notFoundWindowMs: 0 });

describe('bounded responses (item 4)', () => {
  it('stops reading an endless manifest at the size cap, naming registry and request', async () => {
    const r = await registry('endless-manifest');
    const run = await resolveCli([`${r.host}/app:v1`]);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.lines).toEqual([
      `error: ${r.host}/app:v1: ${r.host} sent a manifest larger than the 4194304-byte limit (GET http://${r.host}/v2/app/manifests/v1); digestpin stopped reading`,
    ]);
    expect(run.ms).toBeLessThan(30_000);
    // The server could push a little more into socket buffers, but nowhere near the 11 GB of the report.
    expect(r.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops reading an endless token reply', async () => {
    const r = await registry('endless-token');
    const error = await client().resolve(`${r.host}/app:v1`).catch((e: unknown) => e);
    expect(oneLine(error)).toBe(
      `${r.host}/app:v1: ${r.host} sent a token reply larger than the 1048576-byte limit (GET http://${r.host}/token); digestpin stopped reading`,
    );
    expect(r.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
  });

  it('gives up on a registry that never answers, after the per-request timeout and its retries', async () => {
    const r = await registry('stall-headers');
    const started = Date.now();
    const error = await client(500).resolve(`${r.host}/app:v1`).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(oneLine(error)).toBe(
      `${r.host}/app:v1: could not reach ${r.host} (HEAD http://${r.host}/v2/app/manifests/v1): timed out after 500 ms after 2 attempt(s)`,
    );
  });

  it('names a body that stalls half-way as a timeout, not as a status that never came', async () => {
    const r = await registry('stall-body');
    const started = Date.now();
    const error = await client(800).resolve(`${r.host}/app:v1`, { verifyContent: true }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(oneLine(error)).toMatch(
      new RegExp(`^${r.host}/app:v1: reading the manifest from ${r.host} failed after \\d+ bytes \\(GET http://${r.host}/v2/app/manifests/v1\\): timed out after 800 ms$`),
    );
  });

  it('names a connection cut in the middle of a body as a reset', async () => {
    const r = await registry('reset-body');
    const error = await client().resolve(`${r.host}/app:v1`, { verifyContent: true }).catch((e: unknown) => e);
    expect(oneLine(error)).toMatch(
      new RegExp(`^${r.host}/app:v1: reading the manifest from ${r.host} failed after \\d+ bytes \\(GET http://${r.host}/v2/app/manifests/v1\\): the connection was reset$`),
    );
  });
});

describe('credentials stay with their origin', () => {
  it('a registry that redirects to another origin: the Basic credentials do not follow', async () => {
    const elsewhere = await registry('ok');
    const r = await startHostileRegistry('redirect-basic', `http://${elsewhere.host}`);
    registries.push(r);
    const credentials = { [r.host]: { username: 'deploy', password: 'Registry-Pass-5520' } };
    const result = await createRegistryClient({ dockerConfigPath: false, credentials, maxRetries: 0 }).resolve(`${r.host}/app:v1`);
    expect(result.digest).toBe(elsewhere.image.indexDigest);
    expect(r.authorizations.filter(Boolean).length).toBeGreaterThan(0);
    expect(elsewhere.requests.length).toBeGreaterThan(0);
    expect(elsewhere.authorizations.filter(Boolean)).toEqual([]);
  });
});

describe('server strings are validated or escaped (item 5)', () => {
  it('refuses an index entry whose platform carries workflow commands, and logs nothing raw', async () => {
    const r = await registry('inject-platform');
    const run = await resolveCli([`${r.host}/app:v1`, '--json']);
    expect(run.code).toBe(1);
    // --json reports a failure as {"error": …} on stdout: one JSON document, its text escaped, never raw lines.
    expect(JSON.parse(run.out).error).toMatch(/the registry served an index entry with a malformed platform/);
    assertInert(run.out);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(/^error: .*: the registry served an index entry with a malformed platform "/);
    assertInert(run.lines.join('\n'));
  });

  it('never prints an index entry digest that is not a digest (resolve --platform)', async () => {
    const r = await registry('inject-digest');
    const run = await resolveCli([`${r.host}/app:v1`, '--platform', 'linux/amd64']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.lines[0]).toMatch(/^error: .*: the registry served a manifest naming a malformed digest "sha256:abc\\n::warning/);
    assertInert(run.lines.join('\n'));
  });

  it('prints labels with their control characters shown, so none starts a command', async () => {
    const r = await registry('inject-labels');
    const run = await resolveCli([`${r.host}/app:v1`, '--labels']);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toBe(r.image.indexDigest);
    expect(run.out).toContain('\\u000a::warning title=pwned');
    assertInert(run.out);
  });

  it('prints the digest the content hashes to, never a HEAD header it did not check', async () => {
    const r = await registry('lying-head');
    const run = await resolveCli([`${r.host}/app:v1`]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(r.image.indexDigest);
    expect(r.requests).not.toContain('HEAD /v2/app/manifests/v1');
  });
});

describe('server-issued tokens (item 9)', () => {
  it('a token `sha256` leaves the printed digest and output redaction alone', async () => {
    const r = await registry('token-sha256');
    const run = await resolveCli([`${r.host}/app:v1`]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(r.image.indexDigest);
    expect(redact(`digest: ${r.image.indexDigest}`)).toBe(`digest: ${r.image.indexDigest}`);
    expect(r.requests).toContain('GET /token');
  });
});
