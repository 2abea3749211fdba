// Pure checks of signed attestations (cosign `.att` envelopes, key-based Sigstore bundles): the envelope
// verifies under a trusted key, and its in-toto statement names this digest with the wanted predicate type,
// builder id and source. Keyless bundles (a certificate instead of a key) pass only with a trusted root and
// an identity policy: verified by keyless.ts (loaded by the caller), then held to the identity here.
import { openEnvelope, type DsseEnvelope } from './dsse.js';
import { describeIdentity, identityMismatch, type KeylessIdentity } from './identity.js';
import { shortFingerprint } from './keys.js';
import { checkStatement, wantedTypes } from './provenance-check.js';
import type { KeylessVerifier } from './keyless.js';
import type { TrustedKey, VerifyPolicy } from './types.js';

export interface SignedAttestation {
  envelope: DsseEnvelope;
  /** `tag sha256-….att` or `Sigstore bundle sha256:…`. */
  where: string;
  /** A Sigstore bundle whose verification material is a certificate (keyless): needs a trusted root. */
  keyless: boolean;
  /** The whole bundle as stored, for keyless verification. */
  bundle?: unknown;
}

/** Keyless trust: a verifier for the user's trusted root, and who must have signed. */
export interface KeylessTrust {
  verifier: KeylessVerifier;
  identity: KeylessIdentity;
}

export type SignedOutcome =
  | { ok: true; signedBy: string; evidence?: string; key?: TrustedKey; where: string; predicateType: string; builderId?: string; sourceRepository?: string }
  | { ok: false; reason: string };

type Opening = { ok: true; statement: unknown; signedBy: string; evidence?: string; key?: TrustedKey } | { ok: false; reason?: string; untrusted?: true; unchecked?: true };

function predicateTypeOf(statement: unknown): string {
  const type = (statement as { predicateType?: unknown } | null)?.predicateType;
  return typeof type === 'string' ? type : '';
}

/** The statement, when the attestation is signed by a trusted key or (keyless) by the trusted identity. */
function openAttestation(attestation: SignedAttestation, keys: TrustedKey[], trust: KeylessTrust | undefined): Opening {
  if (attestation.keyless) {
    if (!trust) return { ok: false, unchecked: true };
    const opened = trust.verifier.open(attestation.bundle);
    if (!opened.ok) return { ok: false, reason: `${attestation.where} (keyless): ${opened.reason}` };
    const mismatch = identityMismatch(trust.identity, opened.signer);
    if (mismatch) return { ok: false, reason: `${attestation.where} (keyless): ${mismatch}` };
    return { ok: true, statement: opened.statement, signedBy: `keyless identity '${opened.signer.san}' (issuer ${opened.signer.issuer})`, evidence: opened.evidence || undefined };
  }
  const opened = openEnvelope(attestation.envelope, keys);
  if (!opened.ok) return opened.reason === 'not signed by a trusted key' ? { ok: false, untrusted: true } : { ok: false, reason: `${opened.reason} (${attestation.where})` };
  return { ok: true, statement: opened.statement, key: opened.key, signedBy: `key ${shortFingerprint(opened.key.fingerprint)} (${opened.key.source})` };
}

export function checkSignedAttestations(found: SignedAttestation[], keys: TrustedKey[], digest: string, policy: VerifyPolicy, trust?: KeylessTrust): SignedOutcome {
  const wanted = wantedTypes(policy);
  const reasons: string[] = [];
  let unchecked = 0;
  let untrusted = 0;
  for (const attestation of found) {
    const opened = openAttestation(attestation, keys, trust);
    if (!opened.ok) {
      if (opened.reason) reasons.push(opened.reason);
      if (opened.untrusted) untrusted++;
      if (opened.unchecked) unchecked++;
      continue;
    }
    const type = predicateTypeOf(opened.statement);
    if (!wanted.includes(type)) {
      reasons.push(`the attestation signed by ${opened.signedBy} in ${attestation.where} has predicate type ${type || 'none'}, not ${wanted.join(' or ')}`);
      continue;
    }
    const facts = checkStatement(opened.statement, type, digest, policy, 'this digest', 'the digest');
    if (facts.reason) {
      reasons.push(`${facts.reason} (${attestation.where})`);
      continue;
    }
    return { ok: true, signedBy: opened.signedBy, evidence: opened.evidence, key: opened.key, where: attestation.where, predicateType: type, builderId: facts.builderId, sourceRepository: facts.source };
  }
  if (reasons.length) return { ok: false, reason: reasons[0]! };
  const parts: string[] = [];
  if (untrusted) parts.push(`${untrusted} signed attestation(s) found, none signed by a trusted key`);
  if (unchecked) parts.push(`${unchecked} keyless Sigstore bundle(s) found, which are verified only with a trusted root and an identity policy (trusted-root, certificate-identity, certificate-oidc-issuer)`);
  if (!parts.length && trust) parts.push(`no keyless Sigstore bundle was found (wanted one signed by ${describeIdentity(trust.identity)})`);
  return { ok: false, reason: parts.join('; ') || 'no signed attestation was found' };
}
