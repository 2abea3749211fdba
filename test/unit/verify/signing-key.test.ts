import { createPublicKey, generateKeyPairSync, randomBytes, scryptSync } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../../src/verify/keys.js';
import { loadSigningKey } from '../../../src/verify/signing-key.js';

/** cosign's encrypted key format, as `cosign generate-key-pair` writes it (small scrypt cost for speed). */
function cosignKey(password: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const salt = randomBytes(32);
  const nonce = randomBytes(24);
  const secret = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const ciphertext = xsalsa20poly1305(new Uint8Array(secret), new Uint8Array(nonce)).encrypt(new Uint8Array(der));
  const envelope = {
    kdf: { name: 'scrypt', params: { N: 1024, r: 8, p: 1 }, salt: salt.toString('base64') },
    cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
    ciphertext: Buffer.from(ciphertext).toString('base64'),
  };
  const body = Buffer.from(JSON.stringify(envelope)).toString('base64').replace(/(.{64})/g, '$1\n');
  return { pem: `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${body}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`, publicKey };
}

describe('loadSigningKey', () => {
  it('opens cosign’s encrypted key with its password', () => {
    const { pem, publicKey } = cosignKey('s3cret-pass');
    expect(fingerprintOf(loadSigningKey(pem, 's3cret-pass').publicKey)).toBe(fingerprintOf(publicKey));
  });

  it('names sign-key-password on a wrong password, quoting neither', () => {
    const { pem } = cosignKey('s3cret-pass');
    expect(() => loadSigningKey(pem, 'not-the-pass')).toThrow(/^input 'sign-key-password': does not decrypt sign-key \(wrong password\?\)$/);
  });

  it('reads PKCS#8 PEM, plain or encrypted with the password', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const plain = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw-1234' }).toString();
    expect(fingerprintOf(loadSigningKey(plain).publicKey)).toBe(fingerprintOf(publicKey));
    expect(fingerprintOf(loadSigningKey(encrypted, 'pw-1234').publicKey)).toBe(fingerprintOf(createPublicKey(privateKey)));
  });

  it('refuses what is not a private key without echoing it', () => {
    let message = '';
    try {
      loadSigningKey('-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^input 'sign-key': is not a PEM private key/);
    expect(message).not.toContain('c2VjcmV0');
  });
});
