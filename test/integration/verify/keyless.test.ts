// Keyless Sigstore bundles on the real local registry, attached by the real oras, made by a local Sigstore
// (@sigstore/mock's CA, CT log and transparency log) and checked by `digestpin verify` against a trusted root
// the user supplies: only the trusted identity and issuer, under that root, for this digest, passes.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { verifyCli } from './fixtures.js';
import { GITHUB_ISSUER, attachBundle, keylessBundle, localSigstore, writeRoot, type LocalSigstore } from './keyless-fixtures.js';

const SLSA1 = 'https://slsa.dev/provenance/v1';
const ID = 'https://github.com/acme/svc/.github/workflows/release.yml@refs/heads/main';
let registry: RegistryServer;
let sigstore: LocalSigstore;
let other: LocalSigstore;
let root: string;
let signed: PushedImage;
let copied: PushedImage;
let unsigned: PushedImage;

const at = (image: PushedImage) => `${registry.host}/acme/keyless@${image.digest}`;
const keyless = (image: PushedImage, ...policy: string[]) => verifyCli([at(image), '--attestation', SLSA1, ...policy]);
const trusted = (rootPath = root) => ['--trusted-root', rootPath, '--certificate-oidc-issuer', GITHUB_ISSUER];

/** One line: the policy, the image, and why. */
function expectOneLine(log: string, reason: string, image: PushedImage): void {
  const lines = log.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`verify policy 'attestation' failed for ${at(image)}: `);
  expect(lines[0]).toContain(reason);
}

beforeAll(async () => {
  registry = await startRegistry();
  [sigstore, other] = await Promise.all([localSigstore('trusted'), localSigstore('other')]);
  root = writeRoot(sigstore);
  [signed, copied, unsigned] = await Promise.all([
    pushImage(`${registry.host}/acme/keyless:signed`, { content: 'keyless-signed', platforms: ['linux/amd64', 'linux/arm64'] }),
    pushImage(`${registry.host}/acme/keyless:copied`, { content: 'keyless-copied' }),
    pushImage(`${registry.host}/acme/keyless:unsigned`, { content: 'keyless-unsigned' }),
  ]);
  await attachBundle(at(signed), await keylessBundle(sigstore, { digest: signed.digest, identity: ID }));
  // A valid bundle of the signed image, attached to another image: its subject names the other digest.
  await attachBundle(at(copied), await keylessBundle(sigstore, { digest: signed.digest, identity: ID }));
});
afterAll(async () => {
  await registry?.stop();
});

describe('keyless Sigstore bundles against a trusted root', () => {
  it('verifies a bundle for this digest by the trusted identity and issuer, and says what vouched for it', async () => {
    const r = await keyless(signed, ...trusted(), '--certificate-identity', ID);
    expect(r.code, r.log).toBe(0);
    expect(r.out).toMatch(new RegExp(`attestation ${SLSA1.replace(/[./]/g, '\\$&')} signed by keyless identity '${ID.replace(/[./@]/g, '\\$&')}' \\(issuer ${GITHUB_ISSUER.replace(/[./]/g, '\\$&')}\\), found at Sigstore bundle sha256:[0-9a-f]{12}, logged in https://rekor\\.trusted\\.test at index \\d+`));
  });

  it('accepts the identity as a regexp over the whole SAN, and refuses a regexp that matches only part of it', async () => {
    const whole = await keyless(signed, ...trusted(), '--certificate-identity-regexp', String.raw`https://github\.com/acme/svc/\.github/workflows/[^@]+@refs/heads/main`);
    expect(whole.code, whole.log).toBe(0);
    const part = await keyless(signed, ...trusted(), '--certificate-identity-regexp', 'acme/svc');
    expect(part.code).toBe(1);
    expectOneLine(part.log, `(keyless): signed by '${ID}' (issuer ${GITHUB_ISSUER}), not by an identity matching /^(?:acme\\/svc)$/`, signed);
  });

  it('fails for another identity', async () => {
    const evil = 'https://github.com/evil/svc/.github/workflows/release.yml@refs/heads/main';
    const r = await keyless(signed, ...trusted(), '--certificate-identity', evil);
    expect(r.code).toBe(1);
    expectOneLine(r.log, `(keyless): signed by '${ID}' (issuer ${GITHUB_ISSUER}), not by identity '${evil}'`, signed);
  });

  it('fails for another issuer', async () => {
    const r = await verifyCli([at(signed), '--attestation', SLSA1, '--trusted-root', root, '--certificate-oidc-issuer', 'https://accounts.google.com', '--certificate-identity', ID]);
    expect(r.code).toBe(1);
    expectOneLine(r.log, `(keyless): signed by '${ID}' (issuer ${GITHUB_ISSUER}), not by issuer https://accounts.google.com`, signed);
  });

  it('fails under a root that does not hold the CA', async () => {
    const r = await keyless(signed, ...trusted(writeRoot(other)), '--certificate-identity', ID);
    expect(r.code).toBe(1);
    expectOneLine(r.log, "(keyless): its certificate does not verify against the trusted root's certificate authorities and CT logs", signed);
  });

  it('fails under a root whose transparency log is another one', async () => {
    const mixed = { ...sigstore, root: { ...sigstore.root, tlogs: other.root.tlogs } };
    const r = await keyless(signed, ...trusted(writeRoot(mixed)), '--certificate-identity', ID);
    expect(r.code).toBe(1);
    expectOneLine(r.log, "(keyless): its transparency-log entry does not verify against the trusted root's logs", signed);
  });

  it('fails when the bundle’s subject is another digest', async () => {
    const r = await keyless(copied, ...trusted(), '--certificate-identity', ID);
    expect(r.code).toBe(1);
    expectOneLine(r.log, `the provenance subject for this digest does not name the digest ${copied.digest} (Sigstore bundle sha256:`, copied);
  });

  it('fails for an image with no bundle, naming the identity it wanted', async () => {
    const r = await keyless(unsigned, ...trusted(), '--certificate-identity', ID);
    expect(r.code).toBe(1);
    expectOneLine(r.log, `no Sigstore bundle was found among the digest's OCI referrers (wanted one signed by identity '${ID}' (issuer ${GITHUB_ISSUER}))`, unsigned);
  });

  it('verifies a bundle timestamped by a TSA of a root that has no transparency log (a private instance)', async () => {
    const [privateSigstore, otherTsa] = await Promise.all([localSigstore('private', { tsaOnly: true }), localSigstore('other-tsa', { tsaOnly: true })]);
    const image = await pushImage(`${registry.host}/acme/keyless:tsa`, { content: 'keyless-tsa' });
    await attachBundle(at(image), await keylessBundle(privateSigstore, { digest: image.digest, identity: ID }));
    const good = await keyless(image, ...trusted(writeRoot(privateSigstore)), '--certificate-identity', ID);
    expect(good.code, good.log).toBe(0);
    expect(good.out).toMatch(/found at Sigstore bundle sha256:[0-9a-f]{12}, 1 RFC 3161 timestamp\(s\)/);
    // The same CA, another TSA: the timestamp does not verify, so nothing vouches for when it was signed.
    const mixed = { ...privateSigstore, root: { ...privateSigstore.root, timestampAuthorities: otherTsa.root.timestampAuthorities } };
    const bad = await keyless(image, ...trusted(writeRoot(mixed)), '--certificate-identity', ID);
    expect(bad.code).toBe(1);
    expectOneLine(bad.log, '(keyless): its timestamps do not verify against the trusted root (timestamp could not be verified)', image);
    // A root that expects a transparency log refuses a bundle that has no entry in one.
    const withLog = { ...privateSigstore, root: { ...privateSigstore.root, tlogs: sigstore.root.tlogs } };
    const unlogged = await keyless(image, ...trusted(writeRoot(withLog)), '--certificate-identity', ID);
    expect(unlogged.code).toBe(1);
    expectOneLine(unlogged.log, "(keyless): its transparency-log entry does not verify against the trusted root's logs (expected 1 tlog entries, got 0)", image);
  });

  it('judges the certificate at the time the log vouches for, not at the time of the check', async () => {
    // The mock's root certificate starts now, so the log is moved forward rather than the CA back.
    const now = Date.now();
    const within = await localSigstore('within', { logClock: new Date(now + 5 * 60_000) });
    const after = await localSigstore('after', { logClock: new Date(now + 60 * 60_000) });
    const [early, late] = await Promise.all([
      pushImage(`${registry.host}/acme/keyless:within`, { content: 'keyless-within' }),
      pushImage(`${registry.host}/acme/keyless:after`, { content: 'keyless-after' }),
    ]);
    await attachBundle(at(early), await keylessBundle(within, { digest: early.digest, identity: ID }));
    await attachBundle(at(late), await keylessBundle(after, { digest: late.digest, identity: ID }));
    const good = await keyless(early, ...trusted(writeRoot(within)), '--certificate-identity', ID);
    expect(good.code, good.log).toBe(0);
    // The certificate lives ten minutes; the log says the signature came an hour later: no key vouched for then.
    const bad = await keyless(late, ...trusted(writeRoot(after)), '--certificate-identity', ID);
    expect(bad.code).toBe(1);
    expectOneLine(bad.log, "(keyless): its certificate does not verify against the trusted root's certificate authorities and CT logs (Failed to verify certificate chain: certificate is not valid or expired at the specified date)", late);
  });

  it('without a trusted root, a keyless bundle is reported and never accepted', async () => {
    const { pub } = await import('./fixtures.js').then((f) => f.cosignKeyPair('keyless-none'));
    const r = await verifyCli([at(signed), '--attestation', SLSA1, '--key', pub]);
    expect(r.code).toBe(1);
    expect(r.log).toContain('1 keyless Sigstore bundle(s) found, which are verified only with a trusted root and an identity policy');
  });

  it.each([
    [['--trusted-root', 'root.json', '--certificate-identity', ID], "input '--certificate-oidc-issuer': is required with --trusted-root"],
    [['--trusted-root', 'root.json', '--certificate-oidc-issuer', GITHUB_ISSUER], "input '--certificate-identity': is required with --trusted-root (or --certificate-identity-regexp): a keyless signature by anyone is never trusted"],
    [['--certificate-identity', ID, '--certificate-oidc-issuer', GITHUB_ISSUER], "input '--certificate-identity': needs --trusted-root (a Sigstore trusted_root.json); digestpin ships no public-good root"],
    [['--trusted-root', 'root.json', '--certificate-oidc-issuer', GITHUB_ISSUER, '--certificate-identity-regexp', '(unclosed'], "input '--certificate-identity-regexp': is not a valid regular expression"],
  ])('refuses an incomplete identity policy before reading the registry: %j', async (policy, message) => {
    const r = await keyless(unsigned, ...policy);
    expect(r.code).toBe(2);
    expect(r.log.trim().split('\n')).toHaveLength(1);
    expect(r.log).toContain(message);
  });

  it('refuses a file of several roots, one per line (as gh attestation trusted-root prints them)', async () => {
    const several = writeRoot(sigstore).replace(/trusted_root\.json$/, 'roots.jsonl');
    writeFileSync(several, `${JSON.stringify(sigstore.root)}\n${JSON.stringify(other.root)}\n`);
    const r = await keyless(signed, ...trusted(several), '--certificate-identity', ID);
    expect(r.code).not.toBe(0);
    expect(r.log).toContain(`${several}: holds 2 trusted roots, one per line; keep the one root this policy trusts`);
  });

  it('names a trusted root that is not one', async () => {
    const bad = writeRoot(sigstore).replace(/trusted_root\.json$/, 'bad.json');
    writeFileSync(bad, '{"tlogs": "nope"}');
    const r = await keyless(signed, ...trusted(bad), '--certificate-identity', ID);
    expect(r.code).not.toBe(0);
    expect(r.log.trim().split('\n')).toHaveLength(1);
    expect(r.log).toContain(`${bad}: `);
  });
});
