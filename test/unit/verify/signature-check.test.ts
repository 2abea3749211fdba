import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintOf, parsePublicKey, shortFingerprint } from '../../../src/verify/keys.js';
import { signPayload, simpleSigningPayload } from '../../../src/verify/sign.js';
import { checkSignatures, payloadDigest, signatureVerifies, type SignatureCandidate } from '../../../src/verify/signature-check.js';
import type { TrustedKey } from '../../../src/verify/types.js';

const repo = { registry: 'reg.example:5000', repository: 'acme/svc' };
const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

function pair(type: 'ec' | 'ed25519' | 'rsa', curve = 'prime256v1') {
  const { privateKey, publicKey } =
    type === 'ec' ? generateKeyPairSync('ec', { namedCurve: curve }) : type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
  const trusted: TrustedKey = { key: publicKey, fingerprint: fingerprintOf(publicKey), source: `${type} key` };
  return { privateKey, trusted };
}

function candidate(digest: string, signer: ReturnType<typeof pair>, where = 'tag x.sig'): SignatureCandidate {
  const payload = simpleSigningPayload(repo, digest);
  return { payload, signature: signPayload(payload, signer.privateKey), where };
}

describe('checkSignatures', () => {
  it.each([
    ['ECDSA P-256', pair('ec')],
    ['ECDSA P-384', pair('ec', 'secp384r1')],
    ['Ed25519', pair('ed25519')],
    ['RSA', pair('rsa')],
  ])('accepts a %s signature over exactly this digest', (_, signer) => {
    const outcome = checkSignatures([candidate(A, signer)], [signer.trusted], A);
    expect(outcome).toMatchObject({ ok: true, where: 'tag x.sig', dockerReference: 'reg.example:5000/acme/svc' });
  });

  it('fails a signature of another digest, even by the trusted key', () => {
    const signer = pair('ec');
    const outcome = checkSignatures([candidate(B, signer)], [signer.trusted], A);
    expect(outcome).toEqual({ ok: false, reason: `the signature by key ${shortFingerprint(signer.trusted.fingerprint)} in tag x.sig covers ${B}, not this digest` });
  });

  it('fails signatures by untrusted keys, naming the trusted fingerprints', () => {
    const signer = pair('ec');
    const trusted = pair('ec');
    const outcome = checkSignatures([candidate(A, signer), candidate(A, signer)], [trusted.trusted], A);
    expect(outcome).toEqual({ ok: false, reason: `2 signature(s) found, none made by a trusted key (${shortFingerprint(trusted.trusted.fingerprint)})` });
  });

  it('passes when any one of several signatures is good', () => {
    const good = pair('ec');
    const other = pair('ed25519');
    expect(checkSignatures([candidate(A, other), candidate(B, good), candidate(A, good, 'referrer r')], [good.trusted], A)).toMatchObject({ ok: true, where: 'referrer r' });
  });

  it('says so when nothing was found, and mentions keyless signatures it does not accept', () => {
    expect(checkSignatures([], [pair('ec').trusted], A)).toEqual({ ok: false, reason: 'no cosign signature was found' });
    const keyless = { ...candidate(A, pair('ec')), certificate: '-----BEGIN CERTIFICATE-----' };
    expect(checkSignatures([keyless], [pair('ec').trusted], A)).toMatchObject({ ok: false, reason: expect.stringMatching(/1 keyless signature\(s\) with a certificate, which this policy does not accept\)$/) });
  });

  it('refuses a signed payload that is not a cosign container image signature', () => {
    const signer = pair('ec');
    const payload = new TextEncoder().encode(JSON.stringify({ critical: { image: { 'docker-manifest-digest': A }, type: 'something else' } }));
    const outcome = checkSignatures([{ payload, signature: signPayload(payload, signer.privateKey), where: 't' }], [signer.trusted], A);
    expect(outcome).toEqual({ ok: false, reason: "the signed payload's type is not 'cosign container image signature' (t)" });
  });

  it('treats a tampered payload or a garbage signature as not signed', () => {
    const signer = pair('ec');
    const c = candidate(A, signer);
    const tampered = new TextEncoder().encode(new TextDecoder().decode(c.payload).replace('acme', 'evil'));
    expect(signatureVerifies(tampered, c.signature, signer.trusted.key)).toBe(false);
    expect(signatureVerifies(c.payload, '!!not base64!!', signer.trusted.key)).toBe(false);
    expect(signatureVerifies(c.payload, '', signer.trusted.key)).toBe(false);
  });
});

describe('payloadDigest and keys', () => {
  it('reads the digest cosign signs', () => {
    expect(payloadDigest(simpleSigningPayload(repo, A))).toEqual({ digest: A, reference: 'reg.example:5000/acme/svc' });
    expect(payloadDigest(new TextEncoder().encode('nope'))).toEqual({ problem: 'the signed payload is not JSON' });
  });

  it('fingerprints a key the same whatever its PEM line breaks', () => {
    const { trusted } = pair('ec');
    const pem = trusted.key.export({ type: 'spki', format: 'pem' }).toString();
    const reflowed = pem.replace(/\n(?!-)/g, '\r\n\n    ');
    const folded = pem.replace(/\n(?!-)/g, ' ');
    expect(parsePublicKey(reflowed, 'k', '--key').fingerprint).toBe(trusted.fingerprint);
    expect(parsePublicKey(folded, 'k', '--key').fingerprint).toBe(trusted.fingerprint);
    expect(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', 'keys/x.pub', 'verify-keys')).toThrow(/^input 'verify-keys': keys\/x.pub is not a PEM public key/);
  });
});
