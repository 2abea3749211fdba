// Verifies one digest against a policy at the registry: a cosign signature by a trusted key over exactly this
// digest, and/or buildx provenance whose subjects are this index's images. Throws PolicyError (one line) when
// the policy does not hold; returns what was verified otherwise.
import type { ArtifactReader } from '../registry/artifacts.js';
import { formatReference } from '../registry/reference.js';
import type { ImageReference } from '../registry/types.js';
import { findProvenance } from './attestations.js';
import { PolicyError } from './errors.js';
import { shortFingerprint } from './keys.js';
import { checkProvenance } from './provenance-check.js';
import { checkSignatures } from './signature-check.js';
import { describeIdentity, keylessIdentity } from './identity.js';
import { checkSignedAttestations, type KeylessTrust } from './signed-attestation-check.js';
import { findSignedAttestations } from './signed-attestations.js';
import { referrerSignatures, tagSignatures, digestTag } from './signatures.js';
import type { TrustedKey, VerificationReport, VerifiedCheck, VerifyPolicy } from './types.js';

async function verifySignature(reader: ArtifactReader, ref: ImageReference, digest: string, keys: TrustedKey[], image: string): Promise<VerifiedCheck> {
  if (!keys.length) throw new PolicyError('signature', image, 'no trusted keys are configured (verify.keys, verify-keys or --key)');
  // cosign's tag first: one request when it holds the signature; referrers only when it does not.
  let candidates = await tagSignatures(reader, ref, digest);
  let outcome = checkSignatures(candidates, keys, digest);
  if (!outcome.ok) {
    candidates = [...candidates, ...(await referrerSignatures(reader, ref, digest))];
    outcome = checkSignatures(candidates, keys, digest);
  }
  if (!outcome.ok) {
    const where = candidates.length ? '' : ` (looked at tag ${digestTag(digest)}.sig and the OCI referrers of the digest)`;
    throw new PolicyError('signature', image, `${outcome.reason}${where}`);
  }
  return {
    kind: 'signature',
    subject: outcome.key.fingerprint,
    detail: `cosign signature by key ${shortFingerprint(outcome.key.fingerprint)} (${outcome.key.source}), found at ${outcome.where}`,
  };
}

/** A signed attestation (cosign .att, Sigstore bundle) by a trusted key or the keyless identity; or why none passed. */
async function verifySignedAttestation(reader: ArtifactReader, ref: ImageReference, digest: string, policy: VerifyPolicy, keys: TrustedKey[], trust?: KeylessTrust): Promise<VerifiedCheck | string | undefined> {
  const found = await findSignedAttestations(reader, ref, digest);
  if (!found.length) return undefined;
  const outcome = checkSignedAttestations(found, keys, digest, policy, trust);
  if (!outcome.ok) return outcome.reason;
  const parts = [`attestation ${outcome.predicateType} signed by ${outcome.signedBy}, found at ${outcome.where}`];
  if (outcome.evidence) parts.push(outcome.evidence);
  if (outcome.builderId) parts.push(`builder ${outcome.builderId}`);
  if (outcome.sourceRepository) parts.push(`source ${outcome.sourceRepository}`);
  return { kind: 'attestation', subject: outcome.predicateType, detail: parts.join(', ') };
}

/** buildx provenance of every platform image of the index (unsigned: bound to the digest, not to a signer). */
async function verifyProvenance(reader: ArtifactReader, ref: ImageReference, digest: string, policy: VerifyPolicy): Promise<VerifiedCheck | string> {
  const top = await reader.manifest(ref, digest);
  if (!top) return 'the registry does not serve this digest';
  const found = await findProvenance(reader, ref, digest, top, policy.predicateType);
  if (found.kind === 'manifest') return 'this digest is a single image manifest; buildx attaches provenance to the index, so pin the index digest';
  const outcome = checkProvenance(found.images, found.statements, policy);
  if (!outcome.ok) return outcome.reason;
  const parts = [`provenance ${outcome.predicateType} for ${outcome.platforms.join(', ')}`];
  if (outcome.builderId) parts.push(`builder ${outcome.builderId}`);
  if (outcome.sourceRepository) parts.push(`source ${outcome.sourceRepository}`);
  return { kind: 'attestation', subject: outcome.predicateType, detail: parts.join(', ') };
}

/** The keyless trust a policy asks for (its root read, @sigstore/* loaded), or undefined when it asks none. */
async function keylessTrust(policy: VerifyPolicy): Promise<KeylessTrust | undefined> {
  const identity = keylessIdentity(policy);
  if (!identity) return undefined;
  const { loadKeylessVerifier } = await import('./keyless.js');
  return { identity, verifier: await loadKeylessVerifier(policy.trustedRoot!) };
}

/**
 * `signature`: a signature by one of the keys. `attestation` without keys: buildx provenance as the policy
 * says. `attestation` with keys: an attestation signed by one of them (cosign .att or a Sigstore bundle), or
 * else buildx provenance plus a cosign signature of the digest, which is what ties the provenance to a signer.
 * With a keyless policy (trusted root + identity), a keyless Sigstore bundle by that identity passes too; without
 * keys, nothing else does: unsigned provenance never stands in for the identity.
 */
export async function verifyImage(
  reader: ArtifactReader,
  ref: ImageReference,
  digest: string,
  policy: VerifyPolicy,
  keys: TrustedKey[],
): Promise<VerificationReport> {
  const repo: ImageReference = { registry: ref.registry, repository: ref.repository };
  const image = formatReference({ ...repo, digest });
  const before = reader.requests;
  const checks: VerifiedCheck[] = [];
  const done = () => ({ image, digest, require: policy.require, checks, requests: reader.requests - before });
  const trust = await keylessTrust(policy);
  if (policy.require === 'signature') checks.push(await verifySignature(reader, repo, digest, keys, image));
  if (policy.require !== 'attestation') return done();
  const signed = keys.length || trust ? await verifySignedAttestation(reader, repo, digest, policy, keys, trust) : undefined;
  if (typeof signed === 'object') return { ...done(), checks: [signed] };
  if (trust && !keys.length) {
    throw new PolicyError('attestation', image, signed ?? `no Sigstore bundle was found among the digest's OCI referrers (wanted one signed by ${describeIdentity(trust.identity)})`);
  }
  const provenance = await verifyProvenance(reader, repo, digest, policy);
  if (typeof provenance === 'string') throw new PolicyError('attestation', image, signed ? `${provenance}; signed attestations: ${signed}` : provenance);
  if (keys.length) checks.push(await verifySignature(reader, repo, digest, keys, image));
  checks.push(provenance);
  return done();
}

/** One line per check, for the PR body, the job summary and the CLI. */
export function verifiedLines(report: VerificationReport): string[] {
  return report.checks.map((c) => c.detail);
}
