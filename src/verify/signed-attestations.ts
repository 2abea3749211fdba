// Finds signed attestations of a digest at the registry: cosign's `sha256-<hex>.att` tag (DSSE envelopes as
// layers) and Sigstore bundles attached as OCI referrers (`cosign attest --new-bundle-format`, GitHub
// artifact attestations pushed to the registry). Returns envelopes; checking is signed-attestation-check.ts's.
import type { ArtifactReader } from '../registry/artifacts.js';
import type { ImageReference } from '../registry/types.js';
import type { DsseEnvelope } from './dsse.js';
import type { SignedAttestation } from './signed-attestation-check.js';
import { digestTag, listReferrers } from './signatures.js';

const DSSE_LAYER = 'application/vnd.dsse.envelope.v1+json';
const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const isBundleType = (t: string | undefined) => Boolean(t?.startsWith('application/vnd.dev.sigstore.bundle'));
// cosign 2.5 lists its bundle in the referrers tag schema under the empty config type, not the bundle type.
const mayBeBundle = (t: string | undefined) => isBundleType(t) || t === 'application/vnd.oci.empty.v1+json';

interface Bundle {
  mediaType?: string;
  verificationMaterial?: { publicKey?: unknown; x509CertificateChain?: unknown; certificate?: unknown };
  dsseEnvelope?: DsseEnvelope;
}

function parse<T>(bytes: Uint8Array): T | undefined {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return undefined;
  }
}

async function cosignAttestations(reader: ArtifactReader, repo: ImageReference, digest: string): Promise<SignedAttestation[]> {
  const tag = `${digestTag(digest)}.att`;
  const manifest = await reader.manifest(repo, tag);
  const out: SignedAttestation[] = [];
  for (const layer of manifest?.json.layers ?? []) {
    if (layer.mediaType !== DSSE_LAYER) continue;
    const envelope = parse<DsseEnvelope>(await reader.blob(repo, layer.digest));
    if (envelope) out.push({ envelope, where: `tag ${tag}`, keyless: false });
  }
  return out;
}

async function bundleAttestations(reader: ArtifactReader, repo: ImageReference, digest: string): Promise<SignedAttestation[]> {
  const out: SignedAttestation[] = [];
  for (const referrer of await listReferrers(reader, repo, digest, BUNDLE_TYPE, mayBeBundle)) {
    const manifest = await reader.manifest(repo, referrer.digest);
    if (!manifest || manifest.json.subject?.digest !== digest) continue;
    for (const layer of manifest.json.layers ?? []) {
      if (!isBundleType(layer.mediaType)) continue;
      const bundle = parse<Bundle>(await reader.blob(repo, layer.digest));
      // Message-signature bundles sign a blob, not a statement: nothing here to check against a policy.
      if (!bundle?.dsseEnvelope) continue;
      const material = bundle.verificationMaterial ?? {};
      const keyless = !material.publicKey && Boolean(material.x509CertificateChain || material.certificate);
      out.push({ envelope: bundle.dsseEnvelope, where: `Sigstore bundle ${referrer.digest.slice(0, 19)}`, keyless, ...(keyless ? { bundle } : {}) });
    }
  }
  return out;
}

export async function findSignedAttestations(reader: ArtifactReader, ref: ImageReference, digest: string): Promise<SignedAttestation[]> {
  const repo: ImageReference = { registry: ref.registry, repository: ref.repository };
  return [...(await cosignAttestations(reader, repo, digest)), ...(await bundleAttestations(reader, repo, digest))];
}
