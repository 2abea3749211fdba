// Signed attestations made by the real `cosign attest --key`: the classic `.att` tag (DSSE envelopes) and a
// Sigstore bundle attached as an OCI referrer (--new-bundle-format). digestpin opens the envelope with the
// trusted key and checks the statement names this digest, its predicate type and builder.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../../src/runtime/exec.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { cosignKeyPair, verifyCli, type KeyPair } from './fixtures.js';

const SLSA = 'https://slsa.dev/provenance/v0.2';
const BUILDER = 'https://ci.example/builder/7';
let registry: RegistryServer;
let trusted: KeyPair;
let other: KeyPair;
let classic: PushedImage;
let bundled: PushedImage;

async function cosignAttest(pair: KeyPair, ref: string, newBundle: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-attest-'));
  const predicate = join(dir, 'predicate.json');
  writeFileSync(predicate, JSON.stringify({ builder: { id: BUILDER }, buildType: 'https://example/build' }));
  const args = ['attest', '--key', pair.key, '--tlog-upload=false', '--allow-insecure-registry', '-y', '--type', 'slsaprovenance', '--predicate', predicate, ref];
  if (newBundle) args.splice(1, 0, '--new-bundle-format');
  await exec('cosign', args, { env: { COSIGN_PASSWORD: pair.password }, quiet: true, timeoutMs: 60_000 });
}

const at = (image: PushedImage) => `${registry.host}/acme/att@${image.digest}`;

beforeAll(async () => {
  registry = await startRegistry();
  [trusted, other] = await Promise.all([cosignKeyPair('att-trusted'), cosignKeyPair('att-other')]);
  classic = await pushImage(`${registry.host}/acme/att:classic`, { content: 'classic', platforms: ['linux/amd64', 'linux/arm64'] });
  bundled = await pushImage(`${registry.host}/acme/att:bundled`, { content: 'bundled' });
  await cosignAttest(trusted, at(classic), false);
  await cosignAttest(trusted, at(bundled), true);
});
afterAll(async () => {
  await registry?.stop();
});

describe('signed attestations (cosign attest --key)', () => {
  it('verifies the .att tag’s DSSE envelope under the trusted key', async () => {
    const r = await verifyCli([at(classic), '--key', trusted.pub, '--attestation', SLSA, '--builder-id', BUILDER]);
    expect(r.code, r.log).toBe(0);
    expect(r.out).toMatch(new RegExp(`attestation ${SLSA.replace(/[./]/g, '\\$&')} signed by key sha256:[0-9a-f]{12} \\(.*att-trusted\\.pub\\), found at tag sha256-[0-9a-f]{64}\\.att, builder ${BUILDER.replace(/[./]/g, '\\$&')}`));
  });

  it('verifies a Sigstore bundle attached as an OCI referrer', async () => {
    const r = await verifyCli([at(bundled), '--key', trusted.pub, '--attestation', SLSA, '--json']);
    expect(r.code, r.log).toBe(0);
    const json = JSON.parse(r.out) as { verified: Array<{ kind: string; detail: string }> };
    expect(json.verified).toHaveLength(1);
    expect(json.verified[0]!.detail).toMatch(/found at Sigstore bundle sha256:[0-9a-f]{12}, builder /);
  });

  it('fails under another key (and the image has no buildx provenance either)', async () => {
    const r = await verifyCli([at(bundled), '--key', other.pub, '--attestation', SLSA]);
    expect(r.code).toBe(1);
    expect(r.log.trim().split('\n')).toHaveLength(1);
    expect(r.log).toContain('signed attestations: 1 signed attestation(s) found, none signed by a trusted key');
  });

  it('fails on another builder id, naming both', async () => {
    const r = await verifyCli([at(classic), '--key', trusted.pub, '--attestation', SLSA, '--builder-id', 'https://evil.example/']);
    expect(r.code).toBe(1);
    expect(r.log).toContain(`signed attestations: the builder id for this digest is '${BUILDER}', not 'https://evil.example/' (tag `);
  });

  it('fails when the attestation of another digest is copied onto this image’s .att tag', async () => {
    const target = await pushImage(`${registry.host}/acme/att:copied`, { content: 'copied-att' });
    const tag = (d: string) => `${d.replace(':', '-')}.att`;
    const source = await registry.manifest('acme/att', tag(classic.digest));
    const put = await fetch(`${registry.url}/v2/acme/att/manifests/${tag(target.digest)}`, { method: 'PUT', headers: { 'content-type': source.mediaType }, body: source.body });
    expect(put.status).toBe(201);
    const r = await verifyCli([at(target), '--key', trusted.pub, '--attestation', SLSA]);
    expect(r.code).toBe(1);
    expect(r.log).toContain(`signed attestations: the provenance subject for this digest does not name the digest ${target.digest}`);
  });
});
