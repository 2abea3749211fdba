// Keyless Sigstore bundles, verified with @sigstore/verify against the trusted root the user supplies: the
// certificate chains to a CA of the root at a verified time, its SCT is from a CT log of the root, each
// transparency-log entry's inclusion promise / proof is signed by a log of the root and matches the envelope,
// RFC 3161 timestamps verify against the root's TSAs, and the DSSE signature verifies with the certificate's
// key. Loaded lazily (only when a policy names a trusted root); who signed is identity.ts's question.
import { readFile } from 'node:fs/promises';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { FileError } from '../runtime/errors.js';
import type { CertificateSigner } from './identity.js';

export type KeylessOpened =
  | { ok: true; signer: CertificateSigner; statement: unknown; evidence: string }
  | { ok: false; reason: string };

export interface KeylessVerifier {
  /** The trusted root's path, for messages. */
  readonly root: string;
  /** Verifies a bundle (its JSON, as stored) against the root; the in-toto statement it signs when it holds. */
  open(bundle: unknown): KeylessOpened;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** Reads `trusted_root.json`; a file that is not one is a FileError naming it. */
export async function loadTrustedRoot(path: string): Promise<{ root: TrustedRoot; material: TrustMaterial }> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new FileError(path, undefined, `the Sigstore trusted root can't be read (${e.code ?? e.message})`);
  });
  const documents = text.split('\n').filter((l) => l.trim().startsWith('{')).length;
  if (documents > 1 && text.trim().split('\n').length === documents) {
    // `gh attestation trusted-root` prints one root per line (public-good and GitHub's): trust is a choice.
    throw new FileError(path, undefined, `holds ${documents} trusted roots, one per line; keep the one root this policy trusts`);
  }
  let root: TrustedRoot;
  let material: TrustMaterial;
  try {
    root = TrustedRoot.fromJSON(JSON.parse(text));
    material = toTrustMaterial(root);
  } catch (error) {
    throw new FileError(path, undefined, `is not a Sigstore trusted root (trusted_root.json): ${firstLine(error)}`);
  }
  if (!root.certificateAuthorities.length) throw new FileError(path, undefined, 'lists no certificate authorities, so no keyless certificate can chain to it');
  return { root, material };
}

/** Why @sigstore/verify refused, said for a policy line (its codes, not its stack). */
function refusal(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  const cause = (error as { cause?: unknown }).cause;
  // "Failed to verify certificate chain" says little; its cause says which part (e.g. expired at the signing time).
  const why = cause ? `${firstLine(error)}: ${firstLine(cause)}` : firstLine(error);
  if (code.startsWith('CERTIFICATE')) return `its certificate does not verify against the trusted root's certificate authorities and CT logs (${why})`;
  if (code.startsWith('TLOG')) return `its transparency-log entry does not verify against the trusted root's logs (${why})`;
  if (code.startsWith('TIMESTAMP')) return `its timestamps do not verify against the trusted root (${why})`;
  if (code.startsWith('SIGNATURE')) return "its signature does not verify with the certificate's key";
  return `it does not verify against the trusted root (${why})`;
}

/** Which log and index vouched for the signature, or which TSA: for the PR body's "verified" line. */
function evidenceOf(bundle: Bundle, material: TrustMaterial): string {
  const parts: string[] = [];
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const log = material.tlogs.find((t) => t.logID.equals(entry.logId.keyId));
    parts.push(`logged in ${log?.baseURL || 'a trusted log'} at index ${entry.logIndex}`);
  }
  const stamps = bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps.length ?? 0;
  if (stamps) parts.push(`${stamps} RFC 3161 timestamp(s)`);
  return parts.join(', ');
}

/**
 * A verifier for one trusted root. Thresholds follow the root: a transparency-log entry (and an SCT) is
 * required when the root lists logs (CT logs); a root without them (a private instance that timestamps
 * with a TSA) is trusted as its owner made it. One verified timestamp is always required.
 */
export async function loadKeylessVerifier(path: string): Promise<KeylessVerifier> {
  const { root, material } = await loadTrustedRoot(path);
  const verifier = new Verifier(material, {
    tlogThreshold: root.tlogs.length ? 1 : 0,
    ctlogThreshold: root.ctlogs.length ? 1 : 0,
    timestampThreshold: 1,
  });
  return {
    root: path,
    open(json: unknown): KeylessOpened {
      let bundle: Bundle;
      try {
        bundle = bundleFromJSON(json);
      } catch (error) {
        return { ok: false, reason: `it is not a valid Sigstore bundle (${firstLine(error)})` };
      }
      if (bundle.content.$case !== 'dsseEnvelope') return { ok: false, reason: 'it signs a message, not an in-toto statement' };
      let signer;
      try {
        signer = verifier.verify(toSignedEntity(bundle));
      } catch (error) {
        return { ok: false, reason: refusal(error) };
      }
      const envelope = bundle.content.dsseEnvelope;
      if (envelope.payloadType !== 'application/vnd.in-toto+json') return { ok: false, reason: `its payload type is '${envelope.payloadType}', not application/vnd.in-toto+json` };
      let statement: unknown;
      try {
        statement = JSON.parse(envelope.payload.toString('utf8'));
      } catch {
        return { ok: false, reason: 'its signed statement is not JSON' };
      }
      const signerOf = { san: signer.identity?.subjectAlternativeName, issuer: signer.identity?.extensions?.issuer };
      return { ok: true, signer: signerOf, statement, evidence: evidenceOf(bundle, material) };
    },
  };
}
