// Pure checks of signed attestations (cosign `.att` envelopes, key-based Sigstore bundles): the envelope
// verifies under a trusted key, and its in-toto statement names this digest with the wanted predicate type,
// builder id and source. Keyless bundles (a certificate instead of a key) are recognised and not accepted.
import { openEnvelope, type DsseEnvelope } from './dsse.js';
import { shortFingerprint } from './keys.js';
import { checkStatement, wantedTypes } from './provenance-check.js';
import type { TrustedKey, VerifyPolicy } from './types.js';

export interface SignedAttestation {
  envelope: DsseEnvelope;
  /** `tag sha256-….att` or `Sigstore bundle sha256:…`. */
  where: string;
  /** A Sigstore bundle whose verification material is a certificate (keyless): needs a trusted root. */
  keyless: boolean;
}

export type SignedOutcome =
  | { ok: true; key: TrustedKey; where: string; predicateType: string; builderId?: string; sourceRepository?: string }
  | { ok: false; reason: string };

function predicateTypeOf(statement: unknown): string {
  const type = (statement as { predicateType?: unknown } | null)?.predicateType;
  return typeof type === 'string' ? type : '';
}

export function checkSignedAttestations(found: SignedAttestation[], keys: TrustedKey[], digest: string, policy: VerifyPolicy): SignedOutcome {
  const wanted = wantedTypes(policy);
  const reasons: string[] = [];
  let keyless = 0;
  let untrusted = 0;
  for (const attestation of found) {
    if (attestation.keyless) {
      keyless++;
      continue;
    }
    const opened = openEnvelope(attestation.envelope, keys);
    if (!opened.ok) {
      if (opened.reason === 'not signed by a trusted key') untrusted++;
      else reasons.push(`${opened.reason} (${attestation.where})`);
      continue;
    }
    const type = predicateTypeOf(opened.statement);
    if (!wanted.includes(type)) {
      reasons.push(`the attestation signed by key ${shortFingerprint(opened.key.fingerprint)} in ${attestation.where} has predicate type ${type || 'none'}, not ${wanted.join(' or ')}`);
      continue;
    }
    const facts = checkStatement(opened.statement, type, digest, policy, 'this digest', 'the digest');
    if (facts.reason) {
      reasons.push(`${facts.reason} (${attestation.where})`);
      continue;
    }
    return { ok: true, key: opened.key, where: attestation.where, predicateType: type, builderId: facts.builderId, sourceRepository: facts.source };
  }
  if (reasons.length) return { ok: false, reason: reasons[0]! };
  const parts: string[] = [];
  if (untrusted) parts.push(`${untrusted} signed attestation(s) found, none signed by a trusted key`);
  if (keyless) parts.push(`${keyless} keyless Sigstore bundle(s) found, which digestpin does not verify (no trusted root support)`);
  return { ok: false, reason: parts.join('; ') || 'no signed attestation was found' };
}
