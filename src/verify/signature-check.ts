// Pure checks of cosign signatures: the signature over the simple-signing payload verifies under a trusted key
// (node:crypto), and the payload names exactly the digest being pinned. A valid signature over another digest
// (one copied onto this image's .sig tag) is a failure, never a pass.
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { shortFingerprint } from './keys.js';
import type { TrustedKey } from './types.js';

export const SIMPLE_SIGNING_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

export interface SignatureCandidate {
  /** The signed bytes (the simple-signing payload blob, exactly as stored). */
  payload: Uint8Array;
  /** Base64 signature from the layer annotation. */
  signature: string;
  /** Where it was found, e.g. `tag sha256-….sig` or `referrer sha256:…`. */
  where: string;
  /** PEM certificate of a keyless signature, when present (not verified: keyless needs a trusted root). */
  certificate?: string;
}

export type SignatureOutcome =
  | { ok: true; key: TrustedKey; where: string; dockerReference?: string }
  | { ok: false; reason: string };

/**
 * The one hash digestpin signs with, and verifies with first: SHA-256 for every ECDSA curve and RSA, none for
 * Ed25519 (it signs the message itself). That is what `cosign sign --key` / `cosign verify --key` use: cosign's
 * key path assumes SHA-256 whatever the curve (checked against the real cosign in
 * test/integration/verify/curves.test.ts; sigstore/cosign#5091 for P-384), so a P-384 or P-521 signature made
 * with the curve's own hash is one cosign rejects.
 */
export function signatureHash(key: KeyObject): string | null {
  return key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
}

/** The curve's own hash (sigstore's algorithm registry: P-384 with SHA-384, P-521 with SHA-512), if not SHA-256. */
function curveHash(key: KeyObject): string | undefined {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : undefined;
}

/**
 * Whether the signature is the key's over exactly these bytes. Signatures made with the curve's own hash (other
 * sigstore tools, and digestpin's earlier P-384 signatures) still verify: either hash needs the key's signature.
 */
export function signatureVerifies(payload: Uint8Array, signatureBase64: string, key: KeyObject): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (!signature.length) return false;
  const hashes = [signatureHash(key), curveHash(key)].filter((h) => h !== undefined);
  return hashes.some((hash) => {
    try {
      return cryptoVerify(hash, payload, key, signature);
    } catch {
      return false;
    }
  });
}

interface SimpleSigning {
  critical?: { identity?: { 'docker-reference'?: string }; image?: { 'docker-manifest-digest'?: string }; type?: string };
}

/** The digest a simple-signing payload names, or why it names none. */
export function payloadDigest(payload: Uint8Array): { digest?: string; reference?: string; problem?: string } {
  let json: SimpleSigning;
  try {
    json = JSON.parse(new TextDecoder().decode(payload)) as SimpleSigning;
  } catch {
    return { problem: 'the signed payload is not JSON' };
  }
  if (json.critical?.type !== COSIGN_SIGNATURE_TYPE) return { problem: `the signed payload's type is not '${COSIGN_SIGNATURE_TYPE}'` };
  const digest = json.critical.image?.['docker-manifest-digest'];
  if (!digest) return { problem: 'the signed payload names no docker-manifest-digest' };
  return { digest, reference: json.critical.identity?.['docker-reference'] };
}

/** The first candidate signed by a trusted key over exactly `digest`; else the most telling reason it failed. */
export function checkSignatures(candidates: SignatureCandidate[], keys: TrustedKey[], digest: string): SignatureOutcome {
  if (!candidates.length) return { ok: false, reason: 'no cosign signature was found' };
  const otherDigest: string[] = [];
  const malformed: string[] = [];
  for (const candidate of candidates) {
    for (const key of keys) {
      if (!signatureVerifies(candidate.payload, candidate.signature, key.key)) continue;
      const named = payloadDigest(candidate.payload);
      if (named.problem) malformed.push(`${named.problem} (${candidate.where})`);
      else if (named.digest !== digest) otherDigest.push(`the signature by key ${shortFingerprint(key.fingerprint)} in ${candidate.where} covers ${named.digest}, not this digest`);
      else return { ok: true, key, where: candidate.where, dockerReference: named.reference };
    }
  }
  if (otherDigest.length) return { ok: false, reason: otherDigest[0]! };
  if (malformed.length) return { ok: false, reason: malformed[0]! };
  const keyless = candidates.filter((c) => c.certificate).length;
  const trusted = keys.map((k) => shortFingerprint(k.fingerprint)).join(', ');
  const note = keyless ? ` (${keyless} keyless signature(s) with a certificate, which this policy does not accept)` : '';
  return { ok: false, reason: `${candidates.length} signature(s) found, none made by a trusted key (${trusted})${note}` };
}
