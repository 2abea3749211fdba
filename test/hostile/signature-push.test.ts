// Signing (sign: true) and verifying against a registry that misbehaves on purpose (issue 13's hardening, applied
// to signature pushes and signature reads): an upload Location on another origin receives nothing, a token realm
// that may not receive the credentials is an error naming it, and endless token replies and signature manifests
// are cut at their size caps. Each case checks the one-line error and that nothing leaked.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createArtifactReader } from '../../src/registry/artifacts.js';
import { oneLine } from '../../src/runtime/errors.js';
import type { RegistryClientOptions } from '../../src/registry/types.js';
import { signDigests } from '../../src/verify/sign.js';
import { digestTag } from '../../src/verify/signatures.js';
import { CREDENTIALS, startHostileRegistry, type HostileRegistry, type RegistryMode } from './support/hostile-registry.js';

const registries: HostileRegistry[] = [];
afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.stop()));
});

async function registry(mode: RegistryMode, redirectTo?: string): Promise<HostileRegistry> {
  const r = await startHostileRegistry(mode, redirectTo);
  registries.push(r);
  return r;
}

const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const DIGEST = `sha256:${'1'.repeat(64)}`;
const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;

/** Options with credentials for `host`, recording every URL digestpin fetches. */
function options(host: string, fetched: string[]): RegistryClientOptions {
  return {
    dockerConfigPath: false,
    credentials: { [host]: CREDENTIALS },
    maxRetries: 0,
    sleep: async () => undefined,
    fetch: (input, init) => {
      fetched.push(String(input));
      return globalThis.fetch(input, init);
    },
  };
}

const sign = (host: string, opts: RegistryClientOptions) =>
  signDigests({ key: signingKey }, { registry: host, repository: 'app' }, [DIGEST], opts).catch((e: unknown) => e);

describe('signature pushes keep credentials with their origin', () => {
  it('an upload Location on another origin receives nothing: no request, no Authorization', async () => {
    const elsewhere = await registry('ok');
    const r = await registry('upload-elsewhere', `http://${elsewhere.host}`);
    const fetched: string[] = [];
    const error = await sign(r.host, options(r.host, fetched));
    expect(oneLine(error)).toBe(`${r.host}/app: ${r.host}: gave an upload location on another origin (http://${elsewhere.host}); digestpin does not follow it`);
    expect(elsewhere.requests).toEqual([]);
    expect(fetched.filter((u) => u.includes(elsewhere.host))).toEqual([]);
    // The registry itself did get the credentials (so the refusal is not for want of them).
    expect(r.authorizations).toContain(BASIC);
    expect(oneLine(error)).not.toContain(CREDENTIALS.password);
  });

  it('a token realm that may not receive the credentials is an error naming it, and nothing is sent there', async () => {
    const r = await registry('foreign-realm', 'https://token.attacker.invalid');
    const fetched: string[] = [];
    const error = await sign(r.host, options(r.host, fetched));
    expect(oneLine(error)).toBe(`${r.host}/app: ${r.host}: asks for credentials at token realm https://token.attacker.invalid, which digestpin does not send them to`);
    expect(fetched.filter((u) => u.includes('attacker'))).toEqual([]);
  });

  it('an endless token reply is cut at the size cap', async () => {
    const r = await registry('endless-token');
    const error = await sign(r.host, options(r.host, []));
    expect(oneLine(error)).toBe(`${r.host}/app: ${r.host} sent a token reply larger than the 1048576-byte limit (GET http://${r.host}/token); digestpin stopped reading`);
    expect(r.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('signature reads are bounded', () => {
  it('an endless chunked signature manifest is cut at ARTIFACT_MAX_BYTES', async () => {
    const r = await registry('endless-signature');
    const reader = createArtifactReader({ dockerConfigPath: false, maxRetries: 0, sleep: async () => undefined });
    const tag = `${digestTag(r.image.indexDigest)}.sig`;
    const error = await reader.manifest({ registry: r.host, repository: 'app' }, tag).catch((e: unknown) => e);
    expect(oneLine(error)).toBe(
      `${r.host}/app:${tag}: ${r.host} sent a signature or attestation manifest larger than the 4194304-byte limit (GET http://${r.host}/v2/app/manifests/${tag}); digestpin stopped reading`,
    );
    expect(r.bytesWritten()).toBeLessThan(64 * 1024 * 1024);
  });
});
