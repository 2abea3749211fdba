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

async function verifyAttestation(reader: ArtifactReader, ref: ImageReference, digest: string, policy: VerifyPolicy, image: string): Promise<VerifiedCheck> {
  const top = await reader.manifest(ref, digest);
  if (!top) throw new PolicyError('attestation', image, 'the registry does not serve this digest');
  const found = await findProvenance(reader, ref, digest, top, policy.predicateType);
  if (found.kind === 'manifest') {
    throw new PolicyError('attestation', image, 'this digest is a single image manifest; buildx attaches provenance to the index, so pin the index digest');
  }
  const outcome = checkProvenance(found.images, found.statements, policy);
  if (!outcome.ok) throw new PolicyError('attestation', image, outcome.reason);
  const parts = [`provenance ${outcome.predicateType} for ${outcome.platforms.join(', ')}`];
  if (outcome.builderId) parts.push(`builder ${outcome.builderId}`);
  if (outcome.sourceRepository) parts.push(`source ${outcome.sourceRepository}`);
  return { kind: 'attestation', subject: outcome.predicateType, detail: parts.join(', ') };
}

/**
 * `signature`: a signature by one of the keys. `attestation`: provenance as the policy says, and also a
 * signature when keys are given (buildx provenance is unsigned: it is bound to the digest, not to a signer).
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
  if (policy.require === 'signature' || (policy.require === 'attestation' && keys.length)) {
    checks.push(await verifySignature(reader, repo, digest, keys, image));
  }
  if (policy.require === 'attestation') checks.push(await verifyAttestation(reader, repo, digest, policy, image));
  return { image, digest, require: policy.require, checks, requests: reader.requests - before };
}

/** One line per check, for the PR body, the job summary and the CLI. */
export function verifiedLines(report: VerificationReport): string[] {
  return report.checks.map((c) => c.detail);
}
