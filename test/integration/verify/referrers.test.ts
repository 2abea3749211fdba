// A cosign signature attached as an OCI 1.1 referrer by the real oras (referrers tag schema: docker-registry
// 2.8 has no referrers API), its payload signed by the real `cosign sign-blob`: digestpin finds and verifies it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../../src/runtime/exec.js';
import { simpleSigningPayload } from '../../../src/verify/sign.js';
import { COSIGN_SIG_ARTIFACT_TYPE } from '../../../src/verify/signatures.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { cosignKeyPair, verifyCli, type KeyPair } from './fixtures.js';

let registry: RegistryServer;
let image: PushedImage;
let key: KeyPair;

async function attachSignature(digest: string, signedDigest: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-oras-'));
  const payload = join(dir, 'payload.json');
  writeFileSync(payload, simpleSigningPayload({ registry: registry.host, repository: 'acme/ref' }, signedDigest));
  const { stdout } = await exec('cosign', ['sign-blob', '--key', key.key, '--tlog-upload=false', '--yes', payload], { env: { COSIGN_PASSWORD: '' }, quiet: true });
  const annotations = join(dir, 'annotations.json');
  writeFileSync(annotations, JSON.stringify({ 'payload.json': { 'dev.cosignproject.cosign/signature': stdout.trim() } }));
  await exec(
    'oras',
    ['attach', '--plain-http', '--distribution-spec', 'v1.1-referrers-tag', '--artifact-type', COSIGN_SIG_ARTIFACT_TYPE, '--annotation-file', annotations, `${registry.host}/acme/ref@${digest}`, 'payload.json:application/vnd.dev.cosign.simplesigning.v1+json'],
    { cwd: dir, quiet: true },
  );
}

beforeAll(async () => {
  registry = await startRegistry();
  key = await cosignKeyPair('referrer');
  image = await pushImage(`${registry.host}/acme/ref:1`, { content: 'referrer' });
});
afterAll(async () => {
  await registry?.stop();
});

describe('signatures attached as OCI referrers', () => {
  it('a referrer that names another digest in its payload fails; one that names this digest verifies', async () => {
    await attachSignature(image.digest, `sha256:${'e'.repeat(64)}`);
    const bad = await verifyCli([`${registry.host}/acme/ref@${image.digest}`, '--key', key.pub]);
    expect(bad.code).toBe(1);
    expect(bad.log).toMatch(/in referrer sha256:[0-9a-f]{12} covers sha256:e{64}, not this digest/);

    await attachSignature(image.digest, image.digest);
    const good = await verifyCli([`${registry.host}/acme/ref@${image.digest}`, '--key', key.pub]);
    expect(good.code, good.log).toBe(0);
    expect(good.out).toMatch(/found at referrer sha256:[0-9a-f]{12}/);
    // The tag schema index oras maintains lists both referrers.
    const index = JSON.parse((await registry.manifest('acme/ref', image.digest.replace(':', '-'))).body) as { manifests: unknown[] };
    expect(index.manifests).toHaveLength(2);
  });
});
