// Signatures against the real cosign and a real registry: what cosign signs, digestpin verifies under that key
// and no other; unsigned images and signatures copied from another digest fail with one line; what digestpin
// signs (sign: true), the real `cosign verify` accepts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearSecrets } from '../../../src/runtime/secrets.js';
import { signDigests } from '../../../src/verify/sign.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { cosignKeyPair, cosignSign, cosignVerify, verifyCli, type KeyPair } from './fixtures.js';

let registry: RegistryServer;
let trusted: KeyPair;
let other: KeyPair;
let signed: PushedImage;
let unsigned: PushedImage;

const at = (image: PushedImage) => `${image.ref.replace(/:[^:/]+$/, '')}@${image.digest}`;

beforeAll(async () => {
  registry = await startRegistry();
  [trusted, other] = await Promise.all([cosignKeyPair('trusted'), cosignKeyPair('other', 'other-pass')]);
  signed = await pushImage(`${registry.host}/acme/svc:signed`, { platforms: ['linux/amd64', 'linux/arm64'], content: 'signed' });
  unsigned = await pushImage(`${registry.host}/acme/svc:unsigned`, { content: 'unsigned' });
  // Multi-platform indexes are signed at the index digest, as a release workflow does.
  await cosignSign(trusted, at(signed));
});
afterAll(async () => {
  await registry?.stop();
});

describe('digestpin verify (signatures made by the real cosign)', () => {
  it('verifies a multi-platform index signed at its index digest under the signing key', async () => {
    expect(signed.mediaType).toMatch(/index|manifest\.list/);
    const r = await verifyCli([at(signed), '--key', trusted.pub]);
    expect(r.code, r.log).toBe(0);
    expect(r.out).toContain(`verified ${at(signed)}`);
    expect(r.out).toMatch(/cosign signature by key sha256:[0-9a-f]{12} \(.*trusted\.pub\), found at tag sha256-[0-9a-f]{64}\.sig/);
  });

  it('resolves a tag first, and accepts any one of several keys', async () => {
    const r = await verifyCli([signed.ref, '--key', other.pub, '--key', trusted.pub, '--json']);
    expect(r.code, r.log).toBe(0);
    const json = JSON.parse(r.out) as { digest: string; verified: Array<{ kind: string; subject: string }> };
    expect(json.digest).toBe(signed.digest);
    expect(json.verified).toEqual([expect.objectContaining({ kind: 'signature', subject: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })]);
  });

  it('fails under another key, with one line naming the policy and the image', async () => {
    const r = await verifyCli([at(signed), '--key', other.pub]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const lines = r.log.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: verify policy 'signature' failed for ${at(signed).replace(/[.]/g, '\\.')}: 1 signature\\(s\\) found, none made by a trusted key \\(sha256:[0-9a-f]{12}\\)$`));
  });

  it('fails for an unsigned image, saying where it looked', async () => {
    const r = await verifyCli([at(unsigned), '--key', trusted.pub]);
    expect(r.code).toBe(1);
    expect(r.log.trim()).toBe(
      `error: verify policy 'signature' failed for ${at(unsigned)}: no cosign signature was found (looked at tag ${unsigned.digest.replace(':', '-')}.sig and the OCI referrers of the digest)`,
    );
  });

  it('fails when a valid signature of another digest is copied onto this image’s .sig tag', async () => {
    const target = await pushImage(`${registry.host}/acme/svc:copied`, { content: 'copied' });
    const sigTag = (d: string) => `${d.replace(':', '-')}.sig`;
    const source = await registry.manifest('acme/svc', sigTag(signed.digest));
    expect(source.status).toBe(200);
    const put = await fetch(`${registry.url}/v2/acme/svc/manifests/${sigTag(target.digest)}`, {
      method: 'PUT',
      headers: { 'content-type': source.mediaType },
      body: source.body,
    });
    expect(put.status).toBe(201);
    // The real cosign refuses it too: the payload names the other digest.
    expect((await cosignVerify(trusted.pub, at(target))).ok).toBe(false);
    const r = await verifyCli([at(target), '--key', trusted.pub]);
    expect(r.code).toBe(1);
    expect(r.log.trim()).toMatch(new RegExp(`the signature by key sha256:[0-9a-f]{12} in tag ${sigTag(target.digest)} covers ${signed.digest}, not this digest$`));
  });

  it('exits 2 naming the flag when no key or attestation is asked for', async () => {
    const r = await verifyCli([at(signed)]);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/^error: input '--key': give --key PUBKEY/);
  });
});

describe('sign: true (digestpin signs natively, the real cosign verifies)', () => {
  it('signs an index with an encrypted cosign.key; cosign verify accepts it and other signatures are kept', async () => {
    const image = await pushImage(`${registry.host}/acme/built:1`, { platforms: ['linux/amd64', 'linux/arm64'], content: 'built' });
    await cosignSign(trusted, at(image));
    const repo = { registry: registry.host, repository: 'acme/built' };
    const result = await signDigests({ key: readFileSync(other.key, 'utf8'), password: other.password }, repo, [image.digest], { dockerConfigPath: false });
    expect(result.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const byCosign = await cosignVerify(other.pub, at(image));
    expect(byCosign.ok, byCosign.output).toBe(true);
    expect(byCosign.output).toContain(`"docker-manifest-digest":"${image.digest}"`);
    // cosign's own signature is still there beside ours.
    expect((await cosignVerify(trusted.pub, at(image))).ok).toBe(true);
    expect((await verifyCli([at(image), '--key', other.pub])).code).toBe(0);
    // Signing twice with the same key does not pile up layers.
    await signDigests({ key: readFileSync(other.key, 'utf8'), password: other.password }, repo, [image.digest], { dockerConfigPath: false });
    const manifest = JSON.parse((await registry.manifest('acme/built', `${image.digest.replace(':', '-')}.sig`)).body) as { layers: unknown[] };
    expect(manifest.layers).toHaveLength(2);
  });

  it('a wrong password is one line naming sign-key-password, and neither the key nor the password appear', async () => {
    clearSecrets();
    const key = readFileSync(other.key, 'utf8');
    const error = await signDigests({ key, password: 'wrong-password' }, { registry: registry.host, repository: 'acme/built' }, [signed.digest], { dockerConfigPath: false }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("input 'sign-key-password': does not decrypt sign-key (wrong password?)");
    expect((error as Error).message).not.toContain('wrong-password');
  });
});
