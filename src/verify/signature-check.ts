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

/** The hash cosign uses with each key type (sigstore's defaults: ed25519 signs the message itself). */
function hashFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519') return null;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return 'sha256';
}

export function signatureVerifies(payload: Uint8Array, signatureBase64: string, key: KeyObject): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (!signature.length) return false;
  try {
    return cryptoVerify(hashFor(key), payload, key, signature);
  } catch {
    return false;
  }
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
