// sign: true with each EC curve cosign supports, on a real registry: what digestpin signs, digestpin verifies
// (`digestpin verify`), and the real `cosign verify --key` accepts, P-521 (SHA-512) included.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDigests } from '../../../src/verify/sign.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { cosignVerify, verifyCli } from './fixtures.js';

let registry: RegistryServer;
let image: PushedImage;
const dir = mkdtempSync(join(tmpdir(), 'digestpin-curves-'));

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushImage(`${registry.host}/acme/curves:1`, { content: 'curves' });
});
afterAll(async () => {
  await registry?.stop();
});

describe.each(['P-256', 'P-384', 'P-521'])('sign: true with a %s key', (curve) => {
  it('digestpin and the real cosign verify the signature', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    const pub = join(dir, `${curve}.pub`);
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
    // Each curve signs its own repository, so one curve's signature can't make another's pass.
    const repository = `acme/curves-${curve.toLowerCase()}`;
    const copy = await pushImage(`${registry.host}/${repository}:1`, { content: 'curves' });
    expect(copy.digest).toBe(image.digest);
    await signDigests({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }, { registry: registry.host, repository }, [copy.digest], { dockerConfigPath: false });
    const ref = `${registry.host}/${repository}@${copy.digest}`;
    const ours = await verifyCli([ref, '--key', pub]);
    expect(ours.code, ours.log).toBe(0);
    const byCosign = await cosignVerify(pub, ref);
    expect(byCosign.ok, byCosign.output).toBe(true);
  });
});
