// Reads the private key `sign: true` signs with: cosign's own encrypted key (scrypt + NaCl secretbox, as
// `cosign generate-key-pair` writes it) or a standard PEM (PKCS#8, SEC1, encrypted PKCS#8 with a password).
// Errors never quote the key or the password.
import { createPrivateKey, createPublicKey, scryptSync, type KeyObject } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import { InputError } from '../runtime/errors.js';

const COSIGN_KEY = /-----BEGIN ENCRYPTED (?:SIGSTORE|COSIGN) PRIVATE KEY-----([\s\S]*?)-----END ENCRYPTED (?:SIGSTORE|COSIGN) PRIVATE KEY-----/;

interface CosignEnvelope {
  kdf?: { name?: string; params?: { N?: number; r?: number; p?: number }; salt?: string };
  cipher?: { name?: string; nonce?: string };
  ciphertext?: string;
}

function decryptCosignKey(body: string, password: string): KeyObject {
  let envelope: CosignEnvelope;
  try {
    envelope = JSON.parse(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')) as CosignEnvelope;
  } catch {
    throw new InputError('sign-key', 'is a cosign key whose body is not readable');
  }
  const { kdf, cipher, ciphertext } = envelope;
  if (kdf?.name !== 'scrypt' || cipher?.name !== 'nacl/secretbox' || !kdf.salt || !cipher.nonce || !ciphertext) {
    throw new InputError('sign-key', `is a cosign key with kdf '${kdf?.name ?? '?'}' and cipher '${cipher?.name ?? '?'}'; scrypt with nacl/secretbox is supported`);
  }
  const { N = 32768, r = 8, p = 1 } = kdf.params ?? {};
  const secret = scryptSync(password, Buffer.from(kdf.salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  let der: Uint8Array;
  try {
    der = xsalsa20poly1305(new Uint8Array(secret), new Uint8Array(Buffer.from(cipher.nonce, 'base64'))).decrypt(new Uint8Array(Buffer.from(ciphertext, 'base64')));
  } catch {
    throw new InputError('sign-key-password', 'does not decrypt sign-key (wrong password?)');
  }
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

export function loadSigningKey(text: string, password = ''): { key: KeyObject; publicKey: KeyObject } {
  const cosign = COSIGN_KEY.exec(text);
  let key: KeyObject;
  if (cosign) key = decryptCosignKey(cosign[1]!, password);
  else {
    try {
      key = createPrivateKey({ key: text, format: 'pem', ...(password ? { passphrase: password } : {}) });
    } catch {
      throw new InputError('sign-key', 'is not a PEM private key that can be read (cosign.key, PKCS#8 or EC PEM; check sign-key-password)');
    }
  }
  return { key, publicKey: createPublicKey(key) };
}
