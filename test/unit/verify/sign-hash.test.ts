// Signing and verifying share one hash choice (signatureHash): what digestpin signs, digestpin verifies, with
// every curve. The choice is cosign's key path (SHA-256 whatever the curve); the real cosign's verdict is in
// test/integration/verify/curves.test.ts. Signatures made with the curve's own hash still verify.
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { simpleSigningPayload, signPayload } from '../../../src/verify/sign.js';
import { signatureHash, signatureVerifies } from '../../../src/verify/signature-check.js';

const payload = simpleSigningPayload({ registry: 'registry.example.com', repository: 'team/app' }, `sha256:${'a'.repeat(64)}`);
const other = simpleSigningPayload({ registry: 'registry.example.com', repository: 'team/app' }, `sha256:${'b'.repeat(64)}`);

describe.each([
  ['P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'sha256', undefined],
  ['P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'sha256', 'sha384'],
  ['P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' }), 'sha256', 'sha512'],
  ['RSA 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 }), 'sha256', undefined],
  ['Ed25519', () => generateKeyPairSync('ed25519'), null, undefined],
] as const)('%s', (_, generate, hash, curveHash) => {
  const { privateKey, publicKey } = generate();

  it('what digestpin signs, digestpin verifies; over other bytes, or under another key, it does not', () => {
    const signature = signPayload(payload, privateKey);
    expect(signatureVerifies(payload, signature, publicKey)).toBe(true);
    expect(signatureVerifies(other, signature, publicKey)).toBe(false);
    expect(signatureVerifies(payload, signature, generate().publicKey)).toBe(false);
  });

  it(`signs with ${hash ?? 'no pre-hash'}, the hash cosign's key path checks with`, () => {
    expect(signatureHash(privateKey)).toBe(hash);
    expect(signatureHash(publicKey)).toBe(hash);
    expect(verify(hash, payload, publicKey, Buffer.from(signPayload(payload, privateKey), 'base64'))).toBe(true);
  });

  it.runIf(curveHash)(`still verifies a signature made with the curve's own hash (${curveHash})`, () => {
    const signature = sign(curveHash!, payload, privateKey).toString('base64');
    expect(signatureVerifies(payload, signature, publicKey)).toBe(true);
    expect(signatureVerifies(other, signature, publicKey)).toBe(false);
  });
});
