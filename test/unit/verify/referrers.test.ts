// Signatures attached as OCI 1.1 referrers, through a small in-memory registry (fetch-level): the referrers API
// where offered, its tag schema where not, and referrers that don't name this digest as subject ignored.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_MAX_BYTES, createArtifactReader } from '../../../src/registry/artifacts.js';
import { fingerprintOf } from '../../../src/verify/keys.js';
import { signPayload, simpleSigningPayload } from '../../../src/verify/sign.js';
import { COSIGN_SIG_ARTIFACT_TYPE } from '../../../src/verify/signatures.js';
import { verifyImage } from '../../../src/verify/verify-image.js';

const HOST = 'reg.test';
const repo = { registry: HOST, repository: 'acme/svc' };
const IMAGE = `sha256:${'c'.repeat(64)}`;
const sha = (b: Uint8Array | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const keys = [{ key: publicKey, fingerprint: fingerprintOf(publicKey), source: 'test key' }];

function registry(options: { referrersApi: boolean; subject?: string; filterIgnored?: boolean; hugeBlob?: boolean }) {
  const blobs = new Map<string, Uint8Array>();
  const manifests = new Map<string, string>();
  const payload = simpleSigningPayload(repo, IMAGE);
  blobs.set(sha(payload), payload);
  const sigManifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    artifactType: COSIGN_SIG_ARTIFACT_TYPE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha('{}'), size: 2 },
    layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: sha(payload), size: payload.length, annotations: { 'dev.cosignproject.cosign/signature': signPayload(payload, privateKey) } }],
    subject: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: options.subject ?? IMAGE, size: 100 },
  });
  manifests.set(sha(sigManifest), sigManifest);
  const listed = [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(sigManifest), size: sigManifest.length, artifactType: COSIGN_SIG_ARTIFACT_TYPE }];
  if (options.filterIgnored) listed.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha('x'), size: 1, artifactType: 'application/spdx+json' });
  const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: listed });
  if (!options.referrersApi) manifests.set(IMAGE.replace(':', '-'), index);
  const paths: string[] = [];
  const fetchFn: typeof fetch = async (input) => {
    const url = new URL(String(input));
    paths.push(url.pathname);
    const [, , , , kind, ref] = url.pathname.split('/');
    if (kind === 'referrers') return options.referrersApi ? new Response(index, { status: 200, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } }) : new Response('404 page not found', { status: 404 });
    if (kind === 'manifests' && manifests.has(ref!)) return new Response(manifests.get(ref!), { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
    if (kind === 'blobs' && blobs.has(ref!)) {
      return new Response(new Uint8Array(blobs.get(ref!)!), { status: 200, headers: options.hugeBlob ? { 'content-length': String(ARTIFACT_MAX_BYTES + 1) } : {} });
    }
    return new Response('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}', { status: 404 });
  };
  return { reader: createArtifactReader({ fetch: fetchFn, dockerConfigPath: false, insecureRegistries: [HOST] }), paths };
}

const policy = { require: 'signature' as const, keys: [] };

describe('signatures as OCI 1.1 referrers', () => {
  it('are found through the referrers API', async () => {
    const { reader, paths } = registry({ referrersApi: true });
    const report = await verifyImage(reader, repo, IMAGE, policy, keys);
    expect(report.checks[0]!.detail).toMatch(/found at referrer sha256:/);
    expect(paths).toContain(`/v2/acme/svc/referrers/${IMAGE}`);
  });

  it('are found through the referrers tag schema where the API is missing', async () => {
    const { reader, paths } = registry({ referrersApi: false });
    const report = await verifyImage(reader, repo, IMAGE, policy, keys);
    expect(report.checks).toHaveLength(1);
    expect(paths).toContain(`/v2/acme/svc/manifests/${IMAGE.replace(':', '-')}`);
  });

  it('keep only cosign signatures when a registry ignores the artifactType filter', async () => {
    const { reader, paths } = registry({ referrersApi: true, filterIgnored: true });
    await verifyImage(reader, repo, IMAGE, policy, keys);
    expect(paths).not.toContain(`/v2/acme/svc/manifests/${sha('x')}`);
  });

  it('are ignored when their subject is another digest', async () => {
    const { reader } = registry({ referrersApi: true, subject: `sha256:${'d'.repeat(64)}` });
    await expect(verifyImage(reader, repo, IMAGE, policy, keys)).rejects.toThrow(/no cosign signature was found/);
  });

  it('are not read past the size cap', async () => {
    const { reader } = registry({ referrersApi: true, hugeBlob: true });
    await expect(verifyImage(reader, repo, IMAGE, policy, keys)).rejects.toThrow(/more than the 4194304-byte cap/);
  });
});
